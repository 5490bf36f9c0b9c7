// Databricks SQL in the real editor (code-server + Chromium) against the stand-in: the SQL
// Warehouses view with each warehouse's state; a .sql file set to Databricks SQL (the engine shown
// in the status bar and the CodeLens, Athena's lens gone), a warehouse chosen from the status-bar
// picker, the statement run from its CodeLens, and its grid, rows, bytes and duration in the
// result viewer; then 1,000,000 rows through external links, scrolled to the end in the grid.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Frame, Locator } from 'playwright-core';
import { generateCustomers } from '../../../sandbox/demo/data';
import { editor, workspaceDir } from './setup';
import { paintedViewer } from './viewer';

declare const document: {
  querySelector(s: string): { textContent: string | null; scrollTop: number; scrollHeight: number } | null;
  querySelectorAll(s: string): ArrayLike<{ textContent: string | null }>;
};

const FILE = 'warehouse_plans.sql';
const BIG = 'warehouse_events.sql';

function pane(title: string): Locator {
  const page = editor().page;
  return page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}\\b`, 'i') }) }).first();
}

async function pickQuickItem(text: string | RegExp): Promise<void> {
  const r = editor().page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
  await r.waitFor({ state: 'visible', timeout: 20_000 });
  await r.click();
}

async function openFile(name: string, marker: string): Promise<void> {
  const page = editor().page;
  for (let attempt = 0; attempt < 4; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill(path.join(workspaceDir, name));
    const ok = await page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: name })
      .first()
      .click({ timeout: 15_000 })
      .then(
        () => true,
        () => false,
      );
    if (
      ok &&
      (await page
        .locator('.monaco-editor .view-lines', { hasText: marker })
        .first()
        .waitFor({ timeout: 20_000 })
        .then(
          () => true,
          () => false,
        ))
    )
      return;
  }
  await editor().screenshot(`sql-open-failed-${name}`);
  throw new Error(`could not open ${name}`);
}

async function shown(frame: Frame): Promise<{ facts: string; cells: string[] }> {
  return frame.evaluate(() => ({
    facts: Array.from(document.querySelectorAll('.facts .fact'))
      .map((f) => f.textContent ?? '')
      .join(' | '),
    cells: Array.from(document.querySelectorAll('.grid-row.data .grid-cell')).map((c) => c.textContent ?? ''),
  }));
}

const PLANS_SQL =
  '-- customers per plan, on the SQL warehouse\nSELECT plan, count(*) AS customers, round(avg(monthly_spend), 2) AS avg_spend\nFROM workspace.ferry_demo.customers\nGROUP BY plan\nORDER BY plan;\n';

describe('Databricks SQL warehouses in the editor', function () {
  this.timeout(240_000);

  before(() => {
    fs.writeFileSync(path.join(workspaceDir, BIG), 'SELECT event_id, customer_id, kind, amount FROM workspace.ferry_demo.events ORDER BY event_id;\n');
  });

  it('shows the SQL warehouses with their states', async () => {
    const ed = editor();
    await ed.openFerry();
    const header = pane('SQL Warehouses').locator('.pane-header').first();
    await header.waitFor({ timeout: 30_000 });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const running = pane('SQL Warehouses').locator('.monaco-list-row', { hasText: 'Serverless Starter Warehouse' }).first();
    await running.waitFor({ timeout: 30_000 });
    const stopped = pane('SQL Warehouses').locator('.monaco-list-row', { hasText: 'ferry-classic-small' }).first();
    await stopped.waitFor({ timeout: 30_000 });
    assert.match(await running.innerText(), /Running[\s\S]*Serverless · 2X-Small/);
    assert.match(await stopped.innerText(), /Stopped[\s\S]*Classic · Small/);
    await ed.screenshot('sql-warehouses-view');
  });

  it('runs a .sql file on the chosen warehouse from its CodeLens and shows the grid', async () => {
    const ed = editor();
    const page = ed.page;
    // A file of its own each attempt: the engine chosen below is remembered per file, so a retry
    // on the same file would find it chosen and the "choose engine" state gone.
    const file = `${FILE.replace(/\.sql$/, '')}-${Date.now().toString(36)}.sql`;
    fs.writeFileSync(path.join(workspaceDir, file), PLANS_SQL);
    await openFile(file, 'GROUP BY plan');
    // No engine chosen yet: the file says so, and offers both engines.
    await page.locator('.statusbar-item', { hasText: 'SQL: choose engine' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.codelens-decoration', { hasText: 'Run on Databricks SQL' }).first().waitFor({ timeout: 30_000 });
    await ed.runCommand('SQL: Choose Engine for This File…');
    await pickQuickItem(/^\s*Databricks SQL\s*Run on a Databricks SQL warehouse/);
    await page.locator('.statusbar-item', { hasText: 'SQL: Databricks SQL' }).first().waitFor({ timeout: 15_000 });
    // The warehouse, from the status-bar picker.
    await page
      .locator('.statusbar-item', { hasText: /choose SQL warehouse|Warehouse/i })
      .first()
      .click();
    await pickQuickItem('Serverless Starter Warehouse');
    await page
      .locator('.statusbar-item', { hasText: /Serverless Starter Warehouse/ })
      .first()
      .waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('.statusbar-item', { hasText: /Athena: / }).count(), 0, 'the Athena database is not shown for a Databricks SQL file');
    const lens = page.locator('.codelens-decoration a', { hasText: 'Run on Serverless Starter Warehouse' }).first();
    await lens.waitFor({ timeout: 30_000 });
    const lensTexts = await page.locator('.codelens-decoration').allInnerTexts();
    assert.ok(!lensTexts.some((t) => /^\s*Run\s*$|Run on Athena/.test(t)), `Athena's lens is gone: ${lensTexts.join(' | ')}`);
    assert.ok(
      lensTexts.some((t) => /Databricks SQL · Serverless Starter Warehouse/.test(t)),
      `the engine lens: ${lensTexts.join(' | ')}`,
    );
    await ed.screenshot('sql-file-codelens');
    await lens.click();

    const frame = await paintedViewer('SELECT plan, count(*)', 'sql-viewer');
    const out = await shown(frame);
    console.log(`    facts: ${out.facts}`);
    const customers = generateCustomers();
    for (const plan of ['basic', 'plus', 'pro']) {
      const i = out.cells.indexOf(plan);
      assert.ok(i >= 0, `${plan} shown: ${out.cells.join(',')}`);
      assert.equal(out.cells[i + 1], String(customers.filter((c) => c.plan === plan).length));
    }
    assert.match(out.facts, /SUCCEEDED/);
    assert.match(out.facts, /Rows\s*:?\s*3\b/);
    assert.match(out.facts, /Bytes\s*:?\s*[\d.]+ (B|KB)/);
    assert.match(out.facts, /Duration\s*:?\s*[\d.]+ (ms|s)/);
    assert.match(out.facts, /Serverless Starter Warehouse/);
    await ed.screenshot('sql-file-result');
  });

  it('pages 1,000,000 rows from external links as the grid scrolls to the end', async () => {
    const ed = editor();
    await openFile(BIG, 'ORDER BY event_id');
    await ed.runCommand('SQL: Choose Engine for This File…');
    await pickQuickItem(/^\s*Databricks SQL\s*Run on a Databricks SQL warehouse/);
    await ed.page.locator('.monaco-editor .view-lines', { hasText: 'ORDER BY event_id' }).first().click();
    await ed.runCommand('Databricks: Run SQL on Warehouse');
    const frame = await paintedViewer('SELECT event_id, customer_id', 'sql-viewer', 120_000);
    const first = await shown(frame);
    assert.match(first.facts, /Rows\s*:?\s*1,000,000/);
    assert.match(first.facts, /external links/);
    assert.ok(first.cells.includes('0') && first.cells.includes('C00001'), `first rows: ${first.cells.slice(0, 12).join(',')}`);
    // Jump to the bottom, as dragging the scrollbar would.
    await frame.evaluate(() => {
      const vp = document.querySelector('.grid-viewport')!;
      vp.scrollTop = vp.scrollHeight;
    });
    const deadline = Date.now() + 60_000;
    let cells: string[] = [];
    while (Date.now() < deadline) {
      cells = (await shown(frame)).cells;
      if (cells.includes('999999')) break;
      await ed.page.waitForTimeout(300);
    }
    assert.ok(cells.includes('999999'), `the last row arrives: ${cells.slice(-12).join(',')}`);
    await ed.screenshot('sql-million-rows-end');
  });
});
