// The Catalog view in the real editor, on the sandbox's Databricks stand-in seeded as
// `npm run sandbox` seeds it: catalog → schema → tables with their columns and partition keys,
// a volume expanded down to the demo CSV, which opens as a table in the result viewer, and a file
// dropped on the volume.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { seedUnityCatalog, UC_CATALOG, UC_SCHEMA, UC_VOLUME } from '../../../sandbox/demo/seed';
import { editor, services, workspaceDir } from './setup';
import { waitForGridText } from './viewer';

declare const document: {
  querySelector(s: string): { textContent: string | null } | null;
  querySelectorAll(s: string): ArrayLike<{ textContent: string | null }>;
};

function pane(page: Page, title: string): Locator {
  return page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}\\b`, 'i') }) }).first();
}

function row(page: Page, text: string | RegExp): Locator {
  return pane(page, 'Catalog').locator('.monaco-list-row', { hasText: text }).first();
}

/**
 * The row, brought into view. The tree is virtual and its pane may be short (eight views share the
 * side bar): a row below the fold is not in the page until the list scrolls to it, so scroll the
 * list with the mouse wheel, as a user would, down and back to the top, until the row shows (or
 * its children finish loading).
 */
async function show(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  const r = row(page, text);
  const list = pane(page, 'Catalog').locator('.monaco-list').first();
  const deadline = Date.now() + timeoutMs;
  for (let step = 0; ; step++) {
    if (await r.isVisible().catch(() => false)) return r;
    if (Date.now() > deadline) throw new Error(`no row ${String(text)} in the Catalog view: ${(await editor().treeRows('Catalog')).join(' | ')}`);
    await list.hover().catch(() => undefined);
    await page.mouse.wheel(0, step % 16 === 15 ? -5000 : 44);
    await page.waitForTimeout(80);
  }
}

async function expand(page: Page, text: string | RegExp): Promise<void> {
  const r = await show(page, text);
  if ((await r.getAttribute('aria-expanded')) === 'false') await r.click();
}

/** Folds or unfolds a view's pane. */
async function setPane(page: Page, title: string, expanded: boolean): Promise<void> {
  const header = pane(page, title).locator('.pane-header').first();
  await header.waitFor({ timeout: 30_000 });
  if (((await header.getAttribute('aria-expanded')) === 'true') !== expanded) await header.click();
}

/**
 * Expands ferry_demo → churn → Volumes → raw from a collapsed tree until `inside` shows. The tree
 * rebuilds from scratch when the Databricks connection changes (the extension-host suite signs in
 * while it runs), so an attempt may have to start over.
 */
async function openVolume(page: Page, inside: RegExp): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Escape');
      await editor().collapseAll('Catalog');
      await expand(page, UC_CATALOG);
      await expand(page, new RegExp(`^${UC_SCHEMA}$`));
      await expand(page, /^Volumes$/);
      await expand(page, new RegExp(`^${UC_VOLUME}(managed)?$`));
      await show(page, inside);
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      console.log(`    attempt ${attempt}: ${(err as Error).message.split('\n')[0]}; the tree was rebuilt meanwhile, starting over`);
    }
  }
}

describe('Catalog view in the editor', function () {
  this.timeout(180_000);

  before(async function () {
    this.timeout(60_000);
    const db = services().databricks;
    const step = await seedUnityCatalog({
      region: 'us-east-1',
      s3: { endpoint: '', accessKeyId: '', secretAccessKey: '' },
      databricks: { host: db.url, token: db.token },
      workspaceDir,
    });
    assert.equal(step.status, 'done', step.detail);
  });

  beforeEach(async () => {
    // Room for a deep tree, whatever ran before: the Catalog view unfolded, S3 and Athena folded
    // (as the Athena test folds S3; the tests that use them unfold them). Clusters and Jobs keep
    // their state: folding every other view and unfolding them later shares the height out anew,
    // and left the S3 test too little room for its rows.
    const ed = editor();
    await ed.openFerry();
    for (const title of ['S3', 'Athena']) await setPane(ed.page, title, false);
    await setPane(ed.page, 'Catalog', true);
  });

  after(async () => {
    // Fold the Catalog view again (as it starts); S3 and Athena stay folded, as every UI test
    // unfolds the views it uses.
    await setPane(editor().page, 'Catalog', false).catch(() => undefined);
  });

  it('browses catalog → schema → tables with columns, types and partition keys', async () => {
    const ed = editor();
    const page = ed.page;
    await ed.runCommand('Catalog: Refresh');
    await ed.collapseAll('Catalog');
    await expand(page, UC_CATALOG);
    await expand(page, new RegExp(`^${UC_SCHEMA}$`));
    await expand(page, /^Tables$/);
    assert.match(await (await show(page, /^customers/)).innerText(), /managed Delta/);
    assert.match(await (await show(page, /^churn_by_region/)).innerText(), /view/);
    assert.match(await (await show(page, /^events/)).innerText(), /managed Delta/, "the warehouse's tables are listed");
    assert.match(await (await show(page, /^predictions/)).innerText(), /external Parquet/, 'type and format of the table');
    await expand(page, /^predictions/);
    assert.match(await (await show(page, /^churn_probability/)).innerText(), /double · Between 0 and 1/, 'a column with its type and comment');
    assert.match(await (await show(page, /^scored_date/)).innerText(), /date · partition key/, 'the partition key is marked');
    console.log(`    Catalog rows on screen: ${(await ed.treeRows('Catalog')).map((r) => r.replace(/\s+/g, ' ')).join(' | ')}`);
    await ed.screenshot('catalog-tables');
  });

  it('expands a volume down to the demo CSV and opens it as a table in the result viewer', async () => {
    const ed = editor();
    const page = ed.page;
    await openVolume(page, /^customers\.csv/);
    const csv = await show(page, /^customers\.csv/);
    assert.match(await csv.innerText(), /KB/, 'the file shows its size');
    await ed.screenshot('catalog-volume-expanded');
    const isCustomers = async (f: Frame) =>
      f.evaluate(() => {
        const title = document.querySelector('#ferry-results .run-title, #ferry-results .run-select option:checked');
        return !!title && (title.textContent ?? '').includes('customers.csv');
      });
    let frame: Frame | undefined;
    for (let attempt = 1; !frame; attempt++) {
      await csv.click();
      try {
        frame = await ed.webviewFrame(isCustomers, 20_000);
      } catch (err) {
        await ed.screenshot(`catalog-open-csv-attempt-${attempt}`);
        if (attempt >= 3) throw err;
      }
    }
    await waitForGridText(frame, 5, 'C00001');
    const text = await frame.locator('body').innerText();
    // The grid renders the columns on screen only: the first ones, and the count of all seven.
    for (const expected of [
      'customer_id',
      'region',
      'C00001',
      '7 columns',
      'First 1,000 rows',
      `/Volumes/${UC_CATALOG}/${UC_SCHEMA}/${UC_VOLUME}/customers.csv`,
    ])
      assert.ok(text.includes(expected), `"${expected}" not in the viewer`);
    await ed.screenshot('catalog-csv-as-table');
    await page.keyboard.press('Escape');
  });

  it('uploads a file dropped on the volume (an editor tab dragged onto it) and lists it there', async () => {
    const ed = editor();
    const page = ed.page;
    const name = `dropped ${Date.now().toString(36)} #1.csv`;
    const file = path.join(workspaceDir, name);
    fs.writeFileSync(file, 'a,b\n1,2\n');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(file);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
    await input.press('Enter');
    const tab = page.locator('.tabs-container .tab', { hasText: name }).first();
    await tab.waitFor({ timeout: 15_000 });
    await ed.openFerry();
    await openVolume(page, /^customers\.csv/);
    const volumeRow = await show(page, new RegExp(`^${UC_VOLUME}(managed)?$`));
    await tab.dragTo(volumeRow);
    const db = services().databricks;
    const remote = `/Volumes/${UC_CATALOG}/${UC_SCHEMA}/${UC_VOLUME}/${name}`;
    const url = `${db.url}/api/2.0/fs/files${remote.split('/').map(encodeURIComponent).join('/')}`;
    const deadline = Date.now() + 30_000;
    let body: string | undefined;
    while (body === undefined) {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${db.token}` } });
      if (res.ok) body = await res.text();
      else if (Date.now() > deadline) {
        await ed.screenshot('catalog-drop-failed');
        throw new Error(`${remote} did not appear after the drop (HTTP ${res.status})`);
      } else await page.waitForTimeout(500);
    }
    assert.equal(body, 'a,b\n1,2\n');
    await show(page, name);
    await ed.screenshot('catalog-drop-uploaded');
  });

  it('previews a table on the SQL warehouse from its context menu (asking for the warehouse when none is chosen)', async () => {
    const ed = editor();
    const page = ed.page;
    let customers: Locator | undefined;
    for (let attempt = 1; !customers; attempt++) {
      try {
        await page.keyboard.press('Escape');
        await ed.collapseAll('Catalog');
        await expand(page, UC_CATALOG);
        await expand(page, new RegExp(`^${UC_SCHEMA}$`));
        await expand(page, /^Tables$/);
        customers = await show(page, /^customers\s*managed Delta/);
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
    const menuItem = page.locator('.context-view .action-label, .monaco-menu .action-label', { hasText: /^Preview Table$/ }).first();
    for (let attempt = 1; !(await menuItem.isVisible().catch(() => false)); attempt++) {
      await customers.click({ button: 'right' });
      if (
        await menuItem.waitFor({ timeout: 10_000 }).then(
          () => true,
          () => false,
        )
      )
        break;
      if (attempt >= 3) throw new Error('no Preview Table in the context menu');
      await page.keyboard.press('Escape');
    }
    await ed.screenshot('catalog-table-context-menu');
    await menuItem.click();
    // With no warehouse chosen yet, Ferry asks for one; with one chosen, it runs at once.
    const warehouse = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Serverless Starter Warehouse' }).first();
    if (
      await warehouse.waitFor({ timeout: 10_000 }).then(
        () => true,
        () => false,
      )
    )
      await warehouse.click();
    const frame = await ed.webviewFrame(
      (f) =>
        f.evaluate(() => {
          const title = document.querySelector('#ferry-results .run-title, #ferry-results .run-select option:checked');
          return (
            !!title &&
            (title.textContent ?? '').includes('workspace.ferry_demo.customers') &&
            document.querySelectorAll('.grid-row.data').length > 0 &&
            document.querySelectorAll('.grid-cell.pending').length === 0
          );
        }),
      90_000,
    );
    const text = await frame.locator('body').innerText();
    for (const expected of ['customer_id', 'C00001', 'SUCCEEDED', '100']) assert.ok(text.includes(expected), `"${expected}" not in the viewer`);
    await ed.screenshot('catalog-preview-table');
    await page.keyboard.press('Escape');
  });
});
