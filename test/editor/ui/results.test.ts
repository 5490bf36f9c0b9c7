// The result viewer in the real editor (code-server + Chromium): a 1,000,000 × 20 result opens,
// scrolls to the end, sorts, filters, copies and charts with a bounded DOM; hostile data executes
// nothing; and the viewer is shown in light, dark and high-contrast themes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Frame } from 'playwright-core';
import { XSS_PAYLOADS } from '../../unit/results/xssCorpus';
import { editor, workspaceDir } from './setup';
import { columnValues } from './viewer';

// The browser globals the page functions below use (they run in the webview, not in Node). Declared
// here, module-scoped, rather than pulling the DOM library into the whole test compilation.
interface El {
  textContent: string | null;
  innerHTML: string;
  tagName: string;
  src: string;
  nonce?: string;
  className: string;
  scrollTop: number;
  scrollLeft: number;
  scrollHeight: number;
  style: { display: string; getPropertyValue(name: string): string };
  dataset: Record<string, string | undefined>;
  attributes: ArrayLike<{ name: string; value: string }>;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  append(...nodes: El[]): void;
  click(): void;
}
declare const document: {
  title: string;
  body: El;
  documentElement: El;
  scripts: ArrayLike<El>;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  createElement(tag: string): El;
};
declare const window: unknown;
declare const navigator: { clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> } };
declare function getComputedStyle(el: El): { backgroundColor: string };
declare const performance: { getEntriesByType(type: string): Array<{ name: string }> };

async function viewerFrame(titlePart: string, timeoutMs = 60_000): Promise<Frame> {
  return editor().webviewFrame(async (f) => {
    const titled = await f.evaluate((t) => {
      const title = document.querySelector('#ferry-results .run-title, #ferry-results .run-select option:checked');
      return !!title && (title.textContent ?? '').includes(t);
    }, titlePart);
    // Only a panel on screen: an earlier attempt's panel may sit in a background tab. And not a
    // grid an earlier test (or attempt) used: a result of the same title may still be shown.
    const fresh = await f.evaluate(() => !document.querySelector('.grid-viewport[data-test-used]'));
    return titled && fresh && (await (await f.frameElement()).boundingBox()) !== null;
  }, timeoutMs);
}

/** Marks the grids now shown as used, so that the next viewerFrame waits for a new one. */
async function markUsed(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    for (const g of Array.from(document.querySelectorAll('.grid-viewport'))) g.dataset.testUsed = '1';
  });
}

/** Runs a palette command, retrying while the workbench is still registering contributions. */
async function runCommand(title: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await editor().runCommand(title);
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await editor().page.keyboard.press('Escape');
      await editor().page.waitForTimeout(2000);
    }
  }
}

async function pickQuickItem(text: string): Promise<void> {
  const page = editor().page;
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
}

async function until<T>(frame: Frame, fn: () => T | Promise<T>, what: string, timeoutMs = 30_000): Promise<void> {
  await frame.waitForFunction(fn, undefined, { timeout: timeoutMs, polling: 100 }).catch((err: Error) => {
    throw new Error(`${what}: ${err.message.split('\n')[0]}`);
  });
}

/** Rows in the DOM (pooled row elements and cells) and the rows shown, by their numbers. */
async function domStats(frame: Frame): Promise<{ rowElements: number; cellElements: number; shownRows: number[]; pending: number }> {
  return frame.evaluate(() => {
    const rows = Array.from(document.querySelectorAll('.grid-row.data'));
    return {
      rowElements: rows.length,
      cellElements: document.querySelectorAll('.grid-cell').length,
      shownRows: rows.filter((r) => r.style.display !== 'none').map((r) => Number(r.dataset.row) + 1),
      pending: document.querySelectorAll('.grid-cell.pending').length,
    };
  });
}

/** Closes the editor tabs whose title holds `title` (result viewers), and checks they are gone. */
async function closeTabs(title: string): Promise<void> {
  const page = editor().page;
  const tab = page.locator('.tabs-container .tab', { hasText: title });
  for (let attempt = 0; attempt < 3 && (await tab.count()) > 0; attempt++) {
    await tab.first().hover();
    await tab
      .first()
      .locator('.tab-actions .action-label')
      .first()
      .click({ timeout: 5_000 })
      .catch(() => tab.first().click({ button: 'middle' }));
    await page.waitForTimeout(500);
  }
  assert.equal(await tab.count(), 0, `the "${title}" result panel was closed`);
}

describe('result viewer in the editor', function () {
  this.timeout(240_000);

  it('opens 1,000,000 × 20 rows, scrolls to the end, sorts and filters with a bounded DOM', async () => {
    const ed = editor();
    const started = Date.now();
    await runCommand('Ferry: Show Sample Result');
    await pickQuickItem('1,000,000 rows');
    const frame = await viewerFrame('Sample 1,000,000');
    await markUsed(frame);
    await until(
      frame,
      () => document.querySelectorAll('.grid-row.data').length > 0 && document.querySelectorAll('.grid-cell.pending').length === 0,
      'first rows',
    );
    console.log(`    first rows shown ${Date.now() - started} ms after the command (includes generating 1M rows on the host)`);
    const count = await frame.locator('.table-output .count').first().textContent();
    assert.match(count ?? '', /1,000,000 rows × 20 columns/);
    let stats = await domStats(frame);
    console.log(
      `    DOM at the top: ${stats.rowElements} row elements, ${stats.cellElements} cell elements, rows ${stats.shownRows[0]}–${stats.shownRows[stats.shownRows.length - 1]}`,
    );
    assert.ok(stats.rowElements <= 80, `too many row elements: ${stats.rowElements}`);
    assert.ok(stats.cellElements <= 80 * 21, `too many cells: ${stats.cellElements}`);

    // NULL is not the empty string (scroll right until the "note" column is in view).
    await frame.evaluate(() => {
      document.querySelector('.grid-viewport')!.scrollLeft = 500;
    });
    await until(frame, () => Array.from(document.querySelectorAll('.grid-row.header .col-name')).some((n) => n.textContent === 'note'), 'the note column');
    const nullCell = await frame.locator('.grid-cell.null').first().textContent();
    assert.equal(nullCell, 'NULL');
    assert.ok((await frame.locator('.grid-cell.empty').count()) > 0, 'an empty-string cell is shown as empty, not NULL');
    // Column types in the header.
    const header = await frame.locator('.grid-row.header').first().innerText();
    assert.match(header, /note\s*varchar/);
    assert.match(header, /active\s*boolean/);

    // Scroll to the very end.
    await frame.evaluate(() => {
      const vp = document.querySelector('.grid-viewport')!;
      vp.scrollLeft = 0;
      vp.scrollTop = vp.scrollHeight;
    });
    await until(
      frame,
      () =>
        Array.from(document.querySelectorAll('.grid-rownum')).some((n) => n.textContent === '1000000') &&
        document.querySelectorAll('.grid-cell.pending').length === 0,
      'the last row',
    );
    stats = await domStats(frame);
    console.log(
      `    DOM at the end: ${stats.rowElements} row elements, ${stats.cellElements} cell elements, rows ${stats.shownRows[0]}–${stats.shownRows[stats.shownRows.length - 1]}`,
    );
    assert.equal(stats.shownRows[stats.shownRows.length - 1], 1_000_000);
    assert.ok(stats.rowElements <= 80);
    const lastIds = await columnValues(frame, 0);
    assert.equal(lastIds[lastIds.length - 1], '999999');

    // Sort by amount (click the header): ascending, NULLs last.
    const sortStarted = Date.now();
    await frame.locator('.grid-row.header .grid-cell', { hasText: 'amount' }).first().click();
    await until(
      frame,
      () =>
        !!document.querySelector('.sort-mark') &&
        !/…/.test(document.querySelector('.table-output .count')?.textContent ?? '…') &&
        document.querySelectorAll('.grid-cell.pending').length === 0 &&
        document.querySelector('.grid-viewport')!.scrollTop === 0,
      'the sorted rows',
      60_000,
    );
    console.log(`    sorted 1,000,000 rows in ${Date.now() - sortStarted} ms (click to rows shown)`);
    const amounts = (await columnValues(frame, 2)).map(Number);
    assert.ok(amounts.length > 5);
    for (let i = 1; i < amounts.length; i++) assert.ok(amounts[i - 1] <= amounts[i], `not ascending: ${amounts.join(', ')}`);
    await frame.evaluate(() => {
      const vp = document.querySelector('.grid-viewport')!;
      vp.scrollTop = vp.scrollHeight;
    });
    await until(
      frame,
      () =>
        Array.from(document.querySelectorAll('.grid-rownum')).some((n) => n.textContent === '1000000') &&
        document.querySelectorAll('.grid-cell.pending').length === 0,
      'the end of the sorted rows',
    );
    const tail = await columnValues(frame, 2);
    assert.equal(tail[tail.length - 1], 'NULL', 'NULLs sort last');
    stats = await domStats(frame);
    console.log(`    DOM after sort, at the end: ${stats.rowElements} row elements, ${stats.cellElements} cell elements`);
    assert.ok(stats.rowElements <= 80);

    // Filter on the host.
    await frame.locator('.table-output input[type="search"]').first().fill('Nairobi');
    await until(frame, () => /filtered from 1,000,000/.test(document.querySelector('.table-output .count')?.textContent ?? ''), 'the filter', 60_000);
    await until(frame, () => document.querySelectorAll('.grid-cell.pending').length === 0, 'filtered rows');
    const cities = await columnValues(frame, 1);
    assert.ok(cities.length > 0 && cities.every((c) => c === 'Nairobi'), cities.join(','));
    console.log(`    filter: ${await frame.locator('.table-output .count').first().textContent()}`);
    await frame.locator('.table-output input[type="search"]').first().fill('');
    await until(
      frame,
      () => (document.querySelector('.table-output .count')?.textContent ?? '') === '1,000,000 rows × 20 columns',
      'the cleared filter',
      60_000,
    );
    await ed.screenshot('results-1m-sorted');

    // Sort again twice in a row (id ascending, then as soon as the header shows it, descending):
    // the second supersedes the first on the host, and only the second order is shown.
    const idHeader = frame.locator('.grid-row.header .grid-cell', { hasText: /^id/ }).first();
    await idHeader.click();
    await until(
      frame,
      () => document.querySelector('.sort-mark')?.textContent === '▲' && !!document.querySelector('.grid-row.header .grid-cell[data-col="0"] .sort-mark'),
      'the first sort on the header',
    );
    await idHeader.click();
    await until(
      frame,
      () =>
        document.querySelector('.sort-mark')?.textContent === '▼' &&
        !/…/.test(document.querySelector('.table-output .count')?.textContent ?? '…') &&
        document.querySelectorAll('.grid-cell.pending').length === 0,
      'the second sort',
      60_000,
    );
    const ids = (await columnValues(frame, 0)).map(Number);
    console.log(`    after two quick sorts by id: ${ids.slice(0, 3).join(', ')}…`);
    assert.deepEqual(ids.slice(0, 3), [999_999, 999_998, 999_997]);

    // Copy the top rows of the sorted million (rows 1–3 with the header).
    await frame.locator('.grid-row.data[data-row="0"] .grid-rownum').click();
    await frame.locator('.grid-row.data[data-row="2"] .grid-rownum').click({ modifiers: ['Shift'] });
    await ed.page.evaluate(() => navigator.clipboard.writeText('')).catch(() => undefined);
    await ed.page.keyboard.press('Control+C');
    let clip = '';
    for (let i = 0; i < 50 && !clip.startsWith('id\t'); i++) {
      await ed.page.waitForTimeout(200);
      clip = await ed.page.evaluate(() => navigator.clipboard.readText()).catch(() => '');
    }
    const copied = clip.split('\n');
    assert.equal(copied.length, 4, clip.slice(0, 200));
    assert.deepEqual(
      copied.slice(1).map((l) => l.split('\t')[0]),
      ['999999', '999998', '999997'],
    );

    // A chart of the million: an even sample, drawn under the CSP.
    await frame.locator('button.open-chart').first().click();
    await until(frame, () => Number(document.querySelector('.chart')?.dataset.drawn ?? '0') >= 1, 'the chart of 1,000,000 rows', 60_000);
    const note = await frame.locator('.chart-note').first().textContent();
    console.log(`    chart: ${note}`);
    assert.match(note ?? '', /An even sample of 20,000 rows/);
    await frame.locator('button.open-chart').first().click();
    // Close this panel (its tab): the next test checks that a fresh viewer loads the chart library only on demand.
    await closeTabs('Sample 1,000,000');
  });

  it('resizes a column, copies a selection as TSV, and draws and exports a chart under the CSP', async () => {
    const ed = editor();
    // A fresh viewer: a failed attempt of this test leaves its panel open with the chart library loaded.
    await closeTabs('Sample 1,000');
    await runCommand('Ferry: Show Sample Result');
    await pickQuickItem('1,000 rows');
    const frame = await viewerFrame('Sample 1,000 ×');
    await markUsed(frame);
    await until(
      frame,
      () => document.querySelectorAll('.grid-row.data').length > 0 && document.querySelectorAll('.grid-cell.pending').length === 0,
      'first rows',
    );

    // Resize "city" by dragging the edge of its header.
    const cityHeader = frame.locator('.grid-row.header .grid-cell', { hasText: 'city' }).first();
    const before = (await cityHeader.boundingBox())!;
    const handle = (await cityHeader.locator('.resizer').boundingBox())!;
    await ed.page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await ed.page.mouse.down();
    await ed.page.mouse.move(handle.x + 80, handle.y + handle.height / 2, { steps: 5 });
    await ed.page.mouse.up();
    const after = (await cityHeader.boundingBox())!;
    console.log(`    column "city" resized from ${before.width} to ${after.width} px`);
    assert.ok(after.width > before.width + 40);

    // Select rows 1–3 by their numbers and copy them as TSV (with the header).
    await frame.locator('.grid-row.data[data-row="0"] .grid-rownum').click();
    await frame.locator('.grid-row.data[data-row="2"] .grid-rownum').click({ modifiers: ['Shift'] });
    await ed.page.keyboard.press('Control+C');
    let clip = '';
    for (let i = 0; i < 50 && !clip.startsWith('id\t'); i++) {
      await ed.page.waitForTimeout(200);
      clip = await ed.page.evaluate(() => navigator.clipboard.readText()).catch(() => '');
    }
    const lines = clip.split('\n');
    console.log(`    clipboard: ${lines.length} lines, first "${lines[0].slice(0, 60)}…"`);
    assert.equal(lines.length, 4);
    assert.match(lines[0], /^id\tcity\tamount\tactive\tday\tnote/);
    assert.match(lines[1], /^0\tLisbon\t/);

    // The chart library is not in the page until a chart is opened.
    const loadedScripts = () =>
      frame.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map((e) => e.name.split('/').pop() ?? '')
          .filter((n) => /\.js/.test(n)),
      );
    const scriptsBefore = await loadedScripts();
    assert.ok(!scriptsBefore.some((s) => /chunk/.test(s)), `a chunk was loaded early: ${scriptsBefore.join(',')}`);
    await frame.locator('button.open-chart').first().click();
    await until(
      frame,
      () => Number(document.querySelector('.chart')?.dataset.drawn ?? '0') >= 1 && !!document.querySelector('.chart-canvas canvas'),
      'the chart',
      60_000,
    );
    const scriptsAfter = await loadedScripts();
    console.log(`    scripts before opening the chart: ${scriptsBefore.join(', ')}; after: ${scriptsAfter.join(', ')}`);
    assert.ok(
      scriptsAfter.some((s) => /chunk\.js/.test(s)),
      'the chart chunk was loaded lazily',
    );
    for (const mark of ['line', 'bar', 'histogram', 'scatter']) {
      const drawn = await frame.evaluate(() => Number(document.querySelector('.chart')!.dataset.drawn));
      await frame.locator('select[name="mark"]').selectOption(mark);
      await until(frame, () => Number(document.querySelector('.chart')!.dataset.drawn) > 0, 'redraw');
      await frame.waitForFunction((d) => Number(document.querySelector('.chart')!.dataset.drawn) > d, drawn, { timeout: 30_000 });
    }
    await frame.locator('select[name="color"]').selectOption({ label: 'city' });
    await ed.page.waitForTimeout(500);
    const violations = await frame.evaluate(() => document.body.dataset.cspViolations ?? '0');
    assert.equal(violations, '0', 'Vega ran without tripping the CSP (no eval)');
    await ed.screenshot('results-chart');

    // Export the chart as SVG through the host: the save dialog (simple dialog) proposes chart.svg in the workspace.
    const target = path.join(workspaceDir, 'chart.svg');
    fs.rmSync(target, { force: true });
    await frame.locator('button.export-svg').click();
    const input = ed.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(target);
    // The simple file dialog checks the typed path as it changes: let it settle before accepting,
    // and accept again if it is still open (it may have been busy listing the folder).
    await ed.page.waitForTimeout(300);
    await input.press('Enter');
    const deadline = Date.now() + 30_000;
    while (!fs.existsSync(target) && Date.now() < deadline) {
      await ed.page.waitForTimeout(500);
      if (!fs.existsSync(target) && (await input.isVisible().catch(() => false))) {
        console.log(`    save dialog still open with "${await input.inputValue().catch(() => '?')}"; pressing Enter again`);
        await input.press('Enter').catch(() => undefined);
      }
    }
    if (!fs.existsSync(target)) {
      await ed.screenshot('results-export-svg-failed');
      throw new Error(`the chart was not exported to ${target} within 30 s`);
    }
    const svg = fs.readFileSync(target, 'utf8');
    console.log(`    exported ${target}: ${svg.length} bytes of SVG`);
    assert.match(svg, /^<svg/);
  });

  it('executes nothing from an XSS corpus in cells, column names, titles, error messages and file names', async () => {
    const ed = editor();
    const ws = workspaceDir;
    assert.ok(XSS_PAYLOADS.length >= 30);
    const hello = pathToFileURL(path.join(ws, 'hello.py')).toString();
    const result = {
      title: `XSS corpus ${XSS_PAYLOADS[0]}`,
      outputs: [
        {
          kind: 'table',
          columns: XSS_PAYLOADS.map((p) => ({ name: p, type: 'string' })),
          rows: XSS_PAYLOADS.map((_, r) => XSS_PAYLOADS.map((p, c) => (c === r ? p : `${p}`))),
        },
        { kind: 'text', text: XSS_PAYLOADS.join('\n') },
        ...XSS_PAYLOADS.slice(0, 6).map((p) => ({
          kind: 'error',
          summary: `ValueError: ${p}`,
          traceback: `Traceback:\n  File "${p}", line 1\n${p}`,
          frames: [
            { file: `/Workspace/${p}.py`, line: 1, function: p, localUri: hello },
            { file: p, line: 2, localUri: 'file:///etc/passwd' },
            { file: `javascript:${p}`, line: 3, localUri: `javascript:window.__ferryXss=1` },
          ],
        })),
      ],
    };
    // A file (so a viewer) of its own each attempt: a failed attempt leaves its page with the
    // control's flag set and its probe element in place, which a retry would read as its own.
    const xssFile = `xss-result-${Date.now().toString(36)}.json`;
    fs.writeFileSync(path.join(ws, xssFile), JSON.stringify(result));
    await ed.page.keyboard.press('Escape');
    await ed.page.keyboard.press('Control+P');
    const quick = ed.page.locator('.quick-input-widget input');
    await quick.waitFor({ state: 'visible' });
    await quick.fill(path.join(ws, xssFile)); // an absolute path: Quick Open needs no index for it
    await ed.page.locator('.quick-input-list .monaco-list-row', { hasText: xssFile }).first().waitFor({ timeout: 15_000 });
    await quick.press('Enter');
    await ed.page.locator('.tab', { hasText: xssFile }).first().waitFor({ timeout: 15_000 });
    await runCommand('Ferry: Open File in Result Viewer');
    const frame = await viewerFrame('XSS corpus');
    await markUsed(frame);
    await until(
      frame,
      () =>
        document.querySelectorAll('.grid-row.data').length > 0 &&
        document.querySelectorAll('.grid-cell.pending').length === 0 &&
        !!document.querySelector('.error-output'),
      'the hostile result',
    );
    // Scroll across every column so each hostile column name and cell is rendered once.
    for (let x = 0; x < 40; x++) {
      await frame.evaluate((step) => {
        const vp = document.querySelector('.grid-viewport')!;
        vp.scrollLeft = step * 150;
        vp.scrollTop = step * 22;
      }, x);
      await frame.waitForTimeout(60);
    }
    // Click the frame links: the hostile-named one opens hello.py; the others are not links.
    const links = frame.locator('.error-output button.link');
    console.log(`    frame links: ${await links.count()}`);
    assert.equal(await links.count(), 6 * 3, 'every frame with a localUri is offered; the host decides what opens');
    await links.first().click();
    // The active group's active tab: hello.py may be open already (an earlier test, a retry), so
    // only the link's opening it brings it to the front of the group the viewer was in.
    await ed.page.locator('.editor-group-container.active .tab.active[data-resource-name="hello.py"]').first().waitFor({ timeout: 15_000 });
    await frame.evaluate(() => document.querySelectorAll('.error-output button.link')[1]?.click());
    await ed.page.waitForTimeout(1500);
    assert.equal(await ed.page.locator('.tab', { hasText: 'passwd' }).count(), 0, '/etc/passwd was not opened');

    const report = await frame.evaluate((payloads) => {
      const w = window as unknown as { __ferryXss?: number };
      // Attributes that could run code: any on* handler, or a URL attribute carrying javascript:/data:.
      // (Payload text inside a title attribute is inert text and is allowed.)
      const handlerAttrs = Array.from(document.querySelectorAll('*')).filter((e) =>
        Array.from(e.attributes).some(
          (a) =>
            /^on/i.test(a.name) ||
            (/^(href|src|action|formaction|data|srcdoc|xlink:href|style)$/i.test(a.name) && /javascript:|data:text|url\(/i.test(a.value)),
        ),
      );
      const bodyText = document.body.textContent ?? '';
      return {
        executed: w.__ferryXss ?? 0,
        cspViolations: Number(document.body.dataset.cspViolations ?? '0'),
        handlerElements: handlerAttrs.map((e) => e.tagName),
        foreignElements: document.querySelectorAll(
          '#ferry-results script, #ferry-results iframe, #ferry-results object, #ferry-results embed, #ferry-results svg, #ferry-results math, #ferry-results form, #ferry-results img, #ferry-results style, #ferry-results link, #ferry-results a, #ferry-results template, base, meta[http-equiv="refresh"]',
        ).length,
        // Our bundle, plus the small script VS Code's webview host injects to define acquireVsCodeApi.
        foreignScripts: Array.from(document.scripts).filter(
          (sc) => !/\/main\.js$/.test(sc.src) && !(sc.src === '' && /acquireVsCodeApi/.test(sc.textContent ?? '')),
        ).length,
        scripts: document.scripts.length,
        shownLiterally: payloads.filter((p) => bodyText.includes(p.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), ''))).length,
        title: document.title,
      };
    }, XSS_PAYLOADS);
    console.log(
      `    XSS: ${XSS_PAYLOADS.length} payloads; executed ${report.executed}, CSP violations ${report.cspViolations}, handler elements ${report.handlerElements.length}, foreign elements ${report.foreignElements}, shown as text ${report.shownLiterally}/${XSS_PAYLOADS.length}`,
    );
    assert.equal(report.executed, 0);
    assert.equal(report.cspViolations, 0);
    assert.deepEqual(report.handlerElements, []);
    assert.equal(report.foreignElements, 0);
    assert.equal(report.foreignScripts, 0, `scripts: ${report.scripts}`);
    assert.equal(report.shownLiterally, XSS_PAYLOADS.length);
    assert.equal(report.title, 'Ferry results');
    await ed.screenshot('results-xss-corpus');

    // Control: the same payload put into the DOM as HTML is noticed (the CSP blocks it and reports
    // it), and a script that does run is seen by the same detector. So zeros above mean something.
    const control = await frame.evaluate((payload) => {
      const probe = document.createElement('div');
      probe.innerHTML = payload;
      document.body.append(probe);
      return new Promise<{ violations: number }>((resolve) =>
        setTimeout(() => resolve({ violations: Number(document.body.dataset.cspViolations ?? '0') }), 1000),
      );
    }, XSS_PAYLOADS[4]);
    const executedControl = await frame.evaluate(() => {
      (window as unknown as { __ferryXss?: number }).__ferryXss = 1;
      return (window as unknown as { __ferryXss?: number }).__ferryXss ?? 0;
    });
    console.log(`    control: an innerHTML'd payload raised ${control.violations} CSP violation(s); a script that ran set the flag to ${executedControl}`);
    assert.ok(control.violations >= 1, 'the detector noticed the control payload');
    assert.equal(executedControl, 1);
  });

  it('looks right in light, dark and high-contrast themes (screenshots)', async () => {
    const ed = editor();
    await runCommand('Ferry: Show Sample Result');
    await pickQuickItem('1,000 rows');
    const frame = await viewerFrame('Sample 1,000 ×');
    await markUsed(frame);
    await until(frame, () => document.querySelectorAll('.grid-cell.pending').length === 0 && document.querySelectorAll('.grid-row.data').length > 0, 'rows');
    const settingsFile = path.join(ed.userDataDir, 'User', 'settings.json');
    const original = fs.readFileSync(settingsFile, 'utf8');
    const themes: Array<[string, string, string]> = [
      ['light', 'Light Modern', 'vscode-light'],
      ['dark', 'Dark Modern', 'vscode-dark'],
      ['high-contrast', 'Dark High Contrast', 'vscode-high-contrast'],
    ];
    const backgrounds: string[] = [];
    const pickTheme = async (label: string) => {
      // Click the palette row itself: Enter would take the first match ("Browse Color Themes in Marketplace").
      await ed.page.keyboard.press('Escape');
      await ed.page.keyboard.press('F1');
      await ed.page.locator('.quick-input-widget input').fill('>Preferences: Color Theme');
      await ed.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Preferences: Color Theme' }).first().click();
      await ed.page.locator('.quick-input-widget input[placeholder*="Color Theme"]').waitFor({ timeout: 15_000 });
      const input = ed.page.locator('.quick-input-widget input');
      await input.fill(label);
      await ed.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 15_000 });
      await input.press('Enter');
    };
    try {
      for (const [name, label, bodyClass] of themes) {
        await pickTheme(label);
        await frame.waitForFunction((c) => document.body.className.split(' ').includes(c), bodyClass, { timeout: 20_000 });
        await ed.page.waitForTimeout(500);
        const bg = await frame.evaluate(() => getComputedStyle(document.body).backgroundColor);
        backgrounds.push(bg);
        const file = await ed.screenshot(`results-theme-${name}`);
        console.log(`    ${label}: body background ${bg}; screenshot ${file}`);
      }
    } finally {
      await pickTheme('Dark Modern').catch(() => undefined);
      fs.writeFileSync(settingsFile, original);
    }
    assert.equal(new Set(backgrounds).size, 3, 'each theme paints the viewer differently');
  });
});
