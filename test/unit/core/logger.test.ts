import assert from 'node:assert/strict';
import { memoryLogger } from '../../../src/core/logger';

describe('logger', () => {
  function failure(): Error {
    const err = new Error('Access Denied');
    err.name = 'AccessDenied';
    return err;
  }

  it('names an error in one line at warn and info level, and keeps its stack at error level', () => {
    const log = memoryLogger();
    log.warn('listing failed', failure());
    log.info('note', failure());
    log.error('command failed', failure());
    assert.equal(log.lines[0], 'warn listing failed AccessDenied: Access Denied');
    assert.equal(log.lines[1], 'info note AccessDenied: Access Denied');
    assert.match(log.lines[2], /^error command failed AccessDenied: Access Denied\n\s+at /);
  });

  it('redacts secrets in every level, scoped lines included', () => {
    const log = memoryLogger();
    log.scoped('databricks').warn('request failed', new Error('Authorization: Bearer dapi0123456789abcdef0123456789abcdef'));
    assert.match(log.lines[0], /^warn \[databricks\] request failed Error: /);
    assert.doesNotMatch(log.lines[0], /dapi0123456789abcdef/);
  });
});
