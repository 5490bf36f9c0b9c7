// Sorting and filtering 1,000,000 × 20 rows: the longest stall of the extension host's event loop
// and the time until the first sorted rows can be served, today (main at dedf406: a comparator
// sort and filter on the host's thread over row arrays, legacy.ts) against the columnar store
// whose sort and filter run on a worker thread, in the same process. Goal: stall ≤ 50 ms, first
// sorted rows no slower than today.
// Usage: npm run bench -- results/sort   (FERRY_BENCH_ROWS, default 1000000)
import type { ResultCell } from '../../src/results/model';
import { OrderWorker } from '../../src/results/orderWorker';
import type { SortSpec } from '../../src/results/protocol';
import { sampleTable } from '../../src/results/sample';
import { TableStore } from '../../src/results/tableStore';
import { fmt, longestStall, ratio } from './lib/common';
import { legacyFilter, legacySortIndex } from './lib/legacy';

const ROWS = Number(process.env.FERRY_BENCH_ROWS ?? 1_000_000);
const WINDOW = 256;

async function main(): Promise<void> {
  const t = sampleTable(ROWS, 20);
  const rows = t.rows as ResultCell[][];
  const worker = new OrderWorker();
  const load = await longestStall(async () => {
    const s = new TableStore({ ...t, rows }, { worker });
    await s.ready;
    return s;
  });
  const store = load.value;
  console.log(`results/sort: ${ROWS.toLocaleString('en-US')} × 20 rows, ${new Date().toISOString().slice(0, 10)}`);
  console.log(`  taking the result in as columns: ${fmt(load.elapsedMs)}, longest event-loop stall ${fmt(load.stallMs)}`);
  const cases: Array<{ label: string; sort?: SortSpec; filter?: string }> = [
    { label: 'sort amount (double) ↑', sort: { column: 2, direction: 'asc' } },
    { label: 'sort city (text) ↑', sort: { column: 1, direction: 'asc' } },
    { label: 'sort id (integer) ↓', sort: { column: 0, direction: 'desc' } },
    { label: 'sort note (text, NULLs) ↓', sort: { column: 5, direction: 'desc' } },
    { label: 'sort metric_6 (double) ↑', sort: { column: 6, direction: 'asc' } },
    { label: 'filter "nairobi" (sorted)', filter: 'nairobi' },
    { label: 'filter "12" (sorted)', filter: '12' },
  ];
  let legacyOrder: Uint32Array | undefined;
  let worstToday = 0;
  let worstAfter = 0;
  console.log(`  ${'job'.padEnd(28)} ${'today: stall'.padStart(14)} ${'first rows'.padStart(12)}   ${'worker: stall'.padStart(14)} ${'first rows'.padStart(12)}   first rows today ÷ worker`);
  for (const c of cases) {
    const today = await longestStall(() => {
      if (c.sort) legacyOrder = legacySortIndex(rows, c.sort);
      const view = c.filter ? legacyFilter(rows, legacyOrder, c.filter) : legacyOrder!;
      const first: ResultCell[][] = [];
      for (let k = 0; k < Math.min(WINDOW, view.length); k++) first.push(rows[view[k]]);
      return first.length;
    });
    const after = await longestStall(async () => {
      if (c.sort) await store.setSort(c.sort);
      if (c.filter) await store.setFilter(c.filter);
      return (await store.getColumns(0, WINDOW))[0].length;
    });
    if (today.value !== after.value) throw new Error(`${c.label}: ${today.value} rows today, ${after.value} after`);
    worstToday = Math.max(worstToday, today.stallMs);
    worstAfter = Math.max(worstAfter, after.stallMs);
    console.log(`  ${c.label.padEnd(28)} ${fmt(today.stallMs).padStart(14)} ${fmt(today.elapsedMs).padStart(12)}   ${fmt(after.stallMs).padStart(14)} ${fmt(after.elapsedMs).padStart(12)}   ${ratio(today.elapsedMs, after.elapsedMs)}×`);
    if (c.filter) {
      await store.setFilter('');
      legacyOrder = legacyOrder ?? undefined;
    }
  }
  console.log(`  longest event-loop stall during a sort or filter: today ${fmt(worstToday)}, with the worker ${fmt(worstAfter)} (goal ≤ 50 ms)`);
  await worker.dispose();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
