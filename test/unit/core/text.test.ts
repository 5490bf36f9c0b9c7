import assert from 'node:assert/strict';
import { count } from '../../../src/core/text';

describe('count (wording of counts in messages)', () => {
  it('uses the singular for one and the plural otherwise, with thousands separated', () => {
    assert.equal(count(0, 'file'), '0 files');
    assert.equal(count(1, 'file'), '1 file');
    assert.equal(count(2, 'object'), '2 objects');
    assert.equal(count(12345, 'Object'), '12,345 Objects');
    assert.equal(count(1, 'query', 'queries'), '1 query');
    assert.equal(count(3, 'query', 'queries'), '3 queries');
  });
});
