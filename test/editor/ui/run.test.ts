// Right-click "Run on Cluster" in the real editor's explorer (code-server + Chromium) against the
// sandbox's Databricks stand-in: the file is pushed, runs in a session on the default cluster,
// and its output shows in the result viewer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { editor, services, workspaceDir } from './setup';

declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
};

/** The result viewer's frame once it shows `marker` (picking that run when another one is on top). */
async function viewerShowing(marker: string, timeoutMs = 60_000): Promise<Frame> {
  return editor().webviewFrame(async (f) => {
    const shown = await f.evaluate((m) => (document.querySelector('#ferry-results')?.textContent ?? '').includes(m), marker);
    if (shown) return true;
    const select = f.locator('#ferry-results select.run-select');
    if ((await select.count()) === 0) return false;
    const label = (await select.locator('option').allInnerTexts()).find((t) => t.includes('live_print.py') || t.includes('unstack.py'));
    if (label) await select.selectOption({ label });
    return false;
  }, timeoutMs);
}

async function counts(): Promise<Record<string, number>> {
  const res = await fetch(`${services().databricks.url}/__admin/requests`, { headers: { Authorization: `Bearer ${services().databricks.token}` } });
  return ((await res.json()) as { counts: Record<string, number> }).counts;
}

describe('run on cluster: explorer "Run on Cluster" in the real editor', function () {
  this.timeout(120_000);

  it('runs a Python file from the explorer context menu and shows its output', async () => {
    const ed = editor();
    const page = ed.page;
    const marker = `ran on the cluster ${Date.now().toString(36)}`;
    fs.writeFileSync(path.join(workspaceDir, 'explorer_run.py'), `import os\nprint("${marker}", os.path.basename(__file__))\n`);
    const before = (await counts())['POST /api/1.2/commands/execute'] ?? 0;

    await page.keyboard.press('Escape');
    await ed.runCommand('View: Show Explorer');
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'explorer_run.py' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    // The editor adds extension menu items once the extension host has reported its
    // contributions, a few seconds after the window opens: right-click again until they are there.
    const action = page.locator('.context-view .action-label, .monaco-menu .action-label', { hasText: 'Run on Cluster' }).first();
    const deadline = Date.now() + 60_000;
    for (;;) {
      await row.click({ button: 'right' });
      if (
        await action.waitFor({ state: 'visible', timeout: 3_000 }).then(
          () => true,
          () => false,
        )
      )
        break;
      const labels = await page.locator('.context-view .action-label, .monaco-menu .action-label').allInnerTexts();
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) {
        await ed.screenshot('run-explorer-context-menu-missing');
        throw new Error(`no "Run on Cluster" in the explorer menu: ${labels.join(' | ')}`);
      }
      await page.waitForTimeout(1_000);
    }
    await ed.screenshot('run-explorer-context-menu');
    await action.click();

    // Without a default cluster for the folder yet, Ferry asks for one first.
    const pick = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'ferry-shared-ml' }).first();
    if (
      await pick.waitFor({ state: 'visible', timeout: 5_000 }).then(
        () => true,
        () => false,
      )
    )
      await pick.click();

    // Runs of one source share a panel; the extension-host suite may run cells at the same time,
    // so pick this run in the panel's run list when another one is showing.
    const frame: Frame = await ed.webviewFrame(async (f) => {
      const shown = await f.evaluate((m) => (document.querySelector('#ferry-results')?.textContent ?? '').includes(m), marker);
      if (shown) return true;
      const select = f.locator('#ferry-results select.run-select');
      if ((await select.count()) === 0) return false;
      const label = (await select.locator('option').allInnerTexts()).find((t) => t.includes('explorer_run.py'));
      if (label) await select.selectOption({ label });
      return false;
    }, 60_000);
    const text = await frame.evaluate(() => document.querySelector('#ferry-results')?.textContent ?? '');
    assert.match(text, /explorer_run\.py/, '__file__ is the pushed file');
    const after = (await counts())['POST /api/1.2/commands/execute'] ?? 0;
    assert.ok(after - before >= 1, 'the command executed on the stand-in');
    const pushed = path.join(
      services().databricks.dataDir,
      'workspace',
      'Users',
      services().databricks.userName,
      'ferry',
      path.basename(workspaceDir),
      'explorer_run.py',
    );
    assert.ok(fs.existsSync(pushed), `pushed to ${pushed}`);
    await ed.screenshot('run-explorer-result');
  });

  it('shows printed lines while the code still runs (live output)', async () => {
    const ed = editor();
    const page = ed.page;
    const tag = Date.now().toString(36);
    const file = path.join(workspaceDir, 'live_print.py');
    fs.writeFileSync(file, `import time\nprint("first live line ${tag}", flush=True)\ntime.sleep(5)\nprint("second live line ${tag}")\n`);
    await ed.openFile(file);
    await ed.runCommand('Databricks: Run File on Cluster');
    const pick = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'ferry-shared-ml' }).first();
    if (
      await pick.waitFor({ state: 'visible', timeout: 5_000 }).then(
        () => true,
        () => false,
      )
    )
      await pick.click();
    const frame = await viewerShowing(`first live line ${tag}`, 30_000);
    const text = await frame.evaluate(() => document.querySelector('#ferry-results')?.textContent ?? '');
    assert.doesNotMatch(text, new RegExp(`second live line ${tag}`), 'the second line is not printed yet');
    const cancel = frame.locator('#ferry-results button', { hasText: /^Cancel$/ });
    assert.ok((await cancel.count()) > 0 && (await cancel.first().isVisible()), 'the run is still going (its Cancel button shows)');
    await ed.screenshot('run-live-output-first-line');
    await viewerShowing(`second live line ${tag}`, 30_000);
    await ed.screenshot('run-live-output-finished');
  });

  it('shows a groupby/unstack result with its index labels in the viewer', async () => {
    const ed = editor();
    const file = path.join(workspaceDir, 'unstack.py');
    fs.writeFileSync(
      file,
      [
        'import pandas as pd',
        'predictions = pd.DataFrame({"region": ["north", "north", "south", "south"], "plan": ["basic", "pro", "basic", "pro"], "churn_probability": [0.25, 0.5, 0.125, 0.75]})',
        'display(predictions.groupby(["region", "plan"])["churn_probability"].mean().unstack())',
        'print("unstack done")',
      ].join('\n'),
    );
    await ed.openFile(file);
    await ed.runCommand('Databricks: Run File on Cluster');
    const frame = await viewerShowing('unstack done', 60_000);
    const headers = await frame.evaluate(() =>
      Array.from(document.querySelectorAll('#ferry-results .grid .header-cell, #ferry-results [role="columnheader"]')).map((h) => (h.textContent ?? '').trim()),
    );
    assert.ok(
      headers.some((h) => /^region/.test(h)),
      `the index column is shown: ${JSON.stringify(headers)}`,
    );
    const body = await frame.evaluate(() => document.querySelector('#ferry-results')?.textContent ?? '');
    assert.match(body, /north/);
    assert.match(body, /south/);
    await ed.screenshot('run-unstack-index-labels');
  });

  it("the Session view lists the session's variables after a run, and a DataFrame expands to its columns", async () => {
    const ed = editor();
    const page = ed.page;
    // unstack.py (the test before) left `predictions` in the folder's session.
    await ed.openFerry();
    const pane = page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: /^\s*Session\b/i }) }).first();
    const header = pane.locator('.pane-header').first();
    await header.waitFor({ timeout: 30_000 });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    // The session holds what every run of this folder left (the sandbox's train.py leaves a dozen
    // variables), so the row may be below the pane's fold: scroll the virtual list as a user would.
    const show = async (text: string, timeoutMs: number) => {
      const r = pane.locator('.monaco-list-row', { hasText: text }).first();
      const list = pane.locator('.monaco-list').first();
      const deadline = Date.now() + timeoutMs;
      for (let step = 0; !(await r.isVisible().catch(() => false)); step++) {
        if (Date.now() > deadline) {
          console.log(`    Session rows: ${(await ed.treeRows('Session').catch(() => [])).join(' | ')}`);
          await ed.screenshot('session-view-failed');
          throw new Error(`no row ${text} in the Session view`);
        }
        await list.hover().catch(() => undefined);
        await page.mouse.wheel(0, step % 16 === 15 ? -5000 : 44);
        await page.waitForTimeout(100);
      }
      return r;
    };
    const row = await show('predictions', 30_000);
    assert.match(await row.innerText(), /DataFrame \(pandas\)\s*·\s*4 × 3/);
    await row.click();
    await page.keyboard.press('ArrowRight');
    const column = await show('churn_probability', 10_000);
    assert.match(await column.innerText(), /float64/);
    await ed.screenshot('session-view-after-run');
    // Leave it collapsed, as it starts, so the explorers keep their room for the tests after this one.
    await header.click();
  });
});
