// The result viewer's host side at 1,000,000 rows against the same host with 1,000 rows, in the
// same process, interleaved: what one window message costs to produce (read from the store,
// encode column by column, serialize as postMessage does) for the first rows, for paging through
// 50 screens in order and for 50 scrollbar jumps spread over the table. Goal: 1M ÷ 1k ≤ 1.2.
// Usage: npm run bench -- results/paging   (FERRY_BENCH_ROUNDS, default 5)
import type { ResultCell } from '../../src/results/model';
import { sampleTable } from '../../src/results/sample';
import { TableStore } from '../../src/results/tableStore';
import { encodeColumn } from '../../src/results/wire';
import { fmt, median, ratio } from './lib/common';

const ROUNDS = Number(process.env.FERRY_BENCH_ROUNDS ?? 15);
/** What the grid asks for (webviews/grid.ts WINDOW) and how many rows a screen shows. */
const WINDOW = 256;
const SCREEN = 30;

/** One window as the panel answers a getRows message, serialized the way postMessage does. */
async function windowMessage(store: TableStore, start: number): Promise<number> {
  const t = performance.now();
  const columns = await store.getColumns(start, WINDOW);
  const text = JSON.stringify({ type: 'rows', requestId: 1, outputId: 'o', version: store.version, start, count: columns[0]?.length ?? 0, columns: columns.map(encodeColumn), rowCount: store.rowCount() });
  if (text.length < 10) throw new Error('empty window');
  return performance.now() - t;
}

/**
 * One round: the first window, then the windows paging through 50 screens asks for, then those of
 * 50 jumps. Each scenario's figure is its windows' median cost times their count, so that a
 * garbage-collection pause in one window (noise on a shared machine) does not decide a round.
 */
async function measure(store: TableStore): Promise<{ first: number; paging: number; jumps: number }> {
  const rows = store.rowCount() ?? 0;
  const first = await windowMessage(store, 0);
  const paging: number[] = [];
  // 50 screens in order: a new window each time the screens cross into one (as the grid asks).
  let asked = -1;
  for (let s = 0; s < 50; s++) {
    const w = Math.floor(((s * SCREEN) % rows) / WINDOW);
    if (w !== asked) paging.push(await windowMessage(store, w * WINDOW));
    asked = w;
  }
  const jumps: number[] = [];
  for (let k = 1; k <= 50; k++) jumps.push(await windowMessage(store, Math.floor((k / 50) * Math.max(0, rows - WINDOW))));
  return { first, paging: median(paging) * paging.length, jumps: median(jumps) * jumps.length };
}

async function main(): Promise<void> {
  const stores: Record<string, TableStore> = {};
  for (const [name, n] of [['1k', 1_000], ['1M', 1_000_000]] as const) {
    const t = sampleTable(n, 20);
    stores[name] = new TableStore(t);
    await stores[name].ready;
    (t as { rows: ResultCell[][] }).rows = [];
  }
  const results: Record<string, Array<{ first: number; paging: number; jumps: number }>> = { '1k': [], '1M': [] };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? ['1M', '1k'] : ['1k', '1M'];
    for (const name of order) results[name].push(await measure(stores[name]));
  }
  const med = (name: string, key: 'first' | 'paging' | 'jumps') => median(results[name].map((x) => x[key]));
  console.log(`results/paging (host side, 20 columns, ${ROUNDS} interleaved rounds, medians), ${new Date().toISOString().slice(0, 10)}`);
  for (const [key, label] of [['first', 'first rows (one window)'], ['paging', 'page through 50 screens'], ['jumps', 'scrollbar jumps through 50 positions']] as const) {
    console.log(`  ${label.padEnd(38)} 1k ${fmt(med('1k', key)).padStart(10)}   1M ${fmt(med('1M', key)).padStart(10)}   1M ÷ 1k ${ratio(med('1M', key), med('1k', key))}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
