// Athena in the real editor, on the sandbox's stand-ins (DuckDB over the S3 stand-in): browse the Athena
// view to a table and its columns, preview it, then run a .sql file, and see the rows and the
// data scanned in the result viewer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Frame, Locator, Page } from 'playwright-core';
import { ATHENA_RESULTS_BUCKET } from '../../../sandbox/services';
import { runOk } from '../../integration/athena/statements';
import { editor, services, workspaceDir } from './setup';
import { paintedViewer } from './viewer';

declare const document: {
  querySelector(s: string): { textContent: string | null } | null;
  querySelectorAll(s: string): ArrayLike<{ textContent: string | null }>;
};

const SUFFIX = Date.now().toString(36);
const BUCKET = `ferry-ui-athena-${SUFFIX}`;
const DATABASE = `uidb_${SUFFIX}`;

function athenaPane(page: Page): Locator {
  return page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: /^\s*Athena\b/i }) }).first();
}

function row(page: Page, text: string | RegExp): Locator {
  return athenaPane(page).locator('.monaco-list-row', { hasText: text }).first();
}

async function expand(r: Locator): Promise<void> {
  await r.waitFor({ timeout: 30_000 });
  if ((await r.getAttribute('aria-expanded')) === 'false') await r.click();
}

/** Runs an action until `done` holds (the workbench is slow to react on a loaded machine). */
async function retry(what: string, action: () => Promise<void>, done: () => Promise<boolean>, attempts = 4): Promise<void> {
  for (let i = 1; ; i++) {
    await action().catch(() => undefined);
    if (await done()) return;
    if (i >= attempts) {
      await editor().screenshot(`athena-failed-${what.replace(/\W+/g, '-')}`);
      throw new Error(`${what} did not happen after ${attempts} attempts`);
    }
    await editor().page.keyboard.press('Escape');
  }
}

async function viewerText(frame: Frame): Promise<{ facts: string; cells: string[] }> {
  return frame.evaluate(() => ({
    facts: Array.from(document.querySelectorAll('.facts .fact'))
      .map((f) => f.textContent ?? '')
      .join(' | '),
    cells: Array.from(document.querySelectorAll('.grid-row.data .grid-cell')).map((c) => c.textContent ?? ''),
  }));
}

describe('Athena in the editor', function () {
  this.timeout(180_000);

  before(async function () {
    this.timeout(120_000);
    const { s3, athena } = services();
    const credentials = { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
    const s3Client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials });
    await s3Client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3Client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'sales/region=north/part-0.csv', Body: 'day,amount,item\n2024-01-01,10.5,tea\n2024-01-02,20,coffee\n' }),
    );
    await s3Client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sales/region=south/part-0.csv', Body: 'day,amount,item\n2024-01-01,7.25,\n' }));
    s3Client.destroy();
    const client = new AthenaClient({ region: 'us-east-1', endpoint: athena.endpoint, credentials });
    const run = (sql: string) => runOk(client, sql, { output: `s3://${ATHENA_RESULTS_BUCKET}/results/`, database: DATABASE });
    await run(`CREATE DATABASE ${DATABASE}`);
    await run(`CREATE EXTERNAL TABLE sales (day date, amount double, item string) PARTITIONED BY (region string)
      ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://${BUCKET}/sales/' TBLPROPERTIES ('skip.header.line.count'='1')`);
    client.destroy();
    fs.writeFileSync(
      path.join(workspaceDir, 'athena_totals.sql'),
      '-- totals per region\nSELECT region, sum(amount) AS total, count(*) AS n\nFROM sales\nGROUP BY region\nORDER BY region;\n',
    );
  });

  it('browses catalog → database → table → columns and previews the table', async () => {
    const ed = editor();
    const page = ed.page;
    await ed.openFerry();
    const header = page.locator('.sidebar .pane-header', { hasText: /^\s*Athena/i }).first();
    await header.waitFor({ timeout: 30_000 });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    await ed.runCommand('Athena: Refresh');
    // Start from a collapsed tree: an earlier test may have expanded another database whose rows
    // push this one out of the (virtualized) view.
    await ed.collapseAll('Athena');
    // Give the Athena view room for catalog → database → table → columns: fold the S3 view (tests
    // that need it unfold it again).
    const s3Header = page
      .locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: /^\s*S3\b/i }) })
      .first()
      .locator('.pane-header')
      .first();
    if ((await s3Header.getAttribute('aria-expanded').catch(() => null)) === 'true') await s3Header.click();
    await expand(row(page, 'AwsDataCatalog'));
    await expand(row(page, DATABASE));
    const table = row(page, /^sales/);
    for (let attempt = 0; attempt < 5; attempt++) {
      await expand(table);
      if (
        await row(page, /^amount/)
          .isVisible()
          .catch(() => false)
      )
        break;
      await row(page, /^amount/)
        .waitFor({ timeout: 5_000 })
        .catch(() => undefined);
    }
    await row(page, /^region/).waitFor({ timeout: 30_000 });
    const rows = await ed.treeRows('Athena');
    console.log(`    Athena rows: ${rows.map((r) => r.replace(/\s+/g, ' ')).join(' | ')}`);
    assert.ok(
      rows.some((r) => /amount\s*double/.test(r)),
      'columns with their types',
    );
    assert.ok(
      rows.some((r) => /region\s*string · partition key/.test(r)),
      'the partition key is marked',
    );
    await ed.screenshot('athena-tree');

    const menuItem = page.locator('.context-view .action-label, .monaco-menu .action-label', { hasText: /^Preview Table$/ }).first();
    await retry(
      'context menu',
      () => table.click({ button: 'right' }),
      () =>
        menuItem.waitFor({ timeout: 10_000 }).then(
          () => true,
          () => false,
        ),
    );
    // Hover and Enter: a click on a menu near the window's edge is sometimes lost as it re-lays out.
    await menuItem.hover();
    await page.keyboard.press('Enter');
    if (await menuItem.isVisible().catch(() => false)) await menuItem.click().catch(() => undefined);
    const frame = await paintedViewer(`Preview ${DATABASE}.sales`, 'athena');
    const shown = await viewerText(frame);
    console.log(`    preview facts: ${shown.facts}`);
    assert.ok(shown.cells.includes('coffee'), `rows shown: ${shown.cells.join(',')}`);
    assert.ok(shown.cells.includes('south'), 'partition values come from the key=value folders');
    assert.match(shown.facts, /Data scanned/);
    await ed.screenshot('athena-preview');
  });

  it('runs a .sql file and shows the rows and the data scanned', async () => {
    const ed = editor();
    const page = ed.page;
    const item = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'athena_totals.sql' }).first();
    await retry(
      'quick open',
      async () => {
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+P');
        await page.locator('.quick-input-widget input').fill(path.join(workspaceDir, 'athena_totals.sql'));
      },
      () =>
        item.waitFor({ timeout: 15_000 }).then(
          () => true,
          () => false,
        ),
    );
    await item.click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'GROUP BY region' }).first().waitFor({ timeout: 30_000 });
    await page
      .locator('.codelens-decoration', { hasText: 'Run' })
      .first()
      .waitFor({ timeout: 30_000 })
      .catch(() => undefined);
    // The query runs in the database chosen in the status bar: choose this test's, as a user would
    // (another test in this editor may have chosen another one).
    const pick = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: DATABASE }).first();
    await retry(
      'select database',
      () => ed.runCommand('Athena: Select Database'),
      () =>
        pick.waitFor({ timeout: 15_000 }).then(
          () => true,
          () => false,
        ),
    );
    await pick.click();
    await page.locator('.statusbar-item', { hasText: DATABASE }).first().waitFor({ timeout: 15_000 });
    await page.locator('.monaco-editor .view-lines', { hasText: 'GROUP BY region' }).first().click();
    await ed.runCommand('Athena: Run Query');
    // Should the database still be asked for, answer with this test's.
    if (
      await pick.waitFor({ timeout: 3_000 }).then(
        () => true,
        () => false,
      )
    )
      await pick.click();
    const frame = await paintedViewer('SELECT region, sum(amount)', 'athena');
    const shown = await viewerText(frame);
    console.log(`    query facts: ${shown.facts}`);
    console.log(`    cells: ${shown.cells.join(', ')}`);
    assert.ok(shown.cells.includes('north') && shown.cells.includes('30.5'), `totals shown: ${shown.cells.join(',')}`);
    assert.match(shown.facts, /Data scanned\s*:?\s*[\d.]+ (B|KB)/);
    assert.match(shown.facts, /Cost estimate/);
    assert.match(shown.facts, /SUCCEEDED/);
    await ed.screenshot('athena-run-sql-file');
  });
});
