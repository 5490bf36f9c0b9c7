import assert from 'node:assert/strict';
import type { ResultCell, RowSource, TableOutput } from '../../../src/results/model';
import { sampleTable } from '../../../src/results/sample';
import { TableStore } from '../../../src/results/tableStore';
import { referenceSort } from './reference';

function table(rows: ResultCell[][]): TableOutput {
  return {
    kind: 'table',
    columns: [
      { name: 'n', type: 'integer' },
      { name: 's', type: 'string' },
    ],
    rows,
  };
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

  it('sorts numbers ascending and descending with NULLs last', async () => {
    const store = new TableStore(table(rows));
    assert.equal(await store.setSort({ column: 0, direction: 'asc' }), true);
    assert.deepEqual(
      (await store.getRows(0, 5)).map((r) => r[0]),
      [1, 2, 3, 10, null],
    );
    assert.deepEqual((await store.getRows(0, 1))[0], rows[2]);
    await store.setSort({ column: 0, direction: 'desc' });
    assert.deepEqual(
      (await store.getRows(0, 5)).map((r) => r[0]),
      [10, 3, 2, 1, null],
    );
    await store.setSort(null);
    assert.deepEqual(await store.getRows(0, 5), rows);
  });

  it('sorts text case-insensitively, empty string before text, NULL last', async () => {
    const store = new TableStore(table(rows));
    await store.setSort({ column: 1, direction: 'asc' });
    assert.deepEqual(
      (await store.getRows(0, 5)).map((r) => r[1]),
      ['', 'Apple', 'banana', 'pear', null],
    );
  });

  it('is stable: equal keys keep their original order', async () => {
    const r: ResultCell[][] = [
      [1, 'a'],
      [0, 'b'],
      [1, 'c'],
      [0, 'd'],
    ];
    const store = new TableStore(table(r));
    await store.setSort({ column: 0, direction: 'asc' });
    assert.deepEqual(
      (await store.getRows(0, 4)).map((x) => x[1]),
      ['b', 'd', 'a', 'c'],
    );
    await store.setSort({ column: 0, direction: 'desc' });
    assert.deepEqual(
      (await store.getRows(0, 4)).map((x) => x[1]),
      ['a', 'c', 'b', 'd'],
    );
    assert.deepEqual([...referenceSort(r, { column: 0, direction: 'desc' })], [0, 2, 1, 3], 'the reference agrees');
  });

  it('filters on any cell, case-insensitively, keeps the sort, and bumps the version', async () => {
    const store = new TableStore(table(rows));
    await store.setSort({ column: 0, direction: 'desc' });
    const v = store.version;
    await store.setFilter('AN');
    assert.ok(store.version > v);
    assert.deepEqual(await store.getRows(0, 10), [[10, 'banana']]);
    assert.equal(store.rowCount(), 1);
    assert.equal(store.totalRows(), 5);
    await store.setFilter('null');
    assert.equal(store.rowCount(), 0, 'a NULL cell does not match the text "null"');
    await store.setFilter('');
    assert.equal(store.rowCount(), 5);
    assert.deepEqual(
      (await store.getRows(0, 5)).map((r) => r[0]),
      [10, 3, 2, 1, null],
    );
  });

  it('refuses a column that does not exist', async () => {
    await assert.rejects(new TableStore(table(rows)).setSort({ column: 5, direction: 'asc' }), /No column 5/);
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
    const store = new TableStore({
      kind: 'table',
      columns: [
        { name: 'n', type: 'integer' },
        { name: 's', type: 'string' },
      ],
      rows: source,
    });
    assert.equal(store.sortable, false);
    assert.equal(store.rowCount(), undefined);
    assert.deepEqual(await store.getRows(100, 2), [
      [100, 'r100'],
      [101, 'r101'],
    ]);
    await assert.rejects(store.setSort({ column: 0, direction: 'asc' }), /held in memory/);
    let n = 0;
    for await (const chunk of store.allRows(undefined, 100)) n += chunk.length;
    assert.equal(n, 250);
    assert.deepEqual(calls[0], [100, 2]);
  });

  it('sorts and filters 200,000 × 20 rows on the host when told to (no worker)', async function () {
    this.timeout(30_000); // a shared, busy machine; this checks behaviour, not speed
    const t = sampleTable(200_000, 20);
    const held = (t.rows as ResultCell[][]).slice(0, 5).map((r) => [...r]);
    const store = new TableStore(t, { inlineCells: Infinity });
    await store.ready;
    assert.deepEqual(await store.getRows(0, 5), held, 'rows read back as they came');
    await store.setSort({ column: 2, direction: 'desc' });
    const top = await store.getRows(0, 3);
    assert.ok((top[0][2] as number) >= (top[1][2] as number));
    const last = await store.getRows(199_999, 1);
    assert.equal(last[0][2], null, 'NULLs sort last');
    await store.setFilter('oslo');
    assert.ok((store.rowCount() ?? 0) > 0 && (store.rowCount() ?? 0) < 200_000);
    for (const r of await store.getRows(0, 50)) assert.equal(r[1], 'Oslo');
  });

  it('samples a chart evenly in the current order, in one pass', async () => {
    const r: ResultCell[][] = Array.from({ length: 1000 }, (_, i) => [i, `s${i}`]);
    const store = new TableStore(table(r));
    const all = await store.sample(2000);
    assert.equal(all.sampled, false);
    assert.equal(all.rows.length, 1000);
    await store.setSort({ column: 0, direction: 'desc' });
    const some = await store.sample(10);
    assert.equal(some.sampled, true);
    assert.deepEqual(
      some.rows.map((x) => x[0]),
      [999, 899, 799, 699, 599, 499, 399, 299, 199, 99],
    );
  });

  it('samples a paged source in one request, not one per row', async () => {
    let calls = 0;
    const source: RowSource = {
      rowCount: () => 100_000,
      getRows: async (start, count) => {
        calls++;
        return Array.from({ length: Math.max(0, Math.min(count, 100_000 - start)) }, (_, i) => [start + i, 'x']);
      },
    };
    const store = new TableStore({
      kind: 'table',
      columns: [
        { name: 'n', type: 'integer' },
        { name: 's', type: 'string' },
      ],
      rows: source,
    });
    const { rows: got, sampled } = await store.sample(20_000);
    assert.equal(got.length, 20_000);
    assert.equal(sampled, true);
    assert.equal(calls, 1, `the source was asked ${calls} times`);
  });

  it('appends rows to a shown table: identity order grows, a sorted one re-sorts', async () => {
    const store = new TableStore(
      table([
        [2, 'b'],
        [1, 'a'],
      ]),
    );
    assert.equal(await store.appendRows([[0, 'z']]), false);
    assert.equal(store.rowCount(), 3);
    assert.deepEqual((await store.getRows(2, 1))[0], [0, 'z']);
    await store.setSort({ column: 0, direction: 'asc' });
    const v = store.version;
    assert.equal(
      await store.appendRows([
        [-1, 'y'],
        [5, 'q'],
      ]),
      true,
    );
    assert.ok(store.version > v, 'the order changed, so the version moved');
    assert.deepEqual(
      (await store.getRows(0, 5)).map((x) => x[0]),
      [-1, 0, 1, 2, 5],
    );
  });
});
