// Serverless in the real editor (code-server + Chromium) against the sandbox's Databricks
// stand-in: the default-compute picker offers Serverless beside the clusters and the status bar
// shows it; Run File then says plainly that it needs a cluster and offers to run the file as a
// serverless job, which runs and shows its output in the result viewer; the Jobs view marks a
// serverless job (the host suite's Create Job from File made one) as serverless, runs it, lists
// the run under it and shows its output with Serverless as the compute.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { editor, services, workspaceDir } from './setup';

declare const document: { querySelector(selector: string): { textContent: string | null } | null };

async function quickItems(): Promise<string[]> {
  const page = editor().page;
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 30_000 });
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row').allInnerTexts();
}

/** Picks the quick pick's item with `text`: typed into the box, so only that row is left, then Enter. */
async function pick(text: string): Promise<void> {
  const page = editor().page;
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  await input.fill(text);
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row:visible', { hasText: text }).first().waitFor({ timeout: 30_000 });
  await input.press('Enter');
}

function pane(title: string) {
  const page = editor().page;
  return page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}\\b`, 'i') }) }).first();
}

async function submitRuns(): Promise<number> {
  const res = await fetch(`${services().databricks.url}/__admin/requests`, { headers: { Authorization: `Bearer ${services().databricks.token}` } });
  return ((await res.json()) as { counts: Record<string, number> }).counts['POST /api/2.1/jobs/runs/submit'] ?? 0;
}

async function runNowCount(): Promise<number> {
  const res = await fetch(`${services().databricks.url}/__admin/requests`, { headers: { Authorization: `Bearer ${services().databricks.token}` } });
  return ((await res.json()) as { counts: Record<string, number> }).counts['POST /api/2.1/jobs/run-now'] ?? 0;
}

/** How many runs the stand-in holds of the job with this name. */
async function runsOfJob(name: string): Promise<number> {
  const db = services().databricks;
  const get = async <T>(p: string): Promise<T> => (await (await fetch(`${db.url}${p}`, { headers: { Authorization: `Bearer ${db.token}` } })).json()) as T;
  const jobs = (await get<{ jobs?: Array<{ job_id: number; settings: { name?: string } }> }>('/api/2.1/jobs/list?limit=100')).jobs ?? [];
  const job = jobs.find((j) => j.settings.name === name);
  if (!job) throw new Error(`no job named ${name} on the stand-in`);
  return ((await get<{ runs?: unknown[] }>(`/api/2.1/jobs/runs/list?job_id=${job.job_id}&limit=25`)).runs ?? []).length;
}

/** Waits until `ok()` holds; on timeout fails naming `what` and, if given, what was seen. */
async function until(ok: () => Promise<boolean>, what: string, ms: number, seen?: () => Promise<string>): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${seen ? `: ${await seen()}` : ''}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('serverless: the compute picker and interactive runs in the real editor', function () {
  this.timeout(180_000);

  after(async () => {
    // Leave the folder's default as the other suites expect it: the running cluster.
    const ed = editor();
    await ed.page.keyboard.press('Escape');
    await ed.runCommand('Databricks: Choose Default Cluster');
    await pick('ferry-shared-ml');
    await ed.page.locator('.statusbar-item', { hasText: 'ferry-shared-ml' }).first().waitFor({ timeout: 15_000 });
  });

  it('offers Serverless beside the clusters, and the status bar shows it once chosen', async () => {
    const ed = editor();
    await ed.openFile(path.join(workspaceDir, 'hello.py'));
    await ed.runCommand('Databricks: Choose Default Cluster');
    const items = await quickItems();
    assert.ok(
      items.some((t) => /Serverless/.test(t) && /jobs only/.test(t)),
      `Serverless is offered: ${items.join(' | ')}`,
    );
    assert.ok(
      items.some((t) => /ferry-shared-ml/.test(t)),
      `the clusters too: ${items.join(' | ')}`,
    );
    await ed.screenshot('serverless-compute-picker');
    await pick('Serverless');
    await ed.page.locator('.statusbar-item', { hasText: 'Serverless' }).first().waitFor({ timeout: 15_000 });
    await ed.screenshot('serverless-status-bar');
  });

  it('Run File says it needs a cluster and runs the file as a serverless job when asked', async () => {
    const ed = editor();
    const page = ed.page;
    const marker = `serverless job ${Date.now().toString(36)}`;
    const file = path.join(workspaceDir, 'serverless_run.py');
    fs.writeFileSync(file, `print("${marker}")\n`);
    await ed.openFile(file);
    const before = await submitRuns();
    await ed.runCommand('Databricks: Run File on Cluster');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /Serverless, which runs jobs only/ }).first();
    await toast.waitFor({ timeout: 30_000 });
    assert.match(await toast.innerText(), /need a cluster/);
    await ed.screenshot('serverless-run-file-needs-cluster');
    assert.equal(await submitRuns(), before, 'nothing ran before the user chose');
    await toast.locator('.monaco-button', { hasText: 'Run as Serverless Job' }).first().click();
    const frame = await ed.webviewFrame((f) => f.evaluate((m) => (document.querySelector('#ferry-results')?.textContent ?? '').includes(m), marker), 90_000);
    const text = await frame.evaluate(() => document.querySelector('#ferry-results')?.textContent ?? '');
    assert.match(text, /Serverless/, 'the compute is shown with the result');
    assert.equal(await submitRuns(), before + 1, 'one serverless run');
    await ed.screenshot('serverless-job-result');
  });

  it('the Jobs view marks a serverless job as serverless', async () => {
    const ed = editor();
    await ed.openFerry();
    const header = pane('Jobs').locator('.pane-header').first();
    await header.waitFor({ timeout: 30_000 });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    await ed.runCommand('Databricks: Refresh Jobs');
    const row = pane('Jobs')
      .locator('.monaco-list-row', { hasText: /host-serverless-/ })
      .first();
    await row.waitFor({ state: 'visible', timeout: 30_000 }).catch(async () => {
      throw new Error(`no serverless job row: ${(await ed.treeRows('Jobs')).join(' | ')}`);
    });
    await ed.screenshot('serverless-jobs-view');
    const description = (r: typeof row) =>
      r
        .locator('.label-description')
        .first()
        .innerText()
        .catch(() => '');
    assert.match(await description(row), /serverless/, `the row's description: ${await row.innerText()}`);
    // The host suite's other job runs on the running cluster: no mark there.
    const clusterJob = pane('Jobs')
      .locator('.monaco-list-row', { hasText: /^host-(?!serverless)/ })
      .first();
    await clusterJob.waitFor({ state: 'visible', timeout: 10_000 });
    assert.doesNotMatch(await description(clusterJob), /serverless/, 'a cluster job is not marked');
    await ed.screenshot('serverless-jobs-view');
  });

  it('a serverless job runs from the Jobs view: its run is listed and its output names Serverless, not a cluster', async () => {
    const ed = editor();
    const page = ed.page;
    const jobRow = pane('Jobs')
      .locator('.monaco-list-row', { hasText: /host-serverless-/ })
      .first();
    await jobRow.waitFor({ state: 'visible', timeout: 30_000 });
    const jobName = (await jobRow.locator('.label-name').first().innerText()).trim();
    // The run this click makes is the job's next (a retry finds the failed attempt's run as Run 1).
    const runNumber = (await runsOfJob(jobName)) + 1;
    const before = await runNowCount();
    await jobRow.hover();
    const runNow = jobRow.locator('.actions .action-label[aria-label^="Run Job Now"]').first();
    await runNow.waitFor({ state: 'visible', timeout: 15_000 });
    await runNow.click();
    await until(async () => (await runNowCount()) === before + 1, 'one run-now on the stand-in', 30_000);
    if ((await jobRow.getAttribute('aria-expanded')) !== 'true') await jobRow.click();
    // The job has no schedule, so its first child is its newest run (the tree is virtual: find it by index).
    const index = Number(await jobRow.getAttribute('data-index'));
    const runRow = pane('Jobs')
      .locator(`.monaco-list-row[data-index="${index + 1}"]`)
      .first();
    await until(
      async () => new RegExp(`Run ${runNumber}(?!\\d)[\\s\\S]*Succeeded`).test(await runRow.innerText().catch(() => '')),
      'the run listed under its job as Succeeded',
      90_000,
      async () => (await ed.treeRows('Jobs')).join(' | '),
    );
    assert.doesNotMatch(await runRow.innerText(), /undefined|null/);
    await ed.screenshot('serverless-job-run-row');
    await runRow.click();
    const frame = await ed.webviewFrame(
      (f) =>
        f.evaluate((name) => {
          const t = document.querySelector('#ferry-results')?.textContent ?? '';
          return t.includes(name) && t.includes('Compute');
        }, jobName),
      60_000,
    );
    const text = await frame.evaluate(() => document.querySelector('#ferry-results')?.textContent ?? '');
    assert.match(text, /Compute:\s*Serverless/, `the run's compute is Serverless: ${text.slice(0, 400)}`);
    assert.doesNotMatch(text, /undefined/);
    await ed.screenshot('serverless-job-run-output');
    await page.keyboard.press('Escape');
  });
});
