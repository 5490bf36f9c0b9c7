// The result viewer in the real editor (code-server + Chromium, as the UI tests run it): a
// 1,000,000 × 20 result against the same viewer with 1,000 × 20, in the same editor, interleaved.
// Measured inside the webview with performance.now(), each step until the rows in view are painted
// (no placeholder cell left):
//   - first rows: from the grid's creation to its first full screen;
//   - page through 50 screens: 50 steps of one screen down (as PageDown moves; 1,000 rows are
//     fewer than 50 screens, so that table starts again at the top when it reaches the end);
//   - scrollbar jumps through 50 positions: the thumb dragged from top to bottom in 50 steps.
// Goal: every 1M ÷ 1k ratio ≤ 1.2. Usage: npm run bench -- results/editor
// (FERRY_BENCH_ROUNDS, default 3; FERRY_SKIP_BUILD=1 skips the webpack build). Diagnostics:
// FERRY_BENCH_STEPS=1 prints each jump's time, FERRY_BENCH_PII_OFF=1 runs with the PII guard off,
// FERRY_BENCH_SETTLE_MS (default 1000) is the wait between the host taking the result in and the scrolls.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { Editor, launchEditor, REPO } from '../../test/editor/harness';
import { fmt, median, ratio } from './lib/common';

const ROUNDS = Number(process.env.FERRY_BENCH_ROUNDS ?? 3);
const STEPS = 50;

// Browser globals used by the page functions below (they run in the webview, not in Node).
interface PageEl {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
  style: { display: string };
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  querySelector(s: string): PageEl | null;
}
declare const document: { querySelector(s: string): PageEl | null; querySelectorAll(s: string): ArrayLike<PageEl> };
declare function requestAnimationFrame(cb: () => void): number;
declare class MutationObserver {
  constructor(cb: () => void);
  observe(target: Node, options: { attributes: boolean; attributeFilter: string[] }): void;
  disconnect(): void;
}
type Node = unknown;

async function openSample(ed: Editor, rows: number): Promise<Frame> {
  const label = rows === 1_000 ? '1,000 rows' : '1,000,000 rows';
  const title = `Sample ${rows.toLocaleString('en-US')} ×`;
  for (let attempt = 1; ; attempt++) {
    try {
      await ed.runCommand('Ferry: Show Sample Result');
      const row = ed.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
      await row.waitFor({ state: 'visible', timeout: 15_000 });
      await row.click();
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
      await ed.page.keyboard.press('Escape');
      await ed.page.waitForTimeout(2000);
    }
  }
  const frame = await ed.webviewFrame(async (f) => {
    const ok = await f.evaluate(
      ([t, n]) => {
        const shown = document.querySelector('#ferry-results .run-title, #ferry-results .run-select option:checked');
        const grid = document.querySelector('.grid-viewport');
        // A grid this benchmark has not used yet: the previous round's result of the same size may still be on screen.
        return !!shown && (shown.textContent ?? '').includes(t as string) && !!grid && grid.dataset.benchUsed === undefined && grid.dataset.firstRowsMs !== undefined && (grid as unknown as { getAttribute(a: string): string }).getAttribute('aria-rowcount') === String(n);
      },
      [title, rows] as const,
    );
    return ok && (await (await f.frameElement()).boundingBox()) !== null;
  }, 120_000);
  await frame.evaluate(() => {
    document.querySelector('.grid-viewport')!.dataset.benchUsed = '1';
  });
  return frame;
}

/**
 * Runs `steps` scroll steps in the page and returns the time of each: from setting the scroll
 * position to the grid's paint of that position with every row in view filled (a MutationObserver
 * on the grid's paint marks sees it the moment it happens, with no frame-polling floor).
 */
function scrollSteps(frame: Frame, mode: 'page' | 'jump'): Promise<number[]> {
  return frame.evaluate(
    async ([m, steps]) => {
      const vp = document.querySelector('.grid-viewport')! as PageEl & { dataset: Record<string, string | undefined> };
      const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
      const visible = () => Array.from(document.querySelectorAll('.grid-row.data')).filter((r) => r.style.display !== 'none');
      // Every row in view shows its own data (the sample's id column is the row's index).
      const rightRows = () => visible().every((r) => r.querySelector('.grid-cell[data-col="0"]')?.textContent === r.dataset.row);
      vp.scrollTop = 0;
      for (let i = 0; i < 10; i++) await nextFrame();
      const times: number[] = [];
      for (let k = 1; k <= (steps as number); k++) {
        const t0 = performance.now();
        // Paging a table shorter than 50 screens starts again from the top when it reaches the end.
        const atEnd = vp.scrollTop + vp.clientHeight >= vp.scrollHeight - 1;
        if (m === 'page') vp.scrollTop = atEnd ? 0 : vp.scrollTop + vp.clientHeight - 44;
        else vp.scrollTop = Math.round((k / (steps as number)) * (vp.scrollHeight - vp.clientHeight));
        const target = String(vp.scrollTop);
        const done = () => vp.dataset.paintedScroll === target && vp.dataset.paintedComplete === '1';
        await new Promise<void>((resolve, reject) => {
          const observer = new MutationObserver(() => {
            if (!done()) return;
            observer.disconnect();
            clearTimeout(timer);
            resolve();
          });
          const timer = setTimeout(() => {
            observer.disconnect();
            reject(new Error(`step ${k}: rows not painted in 10 s`));
          }, 10_000);
          observer.observe(vp as unknown as Node, { attributes: true, attributeFilter: ['data-painted-scroll', 'data-painted-complete'] });
        });
        times.push(performance.now() - t0);
        if (!rightRows()) throw new Error(`step ${k}: a row in view shows another row's data`);
      }
      return times;
    },
    [mode, STEPS] as const,
  );
}

async function firstRows(frame: Frame): Promise<number> {
  return frame.evaluate(() => {
    const d = document.querySelector('.grid-viewport')!.dataset;
    return Number(d.firstRowsMs) - Number(d.createdMs);
  });
}

async function main(): Promise<void> {
  if (!process.env.FERRY_SKIP_BUILD) {
    for (const [cmd, args] of [['node', ['scripts/editor/install-editor.mjs']], ['npx', ['webpack', '--mode', 'production']]] as const) {
      const r = spawnSync(cmd, args, { cwd: REPO, stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
    }
  }
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-editor-'));
  const ed = await launchEditor({ workspace, settings: process.env.FERRY_BENCH_PII_OFF ? { 'ferry.pii.guard': false } : undefined });
  const results: Record<string, { first: number[]; paging: number[]; jumps: number[] }> = { '1k': { first: [], paging: [], jumps: [] }, '1M': { first: [], paging: [], jumps: [] } };
  try {
    await ed.page.waitForTimeout(3000);
    for (let round = 0; round < ROUNDS; round++) {
      const order: Array<['1k' | '1M', number]> = round % 2 ? [['1M', 1_000_000], ['1k', 1_000]] : [['1k', 1_000], ['1M', 1_000_000]];
      for (const [name, rows] of order) {
        const frame = await openSample(ed, rows);
        const r = results[name];
        r.first.push(await firstRows(frame));
        // Time scrolls once the host has taken the result in (the count stops saying it is busy).
        await frame.waitForFunction(() => !(document.querySelector('.table-output .count')?.textContent ?? '…').includes('…'), undefined, { timeout: 120_000, polling: 100 });
        await ed.page.waitForTimeout(Number(process.env.FERRY_BENCH_SETTLE_MS ?? 1000));
        r.paging.push((await scrollSteps(frame, 'page')).reduce((a, b) => a + b, 0));
        const jumpSteps = await scrollSteps(frame, 'jump');
        if (process.env.FERRY_BENCH_STEPS) console.log(`  ${name} jump steps: ${jumpSteps.map((t) => t.toFixed(0)).join(' ')}`);
        r.jumps.push(jumpSteps.reduce((a, b) => a + b, 0));
        console.log(`  round ${round + 1} ${name}: first rows ${fmt(r.first[r.first.length - 1])}, paging ${fmt(r.paging[r.paging.length - 1])}, jumps ${fmt(r.jumps[r.jumps.length - 1])}`);
      }
    }
  } finally {
    await ed.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  console.log(`results/editor (code-server + Chromium, 20 columns, ${ROUNDS} interleaved rounds, medians), ${new Date().toISOString().slice(0, 10)}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (const [key, label] of [['first', 'first rows'], ['paging', 'page through 50 screens'], ['jumps', 'scrollbar jumps through 50 positions']] as const) {
    const a = median(results['1k'][key]);
    const b = median(results['1M'][key]);
    console.log(`  ${label.padEnd(38)} 1k ${fmt(a).padStart(10)}   1M ${fmt(b).padStart(10)}   1M ÷ 1k ${ratio(b, a)}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
