import assert from 'node:assert/strict';
import { MAX_WINDOW_ROWS, parseWebviewMessage } from '../../../src/results/protocol';

describe('results protocol: messages from the webview', () => {
  it('accepts each well-formed message', () => {
    const good = [
      { type: 'ready' },
      { type: 'getRows', requestId: 1, outputId: 'out1', start: 0, count: 100 },
      { type: 'sort', outputId: 'out1', sort: { column: 2, direction: 'desc' } },
      { type: 'sort', outputId: 'out1', sort: null },
      { type: 'filter', outputId: 'out1', text: 'abc' },
      { type: 'export', outputId: 'out1', format: 'csv' },
      { type: 'export', outputId: 'out1', format: 'json' },
      { type: 'copy', outputId: 'o', rowStart: 1, rowEnd: 3, colStart: 0, colEnd: 0, withHeader: false },
      { type: 'chartData', requestId: 3, outputId: 'o', limit: 500 },
      { type: 'exportChart', format: 'svg', data: '<svg></svg>', token: 0 },
      { type: 'openFrame', outputId: 'o', frame: 0 },
      { type: 'cancel', runId: 'run1' },
      { type: 'cspViolation', directive: 'script-src' },
    ];
    for (const m of good) assert.deepEqual(parseWebviewMessage(m), m, JSON.stringify(m));
  });

  it('refuses unknown types, wrong field types, negative or fractional numbers and bad enums', () => {
    const bad: unknown[] = [
      null,
      'ready',
      [],
      { type: 'openFile', uri: 'file:///etc/passwd' },
      { type: '__proto__' },
      { type: 'toString' },
      { type: 'getRows', requestId: 1, outputId: 'o', start: -1, count: 10 },
      { type: 'getRows', requestId: 1, outputId: 'o', start: 0.5, count: 10 },
      { type: 'getRows', requestId: 1, outputId: 'o', start: 0, count: MAX_WINDOW_ROWS + 1 },
      { type: 'getRows', requestId: '1', outputId: 'o', start: 0, count: 10 },
      { type: 'sort', outputId: 'o', sort: { column: 1, direction: 'sideways' } },
      { type: 'sort', outputId: 'o', sort: { column: -1, direction: 'asc' } },
      { type: 'sort', outputId: 'o' },
      { type: 'export', outputId: 'o', format: 'xlsx' },
      { type: 'exportChart', format: 'pdf', data: '', token: 0 },
      { type: 'copy', outputId: 'o', rowStart: 5, rowEnd: 3, colStart: 0, colEnd: 0, withHeader: false },
      { type: 'openFrame', outputId: 'o', frame: '0' },
      { type: 'filter', outputId: 'o', text: 42 },
    ];
    for (const m of bad) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m));
  });
});
