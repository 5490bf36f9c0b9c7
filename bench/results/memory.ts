// What a 1,000,000 × 20 result costs the extension host's memory once shown, against the size of
// its CSV export: held as JS row arrays (main at dedf406) and as the columnar store. Each is
// measured in its own Node process (heap + array buffers after a full GC, before and after).
// Two tables: the sample result (text columns repeat a few values) and the same with five of its
// columns replaced by text that is distinct in every row (e-mail addresses, ids, sentences).
// Goal: the columnar store ≤ 2× the CSV.
// Usage: npm run bench -- results/memory   (FERRY_BENCH_ROWS, default 1000000)
import { spawnSync } from 'node:child_process';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { ResultCell, TableOutput } from '../../src/results/model';
import { sampleTable } from '../../src/results/sample';
import { csvHeader, csvLines } from '../../src/results/serialize';
import { TableStore } from '../../src/results/tableStore';

const ROWS = Number(process.env.FERRY_BENCH_ROWS ?? 1_000_000);
const MB = 1024 * 1024;

function collect(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Heap, external memory and array buffers; SharedArrayBuffers (the columns) count only in the last. */
function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

async function child(mode: string, kind: string): Promise<void> {
  const gc = collect();
  gc();
  gc();
  const base = used();
  const t = table(kind);
  let keep: unknown;
  let held = 0;
  if (mode === 'columns') {
    const store = new TableStore(t);
    await store.ready;
    (t as { rows: ResultCell[][] }).rows = [];
    held = store.heldBytes();
    keep = store;
  } else keep = t.rows;
  for (let i = 0; i < 3; i++) gc();
  process.stdout.write(JSON.stringify({ bytes: used() - base, held, keep: !!keep }));
}

/** The sample, or the sample with five columns of text distinct in every row. */
function table(kind: string): TableOutput {
  const t = sampleTable(ROWS, 20);
  if (kind === 'distinct') {
    const rows = t.rows as ResultCell[][];
    for (let r = 0; r < rows.length; r++) {
      rows[r][1] = `user${r}@example.com`;
      rows[r][5] = `order ${r} shipped to customer ${(r * 7919) % 1_000_003}`;
      rows[r][8] = `id-${(r * 2654435761) % 4294967296}`;
      rows[r][10] = `note ${r}`;
      rows[r][12] = `${r}-${r % 97}-${r % 89}`;
    }
    for (const c of [1, 5, 8, 10, 12]) t.columns[c] = { name: t.columns[c].name, type: 'string' };
  }
  return t;
}

function csvBytes(kind: string): number {
  const t = table(kind);
  const rows = t.rows as ResultCell[][];
  let bytes = Buffer.byteLength('\ufeff' + csvHeader(t.columns));
  for (let i = 0; i < rows.length; i += 10_000) bytes += Buffer.byteLength(csvLines(rows.slice(i, i + 10_000)));
  return bytes;
}

async function main(): Promise<void> {
  const [mode, kind] = process.argv.slice(2);
  if (mode === 'rows' || mode === 'columns') return child(mode, kind);
  const measure = (m: string, k: string) => {
    const r = spawnSync(process.execPath, [__filename, m, k], { encoding: 'utf8', env: process.env, maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`${m} ${k}: ${r.stderr}`);
    return JSON.parse(r.stdout) as { bytes: number; held: number };
  };
  console.log(`results/memory: ${ROWS.toLocaleString('en-US')} × 20, ${new Date().toISOString().slice(0, 10)}`);
  for (const [kind, label] of [['sample', 'the sample result'], ['distinct', 'five columns of distinct text']] as const) {
    const csv = csvBytes(kind);
    const rows = measure('rows', kind);
    const columns = measure('columns', kind);
    console.log(`  ${label}:`);
    console.log(`    CSV export                     ${(csv / MB).toFixed(1).padStart(8)} MiB`);
    console.log(`    today: JS row arrays           ${(rows.bytes / MB).toFixed(1).padStart(8)} MiB   ${(rows.bytes / csv).toFixed(2)}× the CSV`);
    console.log(`    columnar store                 ${(columns.bytes / MB).toFixed(1).padStart(8)} MiB   ${(columns.bytes / csv).toFixed(2)}× the CSV (goal ≤ 2×; its columns hold ${(columns.held / MB).toFixed(1)} MiB)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
