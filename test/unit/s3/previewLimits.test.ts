// Previews of hostile or huge objects stay small: each scenario runs in a child process with a
// 160 MB heap (a reader that grows without bound dies there), and the test checks what was read,
// what was shown, what the note says was cut, and the peak memory the child measured.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MB = 1024 * 1024;

interface ProbeResult {
  rows: number;
  firstRows: unknown[][];
  columns: number;
  truncated: boolean;
  note?: string;
  pulledBytes: number;
  peakHeapMB: number;
  peakExternalMB: number;
  peakRssMB: number;
  ms: number;
}

async function probe(scenario: string): Promise<ProbeResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-preview-probe-'));
  const outFile = path.join(dir, 'result.json');
  const logFile = path.join(dir, 'log.txt');
  const log = fs.openSync(logFile, 'w');
  try {
    // stdout/stderr to a file: under Wine a pipe between two Node processes is not reliable.
    const child = spawn(process.execPath, ['--max-old-space-size=160', path.join(__dirname, 'previewProbe.js'), scenario, outFile], {
      stdio: ['ignore', log, log],
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill();
    }, 60_000);
    const exit = await new Promise<string>((resolve) => child.on('exit', (c, signal) => resolve(signal ? `signal ${signal}` : String(c))));
    clearTimeout(timer);
    const lines = fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim());
    const output = (lines.find((l) => /FATAL ERROR|probe failed/.test(l)) ?? lines.slice(-2).join(' | ')).trim();
    assert.equal(
      exit,
      '0',
      `the preview of ${scenario} did not finish with 160 MB of heap (${timedOut ? 'still running after 60 s' : `exit ${exit}`}): ${output.slice(0, 300)}`,
    );
    const result = JSON.parse(fs.readFileSync(outFile, 'utf8')) as ProbeResult;
    console.log(
      `      ${scenario}: read ${(result.pulledBytes / MB).toFixed(1)} MB in ${result.ms} ms; peak heap +${result.peakHeapMB.toFixed(1)} MB, external +${result.peakExternalMB.toFixed(1)} MB, rss +${result.peakRssMB.toFixed(1)} MB; ${result.rows} rows; note: ${result.note}`,
    );
    return result;
  } finally {
    fs.closeSync(log);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('preview limits (a child process with a 160 MB heap per object)', function () {
  this.timeout(120_000);

  it('an unterminated quote stops at the row limit, keeps the rows before it and says so', async () => {
    const r = await probe('csv-open-quote');
    assert.equal(r.rows, 1);
    assert.deepEqual(r.firstRows[0], [1, 'x']);
    assert.equal(r.truncated, true);
    assert.match(r.note ?? '', /row 3 .*longer than 8 MB/i);
    assert.ok(r.pulledBytes <= 10 * MB, `read ${r.pulledBytes} bytes of a 40 MB object`);
    assert.ok(r.peakHeapMB + r.peakExternalMB < 64, `peak memory +${(r.peakHeapMB + r.peakExternalMB).toFixed(1)} MB`);
  });

  it('a header of 20 MB of commas stops at the column limit with a clear note', async () => {
    const r = await probe('csv-commas');
    assert.equal(r.rows, 0);
    assert.ok(r.columns <= 16_384, `${r.columns} columns`);
    assert.match(r.note ?? '', /more than 16,384 columns/);
    assert.ok(r.pulledBytes <= 2 * MB, `read ${r.pulledBytes} bytes`);
    assert.ok(r.peakHeapMB + r.peakExternalMB < 64, `peak memory +${(r.peakHeapMB + r.peakExternalMB).toFixed(1)} MB`);
  });

  it('ordinary rows stop at the preview budget (32 MB read), whatever the row limit', async () => {
    const r = await probe('csv-budget');
    assert.ok(r.rows > 3000 && r.rows < 3300, `${r.rows} rows of 10 KB`);
    assert.equal(r.truncated, true);
    assert.match(r.note ?? '', /first 32 MB/);
    assert.ok(r.pulledBytes <= 32 * MB + 64 * 1024 + 4, `read ${r.pulledBytes} bytes`);
    assert.ok(r.peakHeapMB + r.peakExternalMB < 32 * 3, `peak memory +${(r.peakHeapMB + r.peakExternalMB).toFixed(1)} MB for 32 MB of rows`);
  });

  it('a 300 MB line of JSON stops at the line limit and keeps the lines before it', async () => {
    const r = await probe('jsonl-one-line');
    assert.equal(r.rows, 1);
    assert.deepEqual(r.firstRows[0], [1]);
    assert.match(r.note ?? '', /line 2 .*longer than 8 MB/i);
    assert.ok(r.pulledBytes <= 10 * MB, `read ${r.pulledBytes} bytes of a 300 MB object`);
    assert.ok(r.peakHeapMB + r.peakExternalMB < 64, `peak memory +${(r.peakHeapMB + r.peakExternalMB).toFixed(1)} MB`);
  });
});
