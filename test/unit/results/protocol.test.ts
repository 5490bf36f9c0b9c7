import assert from 'node:assert/strict';
import type { ResultCell } from '../../../src/results/model';
import { MAX_WINDOW_ROWS, parseHostMessage, parseWebviewMessage } from '../../../src/results/protocol';
import { decodeColumn, EncodedColumn, encodeColumn, validEncodedColumn } from '../../../src/results/wire';

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
      { type: 'revealColumn', outputId: 'o', column: 2, reveal: true },
      { type: 'revealColumn', outputId: 'o', column: 0, reveal: false },
      { type: 'revealOutput', outputId: 'o', reveal: true },
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
      { type: 'revealColumn', outputId: 'o', column: -1, reveal: true },
      { type: 'revealColumn', outputId: 'o', column: 1.5, reveal: true },
      { type: 'revealColumn', outputId: 'o', column: 1, reveal: 'yes' },
      { type: 'revealColumn', outputId: 'o', column: 1 },
      { type: 'revealOutput', outputId: 7, reveal: true },
      { type: 'revealOutput', outputId: 'o' },
    ];
    for (const m of bad) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m));
  });
});

describe('results protocol: messages from the host, and windows of rows on the wire', () => {
  const cells: ResultCell[][] = [
    [1, 2.5, null, -0, NaN, Infinity, -Infinity],
    ['a', 'a', null, '', 'b', '日本', 'a'],
    [true, false, null, true, true, false, null],
    [1, 'one', true, null, 2, 'two', false],
    [null, null, null, null, null, null, null],
  ];

  it('encodes each column in its smallest form and decodes it back exactly', () => {
    const encoded = cells.map(encodeColumn);
    assert.deepEqual(
      encoded.map((c) => c.k),
      ['n', 's', 'b', 'm', 'n'],
    );
    const text = encoded[1];
    assert.ok(text.k === 's' && text.d.length === 4, 'each distinct string once');
    // Through JSON, as postMessage carries it: NaN and the infinities survive.
    const wire = JSON.parse(JSON.stringify(encoded)) as EncodedColumn[];
    wire.forEach((c, i) => {
      assert.ok(validEncodedColumn(c, 7), `column ${i}`);
      const back = decodeColumn(c);
      cells[i].forEach((v, k) => assert.ok(Object.is(back[k], v) || (v === 0 && back[k] === 0), `column ${i} row ${k}: ${String(back[k])} vs ${String(v)}`));
    });
  });

  it('accepts the host messages the viewer acts on and refuses malformed ones', () => {
    const rows = { type: 'rows', requestId: 1, outputId: 'o', version: 0, mask: 0, start: 0, count: 7, columns: cells.map(encodeColumn), rowCount: 7 };
    const table = {
      kind: 'table',
      id: 't',
      columns: [
        { name: 'email', type: 'string', pii: { kinds: ['email'], byName: true, masked: true } },
        { name: 'n', type: 'integer' },
      ],
      rowCount: 1,
      totalRows: 1,
      truncated: false,
      filter: '',
      sortable: true,
      version: 0,
      maskRevision: 2,
    };
    const run = (outputs: unknown[]) => ({
      type: 'state',
      view: { source: 's', runs: [{ id: 'r', title: 't', startedAt: 0, state: 'running', facts: [], outputs, cancellable: true }] },
    });
    const good = [
      run([{ kind: 'text', id: 'o', segments: [] }]),
      run([table, { kind: 'text', id: 'o', segments: [], pii: { kinds: ['card', 'ip'], count: 3, masked: false } }]),
      rows,
      { ...rows, rowCount: undefined },
      { type: 'chartData', requestId: 2, outputId: 'o', values: [{ x: 1 }], sampled: false },
      { type: 'notice', level: 'error', message: 'm' },
      { type: 'exportChart', format: 'png', token: 3 },
    ];
    for (const m of good) assert.deepEqual(parseHostMessage(JSON.parse(JSON.stringify(m))), JSON.parse(JSON.stringify(m)), JSON.stringify(m).slice(0, 80));
    const bad: unknown[] = [
      null,
      { type: 'eval', code: 'x' },
      { type: 'state', view: { source: 's', runs: [{ id: 'r', outputs: [{ kind: 'script', id: 'x' }] }] } },
      { ...rows, count: 6 },
      { ...rows, columns: [{ k: 's', d: ['a'], c: [0, 1, 0, 0, 0, 0, 0] }] },
      { ...rows, columns: [{ k: 'n', v: [1, 2, 3, 4, 5, 6, 'seven'] }] },
      { ...rows, columns: [{ k: 'm', v: [1, 2, 3, 4, 5, 6, { html: '<b>' }] }] },
      { ...rows, start: -1 },
      { ...rows, mask: undefined },
      run([{ ...table, maskRevision: undefined }]),
      run([{ ...table, columns: [{ name: 'x', pii: { kinds: ['gossip'], byName: true, masked: true } }] }]),
      run([{ ...table, columns: [{ name: 'x', pii: { kinds: ['email'], masked: true } }] }]),
      run([{ kind: 'text', id: 'o', segments: [], pii: { kinds: ['email'], masked: 'no', count: 1 } }]),
      run([{ kind: 'error', id: 'o', summary: '', traceback: [], frames: [], pii: { kinds: ['email'], masked: true } }]),
      { type: 'notice', level: 'warn', message: 'm' },
      { type: 'exportChart', format: 'pdf', token: 1 },
    ];
    for (const m of bad) assert.equal(parseHostMessage(m), undefined, JSON.stringify(m).slice(0, 80));
  });
});
