// The PII guard's cost per window against the window's own cost, on a 1,000,000 × 20 result: each
// window the grid asks for (256 rows × 20 columns) is read from the store, encoded column by column
// and serialized (what the panel did before the guard), and, side by side, scanned and masked by the
// guard (what the panel adds). The ratio is the window served with the guard ÷ without it. Goal:
// ≤ 2 on the mixed table (the guard costs no more than the window it rides on); the adversarial
// table is the worst case, reported as it is.
// Two tables: "mixed", the viewer's sample with four columns of personal data (unique e-mail
// addresses, card numbers, phone numbers, and notes of which one in 40 holds an address), and
// "adversarial", twenty text columns distinct in every row and full of digits and dots (order
// numbers, dates, versions, amounts) that the detectors must look at and reject.
// Usage: npm run bench -- pii/scan   (FERRY_BENCH_ROUNDS, default 7; FERRY_BENCH_ROWS, default 1000000)
import { PiiTableGuard } from '../../src/core/pii/tableGuard';
import type { ResultCell, ResultColumn } from '../../src/results/model';
import { sampleTable } from '../../src/results/sample';
import { TableStore } from '../../src/results/tableStore';
import { encodeColumn } from '../../src/results/wire';
import { fmt, median, ratio } from '../results/lib/common';

const ROUNDS = Number(process.env.FERRY_BENCH_ROUNDS ?? 7);
const ROWS = Number(process.env.FERRY_BENCH_ROWS ?? 1_000_000);
const WINDOW = 256;
const SCREEN = 30;
const CARDS = ['4242424242424242', '5555555555554444', '378282246310005', '6011111111111117', '4000056655665556'];

function mixedTable(rows: number): { columns: ResultColumn[]; rows: ResultCell[][] } {
  const t = sampleTable(rows, 20);
  const columns = [...t.columns];
  columns[5] = { name: 'contact', type: 'string' };
  columns[6] = { name: 'paid_with', type: 'string' };
  columns[7] = { name: 'phone', type: 'string' };
  columns[8] = { name: 'comment', type: 'string' };
  const data = t.rows as ResultCell[][];
  for (let r = 0; r < rows; r++) {
    const row = data[r];
    row[5] = `customer.${r}@example.com`;
    row[6] = CARDS[r % CARDS.length];
    row[7] = `+44 20 ${String(7000 + (r % 3000)).padStart(4, '0')} ${String(r % 10000).padStart(4, '0')}`;
    row[8] = r % 40 === 0 ? `call back, mail ops${r}@example.org` : `order ${r} shipped on 2025-03-${String(1 + (r % 28)).padStart(2, '0')}`;
  }
  return { columns, rows: data };
}

function adversarialTable(rows: number): { columns: ResultColumn[]; rows: ResultCell[][] } {
  const columns: ResultColumn[] = Array.from({ length: 20 }, (_, c) => ({ name: `text_${c}`, type: 'string' as const }));
  const data: ResultCell[][] = new Array(rows);
  for (let r = 0; r < rows; r++) {
    const row: ResultCell[] = new Array(20);
    for (let c = 0; c < 20; c++) {
      switch (c % 5) {
        case 0:
          row[c] = `order ${r * 7 + c} of batch ${r % 977}`;
          break;
        case 1:
          row[c] = `2025-0${1 + (r % 9)}-${String(1 + (r % 28)).padStart(2, '0')}T10:${String(r % 60).padStart(2, '0')}:00Z`;
          break;
        case 2:
          row[c] = `build ${1 + (r % 9)}.${r % 31}.${c}.${r % 255}`;
          break;
        case 3:
          row[c] = `${(r * 13.37 + c).toFixed(2)} EUR, ref ${1_000_000_000_000 + r * 7919 + c}`;
          break;
        default:
          row[c] = `id-${r}-${c}-${(r * 2654435761) % 4294967296}`;
      }
    }
    data[r] = row;
  }
  return { columns, rows: data };
}

/** The windows a session asks for: the first, paging through 50 screens, 50 scrollbar jumps. */
function windowStarts(rows: number): number[] {
  const starts = [0];
  let asked = -1;
  for (let s = 0; s < 50; s++) {
    const w = Math.floor(((s * SCREEN) % rows) / WINDOW);
    if (w !== asked) starts.push(w * WINDOW);
    asked = w;
  }
  for (let k = 1; k <= 50; k++) starts.push(Math.floor((k / 50) * Math.max(0, rows - WINDOW)));
  return starts;
}

async function round(store: TableStore, columns: ResultColumn[]): Promise<{ encode: number; scan: number; masked: number }> {
  // A fresh guard per round, as a fresh result gets one: its caches start cold.
  const guard = new PiiTableGuard(columns);
  const encode: number[] = [];
  const scan: number[] = [];
  let masked = 0;
  for (const start of windowStarts(store.rowCount() ?? 0)) {
    let t = performance.now();
    const cols = await store.getColumns(start, WINDOW);
    const text = JSON.stringify({
      type: 'rows',
      requestId: 1,
      outputId: 'o',
      version: 0,
      mask: 0,
      start,
      count: cols[0]?.length ?? 0,
      columns: cols.map(encodeColumn),
      rowCount: store.rowCount(),
    });
    encode.push(performance.now() - t);
    if (text.length < 10) throw new Error('empty window');
    t = performance.now();
    const shown = guard.window(cols);
    scan.push(performance.now() - t);
    for (let c = 0; c < shown.length; c++) if (shown[c] !== cols[c]) for (let i = 0; i < shown[c].length; i++) if (shown[c][i] !== cols[c][i]) masked++;
  }
  return { encode: median(encode), scan: median(scan), masked };
}

async function main(): Promise<void> {
  const tables: Record<string, { store: TableStore; columns: ResultColumn[] }> = {};
  for (const [name, make] of [
    ['mixed', mixedTable],
    ['adversarial', adversarialTable],
  ] as const) {
    const t = make(ROWS);
    const store = new TableStore({ kind: 'table', columns: t.columns, rows: t.rows });
    await store.ready;
    t.rows.length = 0;
    tables[name] = { store, columns: t.columns };
  }
  const results: Record<string, Array<{ encode: number; scan: number; masked: number }>> = { mixed: [], adversarial: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? ['adversarial', 'mixed'] : ['mixed', 'adversarial'];
    for (const name of order) results[name].push(await round(tables[name].store, tables[name].columns));
  }
  console.log(
    `pii/scan (${ROWS.toLocaleString('en-US')} × 20, windows of ${WINDOW} rows: the first, 50 screens paged, 50 jumps; ${ROUNDS} interleaved rounds, medians), ${new Date().toISOString().slice(0, 10)}`,
  );
  for (const name of ['mixed', 'adversarial']) {
    const enc = median(results[name].map((x) => x.encode));
    const scan = median(results[name].map((x) => x.scan));
    console.log(
      `  ${name.padEnd(12)} window without guard (read + encode + serialize) ${fmt(enc).padStart(9)}   guard (scan + mask) ${fmt(scan).padStart(9)}   with ÷ without ${ratio(enc + scan, enc)}   cells masked per round ${results[name][0].masked.toLocaleString('en-US')}`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
