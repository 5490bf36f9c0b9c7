// Runs one preview over a hostile, lazily generated input in its own process (the parent starts it
// with a small heap, so a reader that grows without bound dies here instead of in the test runner)
// and writes what it saw, with memory figures, to the JSON file named by its second argument.
//   node previewProbe.js <scenario> <out.json>
import fs from 'node:fs';
import { readCsvPreview } from '../../../src/aws/preview/csv';
import { readJsonLinesPreview } from '../../../src/aws/preview/jsonl';
import type { PreviewTable } from '../../../src/aws/preview/table';

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;

interface Probe {
  pulledBytes: number;
  peakHeapMB: number;
  peakExternalMB: number;
  peakRssMB: number;
}

const probe: Probe = { pulledBytes: 0, peakHeapMB: 0, peakExternalMB: 0, peakRssMB: 0 };
const base = process.memoryUsage();

function sample(): void {
  const m = process.memoryUsage();
  probe.peakHeapMB = Math.max(probe.peakHeapMB, (m.heapUsed - base.heapUsed) / MB);
  probe.peakExternalMB = Math.max(probe.peakExternalMB, (m.external - base.external) / MB);
  probe.peakRssMB = Math.max(probe.peakRssMB, (m.rss - base.rss) / MB);
}

/** `head`, then `fill` repeated up to `total` bytes (or forever), in 64 KiB chunks, then `tail`. */
async function* generated(head: string, fill: string, total: number, tail = ''): AsyncGenerator<Uint8Array> {
  const out = (b: Buffer) => {
    probe.pulledBytes += b.length;
    sample();
    return b;
  };
  yield out(Buffer.from(head));
  const block = Buffer.from(fill.repeat(Math.ceil(CHUNK / fill.length)).slice(0, CHUNK));
  for (let sent = 0; sent < total; sent += block.length) yield out(block);
  if (tail) yield out(Buffer.from(tail));
}

const scenarios: Record<string, () => Promise<PreviewTable>> = {
  // An unterminated quote: everything after it would be one field.
  'csv-open-quote': () => readCsvPreview(generated('a,b\n1,x\n2,"', 'x', 40 * MB)),
  // A header of 20 MB of commas: 20 million empty column names.
  'csv-commas': () => readCsvPreview(generated('', ',', 20 * MB, '\n1,2\n')),
  // Ordinary 10 KB rows, far more of them than any preview should read.
  'csv-budget': () => readCsvPreview(generated('a,b\n', `1,${'y'.repeat(10 * 1024 - 3)}\n`, 2048 * MB), { maxRows: 1_000_000 }),
  // One 300 MB line of JSON.
  'jsonl-one-line': () => readJsonLinesPreview(generated('{"a":1}\n{"b":"', 'z', 300 * MB, '"}\n')),
};

async function main(): Promise<void> {
  const [scenario, outFile] = process.argv.slice(2);
  const run = scenarios[scenario];
  if (!run) throw new Error(`unknown scenario ${scenario}`);
  const started = Date.now();
  const table = await run();
  sample();
  const result = {
    scenario,
    rows: table.rows.length,
    firstRows: table.rows.slice(0, 2).map((r) => r.map((c) => (typeof c === 'string' && c.length > 40 ? `${c.slice(0, 40)}…` : c))),
    columns: table.columns.length,
    truncated: table.truncated,
    note: (table as { truncationNote?: string }).truncationNote,
    ms: Date.now() - started,
    ...probe,
  };
  fs.writeFileSync(outFile, JSON.stringify(result));
}

main().catch((err: unknown) => {
  process.stderr.write(`probe failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
