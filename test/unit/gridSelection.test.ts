// The result grid's selection (webviews/gridSelection.ts): what a click, a Shift-click, a row number
// and the arrow keys select, and what a copy sends the host.
import assert from 'node:assert/strict';
import { GridSelection } from '../../webviews/gridSelection';

describe('result grid: selection', () => {
  it('a click selects a cell, a Shift-click extends it to a rectangle in either direction', () => {
    const s = new GridSelection();
    assert.equal(s.range(), undefined);
    s.selectCell({ row: 5, col: 3 }, false);
    assert.deepEqual(s.range(), { rowStart: 5, rowEnd: 5, colStart: 3, colEnd: 3, withHeader: false });
    s.selectCell({ row: 2, col: 1 }, true);
    assert.deepEqual(s.range(), { rowStart: 2, rowEnd: 5, colStart: 1, colEnd: 3, withHeader: false });
    assert.ok(s.has(4, 2));
    assert.ok(!s.has(6, 2));
    assert.ok(!s.has(4, 0));
  });

  it('a row number selects whole rows, copied with the header; a plain click after it drops the header', () => {
    const s = new GridSelection();
    s.selectRow(7, 19, false);
    s.selectRow(9, 19, true);
    assert.deepEqual(s.range(), { rowStart: 7, rowEnd: 9, colStart: 0, colEnd: 19, withHeader: true });
    s.selectCell({ row: 1, col: 1 }, false);
    assert.equal(s.range()?.withHeader, false);
  });

  it('the arrow keys move inside the table, extend with Shift, and do nothing before a selection', () => {
    const s = new GridSelection();
    assert.equal(s.move(1, 0, 10, 3, false), undefined);
    s.selectCell({ row: 0, col: 0 }, false);
    assert.deepEqual(s.move(-1, -1, 10, 3, false), { row: 0, col: 0 }, 'stops at the top-left corner');
    s.move(1, 1, 10, 3, true);
    s.move(1, 1, 10, 3, true);
    assert.deepEqual(s.move(0, 1, 10, 3, true), { row: 2, col: 2 }, 'stops at the last column');
    assert.deepEqual(s.range(), { rowStart: 0, rowEnd: 2, colStart: 0, colEnd: 2, withHeader: false });
    s.move(1, 0, 3, 3, false);
    assert.deepEqual(s.range(), { rowStart: 2, rowEnd: 2, colStart: 2, colEnd: 2, withHeader: false }, 'stops at the last row; no Shift: one cell');
    s.clear();
    assert.equal(s.range(), undefined);
  });
});
