// The Databricks views in the real editor (code-server + Chromium) against the stand-in: clusters
// listed with their states, a terminated cluster started until it shows Running, a job created
// from the workspace's hello.py, run now, its runs listed and a run's output shown; and the
// clusters view's requests per minute while visible and idle, and while hidden.
import assert from 'node:assert/strict';
import net from 'node:net';
import type { Frame, Locator } from 'playwright-core';
import { editor, services } from './setup';

declare const document: { querySelector(selector: string): { textContent: string | null } | null };

function pane(title: string): Locator {
  const page = editor().page;
  return page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}\\b`, 'i') }) }).first();
}

async function expand(title: string): Promise<void> {
  const header = pane(title).locator('.pane-header').first();
  await header.waitFor({ timeout: 30_000 });
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
}

function row(title: string, text: string | RegExp): Locator {
  return pane(title).locator('.monaco-list-row', { hasText: text }).first();
}

async function waitForRow(title: string, text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  const r = row(title, text);
  await r.waitFor({ state: 'visible', timeout: timeoutMs }).catch(async (err: Error) => {
    throw new Error(`no row ${String(text)} in ${title}: ${(await editor().treeRows(title)).join(' | ')} (${err.message.split('\n')[0]})`);
  });
  return r;
}

/** Clicks a row's inline action button (shown on hover), as a user would. */
async function inlineAction(target: Locator, title: string): Promise<void> {
  await target.hover();
  const button = target.locator(`.actions .action-label[aria-label^="${title}"]`).first();
  await button.waitFor({ state: 'visible', timeout: 15_000 });
  await button.click();
}

async function pickQuickItem(text: string | RegExp): Promise<void> {
  const page = editor().page;
  const r = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
  await r.waitFor({ state: 'visible', timeout: 15_000 });
  await r.click();
}

async function requestCount(): Promise<number> {
  const db = services().databricks;
  const res = await fetch(`${db.url}/__admin/requests`, { headers: { Authorization: `Bearer ${db.token}` } });
  const body = (await res.json()) as { counts: Record<string, number> };
  return Object.entries(body.counts)
    .filter(([k]) => k.includes('/clusters/'))
    .reduce((a, [, v]) => a + v, 0);
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const db = services().databricks;
  const res = await fetch(`${db.url}${path}`, { method, headers: { authorization: `Bearer ${db.token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return (await res.json()) as T;
}

describe('databricks: clusters and jobs explorers', function () {
  this.timeout(180_000);
  let startedClusterId: string | undefined;

  after(async () => {
    // Leave the stand-in as the other suites expect it: the seeded terminated cluster terminated.
    if (startedClusterId) await api('POST', '/api/2.1/clusters/delete', { cluster_id: startedClusterId }).catch(() => undefined);
  });

  it('lists the clusters with their states', async () => {
    const ed = editor();
    await ed.openFerry();
    await expand('Clusters');
    const running = await waitForRow('Clusters', 'ferry-shared-ml');
    const terminated = await waitForRow('Clusters', 'ferry-etl-small');
    assert.match(await running.innerText(), /Running/);
    assert.match(await terminated.innerText(), /Terminated/);
    assert.match(await running.innerText(), /DBR 14\.3/);
    assert.match(await terminated.innerText(), /m5d\.large/);
    await ed.screenshot('databricks-clusters');
  });

  it('starts a terminated cluster until it shows Running', async () => {
    const info = await api<{ clusters: Array<{ cluster_id: string; cluster_name: string }> }>('GET', '/api/2.1/clusters/list');
    startedClusterId = info.clusters.find((c) => c.cluster_name === 'ferry-etl-small')?.cluster_id;
    const terminated = await waitForRow('Clusters', 'ferry-etl-small');
    await inlineAction(terminated, 'Start Cluster');
    await waitForRow('Clusters', /ferry-etl-small[\s\S]*(Pending|Running)/, 15_000);
    await editor().screenshot('databricks-cluster-starting');
    await waitForRow('Clusters', /ferry-etl-small[\s\S]*Running/, 60_000);
    await editor().screenshot('databricks-cluster-running');
  });

  it('creates a job from hello.py, runs it now, lists its runs and shows the output', async () => {
    const ed = editor();
    const page = ed.page;
    // Open hello.py (Quick Open), then "Databricks: Create Job from File…".
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('hello.py');
    await pickQuickItem('hello.py');
    await page.locator('.monaco-editor .view-lines', { hasText: 'hello from ferry' }).first().waitFor({ timeout: 30_000 });
    await ed.runCommand('Databricks: Create Job from File…');
    await pickQuickItem('ferry-shared-ml');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    const jobName = `hello-${Date.now().toString(36)}`;
    await input.fill(jobName);
    await input.press('Enter');
    await pickQuickItem('No schedule');

    await expand('Jobs');
    const job = await waitForRow('Jobs', jobName, 30_000);
    await inlineAction(job, 'Run Job Now');
    await job.click();
    await waitForRow('Jobs', /Run 1[\s\S]*(Queued|Pending|Running|Succeeded)/, 30_000);
    const run = await waitForRow('Jobs', /Run 1[\s\S]*Succeeded/, 90_000);
    await ed.screenshot('databricks-jobs-runs');

    await run.click();
    const frame: Frame = await ed.webviewFrame(async (f) => f.evaluate(() => (document.querySelector('#ferry-results')?.textContent ?? '').includes('hello from ferry')), 60_000);
    assert.ok(frame);
    await ed.screenshot('databricks-run-output');
  });

  it('makes no cluster requests while the views are hidden', async () => {
    const page = editor().page;
    await expand('Clusters');
    await waitForRow('Clusters', 'ferry-shared-ml');
    // Let transitions settle, then hide the Ferry container (show the Explorer instead).
    await page.waitForTimeout(3000);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+E');
    await page.waitForTimeout(2000);
    const before = await requestCount();
    const windowMs = Number(process.env.FERRY_POLL_WINDOW_MS ?? 20_000);
    await page.waitForTimeout(windowMs);
    const hidden = (await requestCount()) - before;
    console.log(`    cluster requests while hidden: ${hidden} in ${windowMs / 1000} s (${((hidden * 60_000) / windowMs).toFixed(1)}/min)`);
    assert.equal(hidden, 0);

    await editor().openFerry();
    await expand('Clusters');
    await waitForRow('Clusters', 'ferry-shared-ml');
    await page.waitForTimeout(1000);
    const visibleStart = await requestCount();
    await page.waitForTimeout(windowMs);
    const visible = (await requestCount()) - visibleStart;
    console.log(`    cluster requests while visible and idle: ${visible} in ${windowMs / 1000} s (${((visible * 60_000) / windowMs).toFixed(1)}/min)`);
    assert.ok(visible <= Math.ceil(windowMs / 30_000) + 1, `visible and idle polls at most every 30 s (saw ${visible})`);
  });

  it('signs in with the browser (OAuth): the sign-in page answers the editor, the views work, and sign out returns to the profile', async () => {
    const ed = editor();
    const page = ed.page;
    const db = services().databricks;
    // The workspace is reached at 127.0.0.2 (a forwarder to the stand-in): code-server sends the
    // URLs it opens for localhost and 127.0.0.1 through its port proxy, which a real workspace URL
    // never meets. The sign-in's redirect to http://localhost:8020 is not opened by the editor, so
    // it reaches the extension's listener as it would on a desktop.
    const forwarder = net.createServer((c) => {
      const upstream = net.connect(db.port, '127.0.0.1');
      c.pipe(upstream).pipe(c);
      c.on('error', () => upstream.destroy());
      upstream.on('error', () => c.destroy());
    });
    await new Promise<void>((r) => forwarder.listen(0, '127.0.0.2', () => r()));
    const workspaceUrl = `http://127.0.0.2:${(forwarder.address() as net.AddressInfo).port}`;
    const tokenRequests = async () => {
      const body = (await (await fetch(`${db.url}/__admin/requests`, { headers: { Authorization: `Bearer ${db.token}` } })).json()) as { counts: Record<string, number> };
      return body.counts['POST /oidc/v1/token'] ?? 0;
    };
    const before = await tokenRequests();
    await ed.openFerry();
    await expand('Clusters');
    await ed.runCommand('Databricks: Sign In with Browser (OAuth)');
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(workspaceUrl);
    // The editor opens the workspace's sign-in page in a new browser tab: the stand-in's sandbox
    // sign-in form. The password the launcher prints is typed in as a person would, and the
    // stand-in then redirects to the editor's loopback listener on localhost:8020…
    const popup = page.context().waitForEvent('page', { timeout: 30_000 });
    await input.press('Enter');
    const open = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Open$/ }).first();
    if (await open.waitFor({ timeout: 5_000 }).then(() => true, () => false)) await open.click();
    const tab = await popup;
    const password = tab.locator('input[name="password"]');
    await password.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await tab.locator('h1').innerText(), /Sign in to the Ferry sandbox/);
    await password.fill(db.signInPassword);
    await tab.locator('#approve').click();
    await page
      .locator('.notifications-toasts .notification-toast', { hasText: /Signed in to .* \(OAuth\)/ })
      .first()
      .waitFor({ timeout: 60_000 })
      .catch(async (err: Error) => {
        // Say what the tab and the editor showed, so that a failure can be understood from the log.
        const text = await tab.locator('body').innerText().catch((e: Error) => `unreadable: ${e.message.split('\n')[0]}`);
        const toasts = await page.locator('.notifications-toasts .notification-toast').allInnerTexts();
        console.log(`    sign-in tab at ${tab.url().replace(/code=[^&]+/, 'code=…')}: ${text.slice(0, 300)}\n    toasts: ${JSON.stringify(toasts)}`);
        await ed.screenshot('databricks-oauth-failed');
        throw err;
      });
    await tab.waitForLoadState('domcontentloaded').catch(() => undefined);
    const tabText = (await tab.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' ');
    console.log(`    sign-in tab: ${tab.url().replace(/code=[^&]+/, 'code=…')} — "${tabText.slice(0, 80)}"`);
    assert.match(tabText, /Signed in to Databricks/);
    await tab.close();
    assert.equal((await tokenRequests()) - before, 1, 'one code exchange at the token endpoint');
    // The views now talk to the workspace with the OAuth token.
    await ed.runCommand('Databricks: Refresh Clusters');
    await waitForRow('Clusters', 'ferry-shared-ml');
    await ed.screenshot('databricks-oauth-signed-in');
    await ed.runCommand('Databricks: Sign Out');
    await page.locator('.notifications-toasts .notification-toast', { hasText: /Signed out of/ }).first().waitFor({ timeout: 30_000 });
    await waitForRow('Clusters', 'ferry-shared-ml');
    forwarder.close();
  });
});
