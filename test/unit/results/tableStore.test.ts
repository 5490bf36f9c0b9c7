import assert from 'node:assert/strict';
import type { ResultCell, RowSource, TableOutput } from '../../../src/results/model';
import { sampleTable } from '../../../src/results/sample';
import { sortIndex, TableStore } from '../../../src/results/tableStore';

function table(rows: ResultCell[][]): TableOutput {
  return { kind: 'table', columns: [{ name: 'n', type: 'integer' }, { name: 's', type: 'string' }], rows };
}

describe('results host: paging, sorting and filtering', () => {
  const rows: ResultCell[][] = [
    [3, 'pear'],
    [null, 'Apple'],
    [1, ''],
    [2, null],
    [10, 'banana'],
  ];

  it('serves windows of rows and clips at the end', async () => {
    const store = new TableStore(table(rows));
    assert.equal(store.rowCount(), 5);
    assert.deepEqual(await store.getRows(1, 2), [rows[1], rows[2]]);
    assert.deepEqual(await store.getRows(4, 100), [rows[4]]);
    assert.deepEqual(await store.getRows(10, 5), []);
  });

  it('sorts numbers ascending and descending with NULLs last, without copying rows', async () => {
    const store = new TableStore(table(rows));
    store.setSort({ column: 0, direction: 'asc' });
    assert.deepEqual((await store.getRows(0, 5)).map((r) => r[0]), [1, 2, 3, 10, null]);
    assert.equal((await store.getRows(0, 1))[0], rows[2], 'the same row object, not a copy');
    store.setSort({ column: 0, direction: 'desc' });
    assert.deepEqual((await store.getRows(0, 5)).map((r) => r[0]), [10, 3, 2, 1, null]);
    store.setSort(null);
    assert.deepEqual(await store.getRows(0, 5), rows);
  });

  it('sorts text case-insensitively, empty string before text, NULL last', async () => {
    const store = new TableStore(table(rows));
    store.setSort({ column: 1, direction: 'asc' });
    assert.deepEqual((await store.getRows(0, 5)).map((r) => r[1]), ['', 'Apple', 'banana', 'pear', null]);
  });

  it('is stable: equal keys keep their original order', () => {
    const r: ResultCell[][] = [[1, 'a'], [0, 'b'], [1, 'c'], [0, 'd']];
    assert.deepEqual([...sortIndex(r, { column: 0, direction: 'asc' })], [1, 3, 0, 2]);
    assert.deepEqual([...sortIndex(r, { column: 0, direction: 'desc' })], [0, 2, 1, 3]);
  });

  it('filters on any cell, case-insensitively, keeps the sort, and bumps the version', async () => {
    const store = new TableStore(table(rows));
    store.setSort({ column: 0, direction: 'desc' });
    const v = store.version;
    store.setFilter('AN');
    assert.ok(store.version > v);
    assert.deepEqual(await store.getRows(0, 10), [[10, 'banana']]);
    assert.equal(store.rowCount(), 1);
    assert.equal(store.totalRows(), 5);
    store.setFilter('null');
    assert.equal(store.rowCount(), 0, 'a NULL cell does not match the text "null"');
    store.setFilter('');
    assert.equal(store.rowCount(), 5);
    assert.deepEqual((await store.getRows(0, 5)).map((r) => r[0]), [10, 3, 2, 1, null]);
  });

  it('refuses a column that does not exist', () => {
    assert.throws(() => new TableStore(table(rows)).setSort({ column: 5, direction: 'asc' }));
  });

  it('pages a RowSource through its getRows and does not sort it', async () => {
    const calls: Array<[number, number]> = [];
    const source: RowSource = {
      rowCount: () => undefined,
      getRows: async (start, count) => {
        calls.push([start, count]);
        return Array.from({ length: Math.max(0, Math.min(count, 250 - start)) }, (_, i) => [start + i, `r${start + i}`]);
      },
    };
    const store = new TableStore({ kind: 'table', columns: [{ name: 'n', type: 'integer' }, { name: 's', type: 'string' }], rows: source });
    assert.equal(store.sortable, false);
    assert.equal(store.rowCount(), undefined);
    assert.deepEqual(await store.getRows(100, 2), [[100, 'r100'], [101, 'r101']]);
    assert.throws(() => store.setSort({ column: 0, direction: 'asc' }));
    let n = 0;
    for await (const chunk of store.allRows(undefined, 100)) n += chunk.length;
    assert.equal(n, 250);
    assert.deepEqual(calls[0], [100, 2]);
  });

  it('sorts and filters 200,000 × 20 rows through an index (no row copies)', async function () {
    this.timeout(30_000); // a shared, busy machine; this checks behaviour, not speed
    const t = sampleTable(200_000, 20);
    const store = new TableStore(t);
    store.setSort({ column: 2, direction: 'desc' });
    const top = await store.getRows(0, 3);
    const held = t.rows as ResultCell[][];
    assert.ok(held.includes(top[0]), 'rows served are the held rows');
    assert.ok((top[0][2] as number) >= (top[1][2] as number));
    const last = await store.getRows(199_999, 1);
    assert.equal(last[0][2], null, 'NULLs sort last');
    store.setFilter('oslo');
    assert.ok((store.rowCount() ?? 0) > 0 && (store.rowCount() ?? 0) < 200_000);
    for (const r of await store.getRows(0, 50)) assert.equal(r[1], 'Oslo');
  });
});
