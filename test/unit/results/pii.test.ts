// The PII guard in the result viewer's host: what the view says about each column and output,
// what a window carries (masked on the host), Reveal per column and per output, the filter's
// skipped columns, the guard switched off, and a paged source flagged by its first window.
import assert from 'node:assert/strict';
import type { ResultCell, RowSource } from '../../../src/results/model';
import type { TableView, TextView, ErrorView } from '../../../src/results/protocol';
import { ResultSession } from '../../../src/results/session';

const ROWS: ResultCell[][] = [
  [1, 'ada@example.com', '4242 4242 4242 4242', 'Lisbon'],
  [2, 'grace@example.org', '5555555555554444', 'Porto'],
  [3, null, '', 'Oslo'],
];
const COLUMNS = [
  { name: 'id', type: 'integer' as const },
  { name: 'contact', type: 'string' as const },
  { name: 'paid_with', type: 'string' as const },
  { name: 'city', type: 'string' as const },
];

function tableSession(options = {}): { s: ResultSession; id: string; view: () => TableView } {
  const s = new ResultSession('test', {}, options);
  s.addRun({ source: 'test', title: 'people', outputs: [{ kind: 'table', columns: COLUMNS, rows: ROWS.map((r) => [...r]) }] });
  const id = s.latestTableId()!;
  return { s, id, view: () => s.view().runs[0].outputs[0] as TableView };
}

const window = (s: ResultSession, id: string) => {
  const cols = COLUMNS.map((_, c) => ROWS.map((r) => r[c]));
  return s.shownWindow(id, cols);
};

describe('results host: the PII guard', () => {
  it('flags columns from the first rows before anything is shown, and masks windows on the host', () => {
    const { s, id, view } = tableSession();
    assert.deepEqual(
      view().columns.map((c) => c.pii),
      [undefined, { kinds: ['email'], byName: false, masked: true }, { kinds: ['card'], byName: false, masked: true }, undefined],
    );
    const shown = window(s, id);
    assert.deepEqual(shown.columns[1], ['a***@e***.com', 'g***@e***.org', null]);
    assert.deepEqual(shown.columns[2], ['**** **** **** 4242', '**** **** **** 4444', '']);
    assert.deepEqual(shown.columns[3], ['Lisbon', 'Porto', 'Oslo']);
    assert.equal(shown.mask, view().maskRevision);
    assert.ok(!JSON.stringify(shown.columns).includes('ada@example.com'));
    assert.deepEqual(s.maskedColumns(id), ['contact', 'paid_with']);
  });

  it('reveals one column for this result only, and masks it again', () => {
    const { s, id, view } = tableSession();
    const before = view().maskRevision;
    assert.ok(s.revealColumn(id, 1, true));
    assert.ok(view().maskRevision > before, 'windows served before are stale');
    assert.deepEqual(view().columns[1].pii, { kinds: ['email'], byName: false, masked: false });
    const shown = window(s, id);
    assert.deepEqual(shown.columns[1], ['ada@example.com', 'grace@example.org', null]);
    assert.deepEqual(shown.columns[2], ['**** **** **** 4242', '**** **** **** 4444', ''], 'other columns stay masked');
    assert.deepEqual(s.maskedColumns(id), ['paid_with']);
    assert.equal(s.revealColumn(id, 1, true), false, 'already revealed');
    // Another result of the same query starts masked again.
    s.addRun({ source: 'test', title: 'people again', outputs: [{ kind: 'table', columns: COLUMNS, rows: ROWS.map((r) => [...r]) }] });
    const again = s.latestTableId()!;
    assert.notEqual(again, id);
    assert.deepEqual(s.maskedColumns(again), ['contact', 'paid_with']);
    assert.ok(s.revealColumn(id, 1, false));
    assert.deepEqual(window(s, id).columns[1], ['a***@e***.com', 'g***@e***.org', null]);
  });

  it('masks copies and chart rows the same way', () => {
    const { s, id } = tableSession();
    assert.deepEqual(
      s.shownRows(
        id,
        ROWS.map((r) => [...r]),
      )[0],
      [1, 'a***@e***.com', '**** **** **** 4242', 'Lisbon'],
    );
  });

  it('does not let the filter search masked columns until they are revealed', async () => {
    const { s, id } = tableSession();
    const store = s.table(id)!;
    await store.setFilter('grace');
    assert.equal(store.rowCount(), 0, 'a match in a masked column would tell what it hides');
    await store.setFilter('porto');
    assert.equal(store.rowCount(), 1, 'unmasked columns are searched');
    s.revealColumn(id, 1, true);
    await store.setFilter('grace');
    assert.equal(store.rowCount(), 1);
  });

  it('masks text and error outputs, with a Reveal per output', () => {
    const s = new ResultSession('run');
    s.addRun({
      source: 'run',
      title: 'train.py',
      outputs: [
        { kind: 'text', text: 'emailing ada@example.com\nfrom 203.0.113.7\nloss 0.25\n' },
        { kind: 'error', summary: 'ValueError: bad card 4242424242424242', traceback: 'Traceback…\nValueError: bad card 4242424242424242', frames: [] },
        { kind: 'text', text: 'nothing here' },
      ],
    });
    const [text, error, plain] = s.view().runs[0].outputs as [TextView, ErrorView, TextView];
    const shown = text.segments.map((x) => x.text).join('');
    assert.equal(shown, 'emailing a***@e***.com\nfrom 203.***.***.***\nloss 0.25\n');
    assert.deepEqual(text.pii, { kinds: ['email', 'ip'], count: 2, masked: true });
    assert.equal(error.summary, 'ValueError: bad card **** **** **** 4242');
    assert.ok(!JSON.stringify(error).includes('4242424242424242'));
    assert.deepEqual(error.pii, { kinds: ['card'], count: 2, masked: true });
    assert.equal(plain.pii, undefined);
    assert.equal(s.textOutput(text.id), 'emailing a***@e***.com\nfrom 203.***.***.***\nloss 0.25\n', 'Open Full Text is masked too');

    assert.ok(s.revealOutput(text.id, true));
    const revealed = s.view().runs[0].outputs[0] as TextView;
    assert.equal(revealed.segments.map((x) => x.text).join(''), 'emailing ada@example.com\nfrom 203.0.113.7\nloss 0.25\n');
    assert.deepEqual(revealed.pii, { kinds: ['email', 'ip'], count: 2, masked: false });
    assert.equal((s.view().runs[0].outputs[1] as ErrorView).summary, 'ValueError: bad card **** **** **** 4242', 'the error is not revealed with it');
  });

  it('masks streamed text as it grows', () => {
    const s = new ResultSession('run');
    const run = s.addRun({ source: 'run', title: 'live', outputs: [], onCancel: () => undefined });
    s.appendText(run, 'contacting bob@exa');
    s.appendText(run, 'mple.net\n');
    const text = s.view().runs[0].outputs[0] as TextView;
    assert.equal(text.segments.map((x) => x.text).join(''), 'contacting b***@e***.net\n');
  });

  it('shows everything as it is with the guard off, and masks again when it is switched back on', () => {
    const { s, id, view } = tableSession({ piiGuard: false });
    assert.ok(view().columns.every((c) => !c.pii));
    assert.deepEqual(window(s, id).columns[1], ['ada@example.com', 'grace@example.org', null]);
    assert.deepEqual(s.maskedColumns(id), []);
    const before = view().maskRevision;
    assert.ok(s.setPiiGuard(true));
    assert.ok(view().maskRevision > before);
    assert.deepEqual(window(s, id).columns[1], ['a***@e***.com', 'g***@e***.org', null]);
  });

  it('flags a paged source from the windows as they are served (nothing is read up front)', async () => {
    let reads = 0;
    const source: RowSource = {
      rowCount: () => 3,
      getRows: async (start, count) => {
        reads++;
        return ROWS.slice(start, start + count).map((r) => [...r]);
      },
    };
    const s = new ResultSession('athena');
    s.addRun({ source: 'athena', title: 'q', outputs: [{ kind: 'table', columns: COLUMNS, rows: source }] });
    const id = s.latestTableId()!;
    const view = () => s.view().runs[0].outputs[0] as TableView;
    assert.equal(reads, 0);
    assert.equal(view().columns[1].pii, undefined, 'nothing known before the first window');
    const cols = await s.table(id)!.getColumns(0, 3);
    const shown = s.shownWindow(id, cols);
    assert.ok(shown.changed, 'the panel sends a new state: the header gains its Reveal');
    assert.deepEqual(shown.columns[1], ['a***@e***.com', 'g***@e***.org', null]);
    assert.deepEqual(view().columns[1].pii, { kinds: ['email'], byName: false, masked: true });
  });
});
