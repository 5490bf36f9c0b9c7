import assert from 'node:assert/strict';
import { RUN_HISTORY, ResultSession } from '../../../src/results/session';

describe('results host: session (runs, outputs and the view sent to the webview)', () => {
  it('keeps runs in order with all their outputs, and a bounded history', () => {
    const s = new ResultSession('athena');
    const first = s.addRun({
      source: 'athena',
      title: 'q1',
      outputs: [
        { kind: 'text', text: 'a' },
        { kind: 'table', columns: [{ name: 'x', type: 'integer' }], rows: [[1]] },
      ],
    });
    s.append(first, { kind: 'image', mime: 'image/png', base64: 'iVBORw0KGgo=' });
    const v = s.view();
    assert.equal(v.runs.length, 1);
    assert.deepEqual(
      v.runs[0].outputs.map((o) => o.kind),
      ['text', 'table', 'image'],
    );
    for (let i = 0; i < RUN_HISTORY + 3; i++) s.addRun({ source: 'athena', title: `q${i + 2}`, outputs: [] });
    assert.equal(s.view().runs.length, RUN_HISTORY);
    assert.equal(s.run(first), undefined, 'the oldest run was dropped');
  });

  it('drops the oldest runs when the history would hold too many cells', () => {
    const s = new ResultSession('big');
    const big = (n: number) => ({
      kind: 'table' as const,
      columns: Array.from({ length: 20 }, (_, i) => ({ name: `c${i}`, type: 'integer' as const })),
      rows: new Array(n).fill([]),
    });
    const first = s.addRun({ source: 'big', title: 'a', outputs: [big(1_000_000)] });
    const second = s.addRun({ source: 'big', title: 'b', outputs: [big(1_000_000)] });
    assert.equal(s.run(first), undefined, 'two 1M × 20 tables exceed the budget: the older goes');
    assert.ok(s.run(second));
    s.addRun({ source: 'big', title: 'c', outputs: [big(10)] });
    assert.ok(s.run(second), 'a small run does not push out a big one within the budget');
  });

  it('the view carries no rows, only counts; text and tracebacks become segments', () => {
    const s = new ResultSession('x');
    s.addRun({
      source: 'x',
      title: 't',
      outputs: [
        { kind: 'table', columns: [{ name: 'x', type: 'integer' }], rows: [[1], [2]], truncated: true, truncationNote: 'first 2' },
        {
          kind: 'error',
          summary: 'E',
          traceback: '\u001b[31mboom\u001b[0m',
          frames: [
            { file: '/a.py', line: 3, localUri: 'file:///w/a.py' },
            { file: '/b.py', line: 1 },
          ],
        },
      ],
    });
    const [table, error] = s.view().runs[0].outputs;
    assert.equal(table.kind, 'table');
    if (table.kind === 'table') {
      assert.equal(table.rowCount, 2);
      assert.equal(table.truncated, true);
      assert.equal(table.truncationNote, 'first 2');
      assert.ok(!('rows' in table));
    }
    if (error.kind === 'error') {
      assert.deepEqual(error.traceback, [{ text: 'boom', classes: ['fg-red'] }]);
      assert.deepEqual(
        error.frames.map((f) => f.linked),
        [true, false],
      );
      assert.ok(!JSON.stringify(error).includes('file:///w/a.py'), 'local URIs stay on the host');
    } else assert.fail('no error output');
  });

  it('cancel calls onCancel once while running; finish hides it', () => {
    const s = new ResultSession('run');
    let cancelled = 0;
    const id = s.addRun({ source: 'run', title: 'cell', outputs: [], onCancel: () => cancelled++ });
    assert.equal(s.view().runs[0].cancellable, true);
    assert.equal(s.cancel(id), true);
    s.finish(id, 'cancelled');
    assert.equal(s.cancel(id), false);
    assert.equal(cancelled, 1);
    assert.equal(s.view().runs[0].state, 'cancelled');
    assert.equal(s.view().runs[0].cancellable, false);
  });
});
