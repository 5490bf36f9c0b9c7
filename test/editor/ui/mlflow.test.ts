// The Experiments view and Compare Datasets in the real editor, on the sandbox's stand-ins: an
// experiment with two runs (seeded as training code would have logged them) expanded in the
// view, both selected and compared: the result viewer draws their AUC on one chart and lists their
// params and final metrics; then Compare Datasets on the sandbox's two customer files shows the
// drift table, the drifted columns flagged, with a chart per column; and train.py run on the
// cluster logs to MLflow, its result links the run, and the link opens it. Screenshots of each.
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { INCOMING_KEY, RAW_KEY, DEMO_BUCKET, ATHENA_DATABASE } from '../../../sandbox/demo/data';
import { seedAthena, seedS3 } from '../../../sandbox/demo/seed';
import { ATHENA_RESULTS_BUCKET } from '../../../sandbox/services';
import { editor, services, workspaceDir } from './setup';

declare const document: {
  querySelector(s: string): { textContent: string | null; dataset: Record<string, string> } | null;
  querySelectorAll(s: string): ArrayLike<{ textContent: string | null; dataset: Record<string, string> }>;
};

const SUFFIX = Date.now().toString(36);
const EXPERIMENT = `ui-churn-${SUFFIX}`;

function pane(page: Page, title: string): Locator {
  return page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}\\b`, 'i') }) }).first();
}

function row(page: Page, text: string | RegExp): Locator {
  return pane(page, 'Experiments').locator('.monaco-list-row', { hasText: text }).first();
}

async function setPane(page: Page, title: string, expanded: boolean): Promise<boolean> {
  const header = pane(page, title).locator('.pane-header').first();
  await header.waitFor({ timeout: 30_000 });
  const was = (await header.getAttribute('aria-expanded')) === 'true';
  if (was !== expanded) await header.click();
  return was;
}

async function viewer(titlePart: string, ready: string): Promise<Frame> {
  return editor()
    .webviewFrame(
      async (f) =>
        f.evaluate(
          ([t, r]) => {
            const title = document.querySelector('#ferry-results .run-title, #ferry-results .run-select option:checked');
            if (!title || !(title.textContent ?? '').includes(t)) return false;
            // Any chart drawn (a table without a preset has a hidden, undrawn chart box first).
            if (r === 'chart')
              return (
                Array.from(document.querySelectorAll('.chart')).some((c) => Number(c.dataset.drawn ?? '0') >= 1) &&
                !!document.querySelector('.chart-canvas canvas')
              );
            return document.querySelectorAll('.grid-row.data').length > 0 && document.querySelectorAll('.grid-cell.pending').length === 0;
          },
          [titlePart, ready],
        ),
      120_000,
    )
    .catch(async (err: Error) => {
      await editor().screenshot(`mlflow-failed-${titlePart.replace(/\W+/g, '-').slice(0, 30)}`);
      throw err;
    });
}

/**
 * Gives the result viewer room for a screenshot: the panel hidden, the editor groups joined into
 * one (nothing is closed), the viewer's tab in front and `selector` scrolled into view. Moving a
 * webview reloads it, so the viewer is found again once it has redrawn.
 */
async function showViewer(titlePart: string, ready: 'chart' | 'grid', selector: string): Promise<Frame> {
  const ed = editor();
  const page = ed.page;
  const panel = page.locator('.part.panel').first();
  for (let i = 0; i < 3 && (await panel.isVisible().catch(() => false)); i++) {
    await ed.runCommand('View: Hide Panel').catch(() => page.keyboard.press('Escape'));
    await page.waitForTimeout(300);
  }
  await ed.runCommand('View: Join All Editor Groups').catch(() => page.keyboard.press('Escape'));
  const tab = page.locator('.tabs-container .tab', { hasText: titlePart }).first();
  const active = page.locator('.tabs-container .tab.active', { hasText: titlePart }).first();
  for (let i = 0; i < 4 && !(await active.isVisible().catch(() => false)); i++) {
    await tab.click().catch(() => undefined);
    await page.waitForTimeout(500);
  }
  const frame = await viewer(titlePart, ready);
  await frame
    .locator(selector)
    .first()
    .scrollIntoViewIfNeeded()
    .catch(() => undefined);
  await page.waitForTimeout(800);
  return frame;
}

function aucHistory(start: number, gain: number): number[] {
  return Array.from({ length: 10 }, (_, i) => Number((start + gain * (1 - Math.exp(-(i + 1) / 3))).toFixed(4)));
}

describe('Experiments view and Compare Datasets in the editor', function () {
  this.timeout(240_000);
  const folded: string[] = [];

  before(async function () {
    this.timeout(90_000);
    const { databricks, s3, athena } = services();
    const res = await fetch(`${databricks.url}/__admin/mlflow/seed`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${databricks.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        experiment: `/Users/${databricks.userName}/${EXPERIMENT}`,
        runs: [
          {
            run_name: 'rf-shallow',
            start_time: Date.now() - 600_000,
            params: { max_depth: 3, trees: 100 },
            metrics: { auc: aucHistory(0.62, 0.14), log_loss: [0.61, 0.58, 0.56] },
          },
          {
            run_name: 'rf-deep',
            start_time: Date.now() - 300_000,
            params: { max_depth: 8, trees: 100 },
            metrics: { auc: aucHistory(0.6, 0.26), log_loss: [0.6, 0.5, 0.45] },
          },
        ],
      }),
    });
    assert.equal(res.status, 200, await res.text());
    const target = {
      region: 'us-east-1',
      s3: { endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      athena: { endpoint: athena.endpoint, outputLocation: `s3://${ATHENA_RESULTS_BUCKET}/results/` },
      workspaceDir,
    };
    for (const step of [await seedS3(target), await seedAthena(target)]) assert.equal(step.status, 'done', `${step.name}: ${step.detail}`);
  });

  after(async () => {
    const page = editor().page;
    await page.keyboard.press('Escape');
    for (const title of folded) await setPane(page, title, true).catch(() => undefined);
    // Folded again, as it starts: an open Experiments view takes the height the later tests' views need.
    await setPane(page, 'Experiments', false).catch(() => undefined);
  });

  it('compares the AUC of two runs on one chart, with their params and final metrics in a table', async () => {
    const ed = editor();
    const page = ed.page;
    await ed.openFerry();
    for (const title of ['S3', 'Clusters', 'Jobs', 'Catalog', 'Athena']) if (await setPane(page, title, false)) folded.push(title);
    await setPane(page, 'Experiments', true);
    await ed.runCommand('MLflow: Refresh');
    await ed.collapseAll('Experiments');
    const exp = row(page, EXPERIMENT);
    await exp.waitFor({ timeout: 60_000 });
    if ((await exp.getAttribute('aria-expanded')) === 'false') await exp.click();
    const shallow = row(page, /^rf-shallow/);
    const deep = row(page, /^rf-deep/);
    await deep.waitFor({ timeout: 60_000 });
    const rows = (await ed.treeRows('Experiments')).map((r) => r.replace(/\s+/g, ' '));
    console.log(`    Experiments rows: ${rows.join(' | ')}`);
    assert.ok(
      rows.some((r) => /rf-deep\s*auc 0\.8\d*/.test(r)),
      'the key metric is the description',
    );
    // Select both (click, then Ctrl+click) and compare from the context menu.
    await deep.click();
    await shallow.click({ modifiers: ['Control'] });
    const compare = page.locator('.monaco-menu .action-item', { hasText: 'Compare Runs' }).first();
    for (let i = 0; i < 4 && !(await compare.isVisible().catch(() => false)); i++) {
      await shallow.click({ button: 'right' });
      await compare.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
    }
    await compare.hover();
    await page.keyboard.press('Enter');
    // Two metrics were logged: the quick pick asks which one.
    const auc = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: /^auc/ }).first();
    await auc.waitFor({ timeout: 30_000 });
    await auc.click();
    const frame = await viewer('auc across 2 runs', 'chart');
    const text = await frame.locator('body').innerText();
    // The grid draws the columns on screen only: the run names, and the count of all ten columns
    // (name, status, start, duration, source, 2 params, 2 final metrics, run id).
    for (const expected of ['rf-shallow', 'rf-deep', '2 rows × 10 columns', 'Metric', 'auc'])
      assert.ok(text.includes(expected), `"${expected}" not in the viewer`);
    await showViewer('auc across 2 runs', 'chart', '.chart-canvas');
    await ed.screenshot('mlflow-metric-chart-two-runs');
    await page.keyboard.press('Escape');
  });

  it('shows the drift table of the two customer files, drifted columns flagged, a chart per column', async () => {
    const ed = editor();
    const page = ed.page;
    await ed.runCommand('Drift: Compare Datasets…');
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(`s3://${DEMO_BUCKET}/${RAW_KEY}`);
    await input.press('Enter');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'with…' }).first().waitFor({ timeout: 15_000 });
    await input.fill(`s3://${DEMO_BUCKET}/${INCOMING_KEY}`);
    await input.press('Enter');
    // The temporary tables go to the database queries run in: the demo's, if asked.
    const db = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: ATHENA_DATABASE }).first();
    if (
      await db.waitFor({ timeout: 8_000 }).then(
        () => true,
        () => false,
      )
    )
      await db.click();
    const frame = await viewer('Drift:', 'grid');
    const text = await frame.locator('body').innerText();
    console.log(`    drift facts and first cells: ${text.replace(/\s+/g, ' ').slice(0, 600)}`);
    assert.ok(text.includes('⚠ drift'), 'a drifted column is flagged');
    for (const expected of ['tenure_months', 'PSI', 'Drifted', 'in 2 Athena queries']) assert.ok(text.includes(expected), `"${expected}" not in the viewer`);
    assert.match(text, /Drifted\s*:?\s*\d+ of \d+ columns/);
    const shown = await showViewer('Drift:', 'chart', '.table-output');
    await ed.screenshot('drift-table');
    await shown
      .locator('.chart-canvas')
      .first()
      .scrollIntoViewIfNeeded()
      .catch(() => undefined);
    await page.waitForTimeout(500);
    await ed.screenshot('drift-column-chart');
    await page.keyboard.press('Escape');
  });
  it('Run File on Cluster of train.py: the result header links the MLflow run it logged, and the link opens it', async () => {
    const ed = editor();
    const page = ed.page;
    await ed.openFile(path.join(workspaceDir, 'train.py'));
    await ed.runCommand('Run File on Cluster');
    const cluster = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: /ferry-shared-ml|Running/i }).first();
    if (
      await cluster.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      )
    )
      await cluster.click();
    // The link appears once the run ended and its MLflow run was confirmed.
    const frame = await editor()
      .webviewFrame(
        async (f) =>
          f.evaluate(
            () =>
              (document.querySelector('#ferry-results .run-title, #ferry-results .run-select option:checked')?.textContent ?? '').includes('train.py') &&
              !!document.querySelector('.fact-link'),
          ),
        240_000,
      )
      .catch(async (err: Error) => {
        await ed.screenshot('mlflow-failed-run-link');
        throw err;
      });
    const link = frame.locator('.fact-link').first();
    const name = (await link.innerText()).trim();
    console.log(`    the result header links: ${name}`);
    assert.match(name, /^churn-rf-\d+ \(finished\)$/);
    await ed.screenshot('mlflow-run-link-in-result');
    await link.click();
    // The run opens: selected in the Experiments view, its params and metrics in the viewer.
    const runName = name.replace(/ \(finished\)$/, '');
    const summary = await viewer(`MLflow run ${runName}`, 'grid');
    const text = await summary.locator('body').innerText();
    for (const expected of ['max_depth', 'auc', 'Run ID', '/Shared/ferry-demo-churn'])
      assert.ok(text.includes(expected), `"${expected}" not in the run's summary`);
    await row(page, runName).waitFor({ timeout: 30_000 });
    assert.equal(await row(page, runName).getAttribute('aria-selected'), 'true', 'the run is selected in the Experiments view');
    await ed.screenshot('mlflow-run-opened-from-link');
    await page.keyboard.press('Escape');
  });
});
