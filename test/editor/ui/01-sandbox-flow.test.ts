// Runs right after the extension-host suite (file order), before other UI tests leave their panels open.
// The whole flow of `npm run sandbox`, through the UI of a real VS Code on the stand-ins:
// upload the raw data → run the training script on the cluster → predictions appear in S3 →
// create an Athena table over that prefix → query it → the rows are shown. Each step is its own
// test and checks its effect on the services themselves (S3 objects, the Athena catalog), not
// only what the screen says. The last screenshot is the README's "Ferry at work".
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AthenaClient, GetTableMetadataCommand } from '@aws-sdk/client-athena';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Frame, Locator, Page } from 'playwright-core';
import { ATHENA_DATABASE, customersCsv, DEMO_BUCKET, PREDICTIONS_TABLE, RAW_KEY } from '../../../sandbox/demo/data';
import { seedAthena, seedDatabricks } from '../../../sandbox/demo/seed';
import { seedTargetFrom } from '../../../sandbox/launcher/target';
import { ATHENA_RESULTS_BUCKET } from '../../../sandbox/services';
import { runOk } from '../../integration/athena/statements';
import { REPO } from '../harness';
import { editor, services, workspaceDir } from './setup';

declare const document: {
  querySelector(s: string): { textContent: string | null } | null;
  querySelectorAll(s: string): ArrayLike<{ textContent: string | null }>;
};

const PREDICTIONS_KEY = 'predictions/churn_predictions.csv';

function s3Client(): S3Client {
  const s3 = services().s3;
  return new S3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
}

/** A client of the editor's Athena stand-in. */
function athenaClient(): AthenaClient {
  const svc = services();
  return new AthenaClient({
    region: 'us-east-1',
    endpoint: String(svc.settings['ferry.athena.endpoint']),
    credentials: { accessKeyId: svc.s3.accessKeyId, secretAccessKey: svc.s3.secretAccessKey },
  });
}

/** DROP TABLE IF EXISTS on the Athena stand-in, to its end. */
async function dropTable(name: string): Promise<void> {
  const athena = athenaClient();
  try {
    await runOk(athena, `DROP TABLE IF EXISTS ${name}`, { output: `s3://${ATHENA_RESULTS_BUCKET}/results/` });
  } finally {
    athena.destroy();
  }
}

async function objectText(client: S3Client, key: string): Promise<string | undefined> {
  try {
    const got = await client.send(new GetObjectCommand({ Bucket: DEMO_BUCKET, Key: key }));
    return await got.Body?.transformToString();
  } catch {
    return undefined;
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, page: Page): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await page.waitForTimeout(250);
  }
}

/** The quick input's text box (palette, input boxes, the simple file dialog). */
function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget input').first();
}

/** Types an answer into the quick input once it shows `title` (input boxes, the simple file dialog). */
async function answerInput(page: Page, text: string, title?: string | RegExp): Promise<void> {
  if (title) await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).first().waitFor({ state: 'visible', timeout: 15_000 });
  const input = quickInput(page);
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text);
  await page.waitForTimeout(150);
  await input.press('Enter');
}

function s3Pane(page: Page): Locator {
  return page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: /^\s*S3\b/i }) }).first();
}

/** Expands the S3 tree along labels (bucket, prefix, …) and returns the row of the last one. */
async function revealInS3(page: Page, labels: string[]): Promise<Locator> {
  const pane = s3Pane(page);
  let row: Locator | undefined;
  for (const [i, label] of labels.entries()) {
    row = pane.locator('.monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: 30_000 });
    if (i < labels.length - 1 && (await row.getAttribute('aria-expanded')) === 'false') await row.click();
  }
  return row as Locator;
}

/** All text of a frame's page, hidden parts included (textContent, not innerText). */
async function frameText(frame: Frame): Promise<string> {
  return (
    (await frame
      .locator('body')
      .textContent({ timeout: 2000 })
      .catch(() => '')) ?? ''
  );
}

/** Right-clicks `row` and chooses the context-menu item labelled `item`. */
async function contextMenu(page: Page, row: Locator, item: string | RegExp): Promise<void> {
  await row.click({ button: 'right' });
  const entry = page.locator('.monaco-menu .action-item', { hasText: item }).first();
  await entry.waitFor({ state: 'visible', timeout: 10_000 });
  await entry.hover();
  await entry.click();
  // A click that lands while the menu is still settling is dropped: Enter on the hovered item then.
  await page.waitForTimeout(500);
  if (await entry.isVisible().catch(() => false)) await page.keyboard.press('Enter');
}

/** Whether some text matching `re` is on screen: the workbench or any webview frame. */
async function shownAnywhere(page: Page, re: RegExp): Promise<boolean> {
  // textContent, not innerText: a webview in a background tab is hidden but still holds its text.
  for (const frame of page.frames()) {
    const text = await frameText(frame);
    if (re.test(text)) return true;
  }
  return false;
}

/** Picks the quick-pick row containing `label` if a quick pick is open; returns whether it did. */
async function pickIfAsked(page: Page, label: string | RegExp, waitMs: number): Promise<boolean> {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
  try {
    await row.waitFor({ state: 'visible', timeout: waitMs });
  } catch {
    return false;
  }
  await row.click();
  return true;
}

describe('sandbox: the whole flow through the UI', function () {
  this.timeout(180_000);
  let client: S3Client;

  before(async function () {
    this.timeout(420_000);
    // (No "Close All Editors": its save prompt for the suite's untitled files would block the page.)
    await editor().page.keyboard.press('Escape');
    await editor().page.keyboard.press('Escape');
    const svc = services();
    // The sandbox's workspace, as `npm run sandbox` prepares it.
    for (const f of ['train.py', 'mlflow_rest.py', 'query.sql', 'explore.ipynb'])
      fs.copyFileSync(path.join(REPO, 'sandbox', 'demo', 'workspace', f), path.join(workspaceDir, f));
    fs.mkdirSync(path.join(workspaceDir, 'data'), { recursive: true });
    fs.writeFileSync(path.join(workspaceDir, 'data', 'customers.csv'), customersCsv());
    // The bucket exists and is empty: the raw data must arrive through the UI.
    client = s3Client();
    await client.send(new CreateBucketCommand({ Bucket: DEMO_BUCKET })).catch(() => undefined);
    const listed = await client.send(new ListObjectsV2Command({ Bucket: DEMO_BUCKET }));
    for (const o of listed.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: DEMO_BUCKET, Key: o.Key }));
    // As `npm run sandbox` seeds them: the Athena database and the scheduled job.
    for (const step of [await seedAthena(seedTargetFrom(svc, workspaceDir)), await seedDatabricks(seedTargetFrom(svc, workspaceDir))]) {
      console.log(`    seed ${step.name}: ${step.status} ${step.detail}`);
    }
  });

  afterEach(async function () {
    // A failed step leaves a picture of the workbench as it was.
    if (this.currentTest?.state === 'failed') {
      const n = /^(\d+)\./.exec(this.currentTest.title)?.[1] ?? 'x';
      await editor()
        .screenshot(`sandbox-failed-step-${n}`)
        .catch(() => undefined);
    }
  });

  after(async function () {
    client?.destroy();
    const file = await editor()
      .screenshot('ferry-at-work')
      .catch(() => undefined);
    if (file) console.log(`    screenshot: ${file}`);
  });

  it('1. uploads data/customers.csv to s3://ferry-demo/raw/ from the Explorer\'s "Upload to S3…"', async () => {
    const ed = editor();
    const page = ed.page;
    // Not there before the upload (a retry finds the failed attempt's).
    await client.send(new DeleteObjectCommand({ Bucket: DEMO_BUCKET, Key: RAW_KEY }));
    await ed.runCommand('View: Show Explorer');
    const explorer = page.locator('.explorer-folders-view');
    const folder = explorer.locator('.monaco-list-row', { hasText: /^\s*data\s*$/ }).first();
    await folder.waitFor({ timeout: 30_000 });
    if ((await folder.getAttribute('aria-expanded')) === 'false') await folder.click();
    const file = explorer.locator('.monaco-list-row', { hasText: 'customers.csv' }).first();
    await file.waitFor({ timeout: 15_000 });
    await contextMenu(page, file, 'Upload to S3');
    await answerInput(page, `s3://${DEMO_BUCKET}/raw/`, 'Upload to S3');
    await ed.openFerry();
    const text = await until('raw/customers.csv in S3', () => objectText(client, RAW_KEY), 60_000, page);
    assert.equal(text, fs.readFileSync(path.join(workspaceDir, 'data', 'customers.csv'), 'utf8'));
    const row = await revealInS3(page, [DEMO_BUCKET, 'raw', 'customers.csv']);
    assert.match(await row.innerText(), /customers\.csv/);
    await ed.screenshot('sandbox-1-uploaded');
  });

  it('2. runs train.py on the cluster with "Run File on Cluster" and shows its output', async () => {
    const ed = editor();
    const page = ed.page;
    await ed.openFile(path.join(workspaceDir, 'train.py'));
    // Sessions opened earlier in this editor (the extension-host suite) started before the cluster's
    // Python was given the sandbox's S3: a fresh session has it, as every session of `npm run sandbox` does.
    await ed.runCommand('Databricks: Restart Session');
    // Without a default cluster (the host suite, which chooses one, left out by a --grep) Ferry asks.
    await pickIfAsked(page, /ferry-shared-ml/, 3000);
    await page
      .locator('.notifications-toasts', { hasText: /Session restarted|no session to restart/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await ed.runCommand('Run File on Cluster');
    // Without a default cluster Ferry asks for one: take the running one.
    await pickIfAsked(page, /ferry-shared-ml|Running/i, 5000);
    await until(
      'the run output "wrote 1200 predictions"',
      async () => ((await shownAnywhere(page, /wrote 1200 predictions/)) ? true : undefined),
      150_000,
      page,
    );
    assert.ok(await shownAnywhere(page, /test ROC AUC: 0\.\d+/), 'the model score is not shown');
    await ed.screenshot('sandbox-2-run-on-cluster');
  });

  it('3. the predictions are in s3://ferry-demo/predictions/ and the S3 view lists them', async () => {
    const ed = editor();
    const page = ed.page;
    const csv = await until('predictions CSV in S3', () => objectText(client, PREDICTIONS_KEY), 30_000, page);
    const lines = csv.trim().split('\n');
    assert.equal(lines[0], 'customer_id,region,plan,churn_probability,predicted_churn');
    assert.equal(lines.length, 1201);
    await ed.openFerry();
    await ed.runCommand('Ferry: Refresh S3');
    const row = await revealInS3(page, [DEMO_BUCKET, 'predictions', 'churn_predictions.csv']);
    assert.match(await row.innerText(), /churn_predictions\.csv/);
    await ed.screenshot('sandbox-3-predictions-in-s3');
  });

  it('4. creates an Athena table over predictions/ from the S3 view\'s "Create Athena Table from S3 Prefix…"', async () => {
    const ed = editor();
    const page = ed.page;
    // Not there before this step makes it (a retry finds the failed attempt's table).
    await dropTable(`${ATHENA_DATABASE}.${PREDICTIONS_TABLE}`);
    await ed.openFerry();
    // The table goes to the database chosen in the status bar: choose the demo's, as a user would
    // (an earlier UI test in this editor may have chosen another).
    await ed.runCommand('Athena: Select Database');
    await pickIfAsked(page, ATHENA_DATABASE, 15_000);
    const prefix = await revealInS3(page, [DEMO_BUCKET, 'predictions/']);
    await contextMenu(page, prefix, 'Create Athena Table from S3 Prefix');
    await pickIfAsked(page, ATHENA_DATABASE, 5000);
    // Ferry shows the CREATE TABLE in an editor for review (Monaco renders spaces as U+00A0) and
    // asks before running it; the toast hides after a while, then the button is in the center.
    await page
      .locator('.monaco-editor .view-lines', { hasText: /CREATE.EXTERNAL.TABLE/i })
      .first()
      .waitFor({ timeout: 30_000 });
    const toastRun = page.locator('.notifications-toasts .monaco-button', { hasText: /^Run$/ }).first();
    const shown = await toastRun.waitFor({ timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (shown) await toastRun.click();
    else {
      await ed.runCommand('Notifications: Show Notifications');
      await page.locator('.notifications-center .monaco-button', { hasText: /^Run$/ }).first().click({ timeout: 10_000 });
    }
    const athena = athenaClient();
    try {
      const meta = await until(
        `table ${ATHENA_DATABASE}.${PREDICTIONS_TABLE} in the Athena catalog`,
        () =>
          athena.send(new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: ATHENA_DATABASE, TableName: PREDICTIONS_TABLE })).then(
            (r) => r.TableMetadata,
            () => undefined,
          ),
        60_000,
        page,
      );
      assert.deepEqual(
        meta.Columns?.map((c) => c.Name),
        ['customer_id', 'region', 'plan', 'churn_probability', 'predicted_churn'],
      );
    } finally {
      athena.destroy();
    }
    const pane = page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: /^\s*Athena\b/i }) }).first();
    await pane.locator('.monaco-list-row', { hasText: PREDICTIONS_TABLE }).first().waitFor({ timeout: 30_000 });
    await ed.screenshot('sandbox-4-table-created');
  });

  it('5. runs query.sql with "Run Query" and shows the rows', async () => {
    const ed = editor();
    const page = ed.page;
    // What the query must return, computed from the predictions the cluster wrote.
    const csv = (await objectText(client, PREDICTIONS_KEY)) ?? '';
    const groups = new Map<string, number>();
    for (const line of csv.trim().split('\n').slice(1)) {
      const [, region, plan] = line.split(',');
      groups.set(`${region}|${plan}`, (groups.get(`${region}|${plan}`) ?? 0) + 1);
    }
    assert.equal(groups.size, 12, 'four regions by three plans');
    await ed.openFile(path.join(workspaceDir, 'query.sql'));
    await page.locator('.monaco-editor .view-lines', { hasText: 'SELECT region' }).first().click();
    await page.keyboard.press('Control+A');
    await ed.runCommand('Athena: Run Query');
    await pickIfAsked(page, ATHENA_DATABASE, 3000);
    // The result viewer's frame for this query (earlier runs leave other panels open): the run
    // title names the query, and its grid has rows.
    const isQueryResult = (f: Frame) =>
      f.evaluate(() => {
        const title = document.querySelector('#ferry-results .run-title, #ferry-results .run-select option:checked');
        return (title?.textContent ?? '').includes('count(*) AS customers') && document.querySelectorAll('.grid-row.data').length > 0;
      });
    const frame = await ed.webviewFrame(isQueryResult, 90_000).catch(async (err: Error) => {
      // Say what the frames did show, so that a failure in CI can be understood from its log.
      for (const f of page.frames()) {
        const seen = await f
          .evaluate(() => {
            const title = document.querySelector('#ferry-results .run-title, #ferry-results .run-select option:checked');
            return `title=${JSON.stringify(title?.textContent ?? null)} rows=${document.querySelectorAll('.grid-row.data').length} count=${JSON.stringify(document.querySelector('.count')?.textContent ?? null)}`;
          })
          .catch((e: Error) => `unreadable: ${e.message.split('\n')[0]}`);
        console.log(`    frame ${f.url().slice(0, 60)}: ${seen}`);
      }
      throw err;
    });
    const rows = frame.locator('[role="row"]').filter({ has: frame.locator('[role="gridcell"]') });
    await until('the 12 result rows', async () => ((await rows.count()) >= 12 ? true : undefined), 60_000, page);
    const shown = new Map<string, number>();
    for (let i = 0; i < (await rows.count()); i++) {
      const cells = (await rows.nth(i).locator('[role="gridcell"]').allTextContents()).map((c) => c.trim());
      // cells: [row number?, region, plan, customers, avg_churn]; find them by value, not position.
      const region = cells.find((c) => /^(north|south|east|west)$/.test(c));
      const plan = cells.find((c) => /^(basic|plus|pro)$/.test(c));
      const count = cells.map(Number).find((n, j) => Number.isInteger(n) && n > 1 && cells[j] !== String(i + 1));
      if (region && plan && count !== undefined) shown.set(`${region}|${plan}`, count);
    }
    assert.deepEqual([...shown.entries()].sort(), [...groups.entries()].sort());
    await ed.openFerry();
    await ed.screenshot('sandbox-5-query-rows');
  });
});
