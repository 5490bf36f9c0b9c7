// The columnar store and the sort/filter worker against the plain rules (reference.ts) on random
// data of every cell kind, and the worker at a million rows: the order is right, the host's event
// loop keeps turning, and a second sort cancels the first.
import assert from 'node:assert/strict';
import { appendRows, newColumn } from '../../../src/results/columns';
import type { ResultCell, TableOutput } from '../../../src/results/model';
import { OrderWorker } from '../../../src/results/orderWorker';
import { sampleTable } from '../../../src/results/sample';
import { TableStore } from '../../../src/results/tableStore';
import { referenceFilter, referenceSort } from './reference';

function rng(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

const WORDS = ['apple', 'Apple', 'APPLE', 'banana', 'ärger', 'Zebra', 'zebra', '', ' lead', 'a,b', 'ünïcødé', '日本', '💡 idea', 'null', 'NaN', '12', '1e21'];

/** Columns of every kind the viewer meets, including ones that change kind part-way. */
function randomRows(n: number, seed: number): ResultCell[][] {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const rows: ResultCell[][] = [];
  for (let i = 0; i < n; i++) {
    const nul = r() < 0.1;
    rows.push([
      nul ? null : Math.floor(r() * 200) - 100, // int
      nul ? null : pick([Math.round(r() * 1e6) / 100 - 5000, -0, 0, Infinity, -Infinity, NaN, 1e-300, -1e300, 2 ** 40]), // float with specials
      nul ? null : r() < 0.5, // boolean
      nul ? null : pick(WORDS), // text
      i < n / 2 ? Math.floor(r() * 10) : pick([3.5, 'seven', 2, true]), // number column that later holds text and booleans
      i < n / 3 ? (nul ? null : i) : nul ? null : i + 0.5, // int column that later holds fractions
      pick([1, true, false, 0, null]), // numbers and booleans only
      null, // never a value
      nul ? null : `row ${i} ${pick(WORDS)}`, // mostly distinct text
    ]);
  }
  return rows;
}

function table(rows: ResultCell[][]): TableOutput {
  return { kind: 'table', columns: rows[0].map((_, i) => ({ name: `c${i}`, type: 'unknown' as const })), rows };
}

const same = (a: ResultCell, b: ResultCell) => Object.is(a, b) || (a === 0 && b === 0);

describe('results host: columnar store and the sort/filter worker', function () {
  this.timeout(120_000);
  const worker = new OrderWorker();
  after(() => worker.dispose());

  it('reads back every cell as it came in, for every kind of column', () => {
    const rows = randomRows(3000, 7);
    const cols = rows[0].map(() => newColumn(0));
    appendRows(cols, rows);
    for (let i = 0; i < rows.length; i++)
      for (let c = 0; c < cols.length; c++) {
        const got = cols[c].get(i);
        assert.ok(same(got, rows[i][c]) || (Number.isNaN(got) && Number.isNaN(rows[i][c])), `row ${i} col ${c}: ${String(got)} vs ${String(rows[i][c])}`);
      }
    const kinds = cols.map((c) => c.data().kind);
    assert.deepEqual(kinds, ['int', 'float', 'bool', 'text', 'text', 'float', 'text', 'int', 'text']);
  });

  for (const via of ['the host', 'the worker'] as const) {
    it(`sorts every column both ways as the plain comparator does, on ${via}`, async () => {
      const rows = randomRows(4000, 11);
      const store = new TableStore(table(rows), via === 'the host' ? { inlineCells: Infinity } : { worker, inlineCells: 0 });
      for (let c = 0; c < rows[0].length; c++)
        for (const direction of ['asc', 'desc'] as const) {
          assert.equal(await store.setSort({ column: c, direction }), true);
          const want = referenceSort(rows, { column: c, direction }).map((i) => rows[i][c]);
          const got = (await store.getRows(0, rows.length)).map((r) => r[c]);
          for (let k = 0; k < want.length; k++)
            assert.ok(
              same(got[k], want[k]) || (Number.isNaN(got[k]) && Number.isNaN(want[k])),
              `column ${c} ${direction} at ${k}: ${String(got[k])} vs ${String(want[k])}`,
            );
        }
    });

    it(`filters (over the sort) as the plain rule does, on ${via}`, async () => {
      const rows = randomRows(4000, 13);
      const store = new TableStore(table(rows), via === 'the host' ? { inlineCells: Infinity } : { worker, inlineCells: 0 });
      await store.setSort({ column: 3, direction: 'desc' });
      const order = referenceSort(rows, { column: 3, direction: 'desc' });
      for (const text of ['apple', 'APP', '1', '-', 'e+', 'infinity', 'nan', 'true', 'fals', 'ünï', '💡', ' ', ',', 'row 39', 'nothing-like-this']) {
        await store.setFilter(text);
        const want = referenceFilter(rows, order, text);
        assert.equal(store.rowCount(), want.length, `"${text}": ${store.rowCount()} rows, want ${want.length}`);
        const got = await store.getRows(0, want.length);
        assert.deepEqual(
          got.map((r) => r[8]),
          want.map((i) => rows[i][8]),
          `"${text}"`,
        );
      }
    });
  }

  it('sorts 1,000,000 × 20 on the worker while the event loop keeps turning, and filters the sorted rows', async () => {
    const t = sampleTable(1_000_000, 20);
    const firstRows = (t.rows as ResultCell[][]).slice(0, 3).map((r) => [...r]);
    const store = new TableStore(t, { worker });
    await store.ready;
    assert.deepEqual(await store.getRows(0, 3), firstRows);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const sorted = store.setSort({ column: 2, direction: 'asc' });
    assert.equal(store.busy, 'sorting');
    assert.equal(await sorted, true);
    clearInterval(timer);
    assert.equal(store.busy, undefined);
    console.log(`    the host's timer ran ${ticks} times during the sort`);
    assert.ok(ticks > 0, 'the host was not blocked for the whole sort');
    let prev = -Infinity;
    let nulls = 0;
    for (let start = 0; start < 1_000_000; start += 100_000) {
      const [amount] = [(await store.getColumns(start, 100_000))[2]];
      for (const v of amount) {
        if (v === null) nulls++;
        else {
          assert.equal(nulls, 0, 'a value after a NULL');
          assert.ok((v as number) >= prev, `${String(v)} after ${prev}`);
          prev = v as number;
        }
      }
    }
    assert.equal(nulls, Math.ceil(1_000_000 / 97), 'every NULL amount, last');
    await store.setFilter('nairobi');
    assert.equal(store.rowCount(), 100_000);
    const filtered = await store.getRows(0, 100_000);
    assert.ok(filtered.every((r) => r[1] === 'Nairobi'));
    for (let k = 1; k < filtered.length; k++)
      if (filtered[k][2] !== null && filtered[k - 1][2] !== null)
        assert.ok((filtered[k][2] as number) >= (filtered[k - 1][2] as number), 'the filter keeps the sort');
  });

  it('a second sort cancels the first: the worker stops it and only the second lands', async () => {
    const store = new TableStore(sampleTable(1_000_000, 8), { worker });
    await store.ready;
    const before = { ...worker.stats };
    const first = store.setSort({ column: 2, direction: 'desc' });
    // Let the first job reach the worker (a float sort of a million rows takes far longer than this).
    for (let i = 0; i < 50 && worker.busy === 0; i++) await new Promise((r) => setTimeout(r, 1));
    assert.equal(worker.busy, 1, 'the first sort is on the worker');
    const second = store.setSort({ column: 0, direction: 'desc' });
    assert.equal(await first, false, 'the first sort was superseded');
    assert.equal(await second, true);
    assert.deepEqual(
      (await store.getRows(0, 2)).map((r) => r[0]),
      [999_999, 999_998],
    );
    // The worker saw the first job's cancel flag and stopped it rather than finishing it.
    for (let i = 0; i < 100 && worker.stats.cancelled === before.cancelled; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(worker.stats.cancelled - before.cancelled, 1, `stats ${JSON.stringify(worker.stats)} before ${JSON.stringify(before)}`);
    assert.equal(worker.stats.completed - before.completed, 1);
    assert.equal(store.sort?.column, 0);
  });
});
