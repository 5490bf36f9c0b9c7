// What a 1,000,000 × 20 result costs the extension host's memory once shown, against the size of
// its CSV export: held as JS row arrays (main at dedf406) and as the columnar store. Each is
// measured in its own Node process (heap + array buffers after a full GC, before and after).
// Goal: the columnar store ≤ 2× the CSV.
// Usage: npm run bench -- results/memory   (FERRY_BENCH_ROWS, default 1000000)
import { spawnSync } from 'node:child_process';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { ResultCell } from '../../src/results/model';
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

async function child(mode: string): Promise<void> {
  const gc = collect();
  gc();
  gc();
  const base = used();
  const t = sampleTable(ROWS, 20);
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

function csvBytes(): number {
  const t = sampleTable(ROWS, 20);
  const rows = t.rows as ResultCell[][];
  let bytes = Buffer.byteLength('\ufeff' + csvHeader(t.columns));
  for (let i = 0; i < rows.length; i += 10_000) bytes += Buffer.byteLength(csvLines(rows.slice(i, i + 10_000)));
  return bytes;
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode === 'rows' || mode === 'columns') return child(mode);
  const measure = (m: string) => {
    const r = spawnSync(process.execPath, [__filename, m], { encoding: 'utf8', env: process.env, maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`${m}: ${r.stderr}`);
    return JSON.parse(r.stdout) as { bytes: number; held: number };
  };
  const csv = csvBytes();
  const rows = measure('rows');
  const columns = measure('columns');
  console.log(`results/memory: ${ROWS.toLocaleString('en-US')} × 20 (the sample result), ${new Date().toISOString().slice(0, 10)}`);
  console.log(`  CSV export                     ${(csv / MB).toFixed(1).padStart(8)} MiB`);
  console.log(`  today: JS row arrays           ${(rows.bytes / MB).toFixed(1).padStart(8)} MiB   ${(rows.bytes / csv).toFixed(2)}× the CSV`);
  console.log(`  columnar store                 ${(columns.bytes / MB).toFixed(1).padStart(8)} MiB   ${(columns.bytes / csv).toFixed(2)}× the CSV (goal ≤ 2×; its columns hold ${(columns.held / MB).toFixed(1)} MiB)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
