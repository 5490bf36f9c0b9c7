// Opens a real VS Code for the editor tests: code-server 4.100.3 (VS Code's own server and web
// workbench) with Ferry and the test-runner extension installed, driven by playwright-core in
// Debian's Chromium. See docs/notes/real-editor.md.
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Browser, chromium, Frame, Page } from 'playwright-core';

export const REPO = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
export const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;

export function cacheRoot(): string {
  return process.env.FERRY_CACHE || path.join(os.homedir(), '.cache', 'ferry');
}

export function codeServerEntry(): string {
  return path.join(cacheRoot(), 'code-server-4.100.3', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function screenshotDir(): string {
  const dir = process.env.FERRY_SCREENSHOTS || path.join(REPO, 'test-results', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export interface EditorOptions {
  /** The folder opened as the workspace. */
  workspace: string;
  /** User settings written before the editor starts. */
  settings?: Record<string, unknown>;
  /** Extra environment for the editor's server and extension host. */
  env?: Record<string, string>;
  /** Compiled extension-host tests to run inside the editor, and where to write their report. */
  hostTests?: { dir: string; report: string };
  /** Keep the server running without a browser (the sandbox opens its own). */
  headless?: boolean;
  port?: number;
  userDataDir?: string;
}

export interface Editor {
  url: string;
  page: Page;
  browser: Browser;
  userDataDir: string;
  stop(): Promise<void>;
  screenshot(name: string): Promise<string>;
  /** Runs a command from the palette by its title, as a user would (F1, type, Enter). */
  runCommand(title: string): Promise<void>;
  /** Opens a file as a user does: Quick Open, its path, Enter; waits for its tab. */
  openFile(absolutePath: string): Promise<void>;
  openFerry(): Promise<void>;
  /** Text of the visible rows of a tree view (by its title: S3, Clusters, Jobs, Athena). */
  treeRows(viewTitle: string): Promise<string[]>;
  /** Collapses a tree view with its "Collapse All" title action, so a test starts from its top level. */
  collapseAll(viewTitle: string): Promise<void>;
  /**
   * A webview frame that the predicate accepts, leaving out result viewers whose every output was
   * shown before the last markViewersStale (a retried test must see its own attempt's result).
   */
  webviewFrame(predicate: (frame: Frame) => Promise<boolean>, timeoutMs?: number): Promise<Frame>;
  /** Marks every output the result viewers show now as stale: webviewFrame passes over a viewer that holds only these. */
  markViewersStale(): Promise<number>;
  /**
   * Waits for a notification: as a toast, else in the notification center (the workbench shows only
   * a few toasts at a time, and keeps later ones in the center). Fails naming what was shown.
   */
  waitForNotification(text: RegExp, timeoutMs?: number): Promise<string>;
  serverLog(): string;
}

export function installExtensions(extensionsDir: string): void {
  fs.mkdirSync(extensionsDir, { recursive: true });
  const links: Array<[string, string]> = [
    [`${EXTENSION_ID}-${pkg.version}`, REPO],
    ['ferry-dev.ferry-test-runner-0.0.1', path.join(REPO, 'test', 'editor', 'runner')],
  ];
  for (const [name, target] of links) {
    const link = path.join(extensionsDir, name);
    fs.rmSync(link, { force: true, recursive: true });
    fs.symlinkSync(target, link, 'dir');
  }
}

export async function startCodeServer(opts: EditorOptions): Promise<{ url: string; proc: ChildProcess; userDataDir: string; log: () => string }> {
  const entry = codeServerEntry();
  if (!fs.existsSync(entry)) throw new Error(`code-server is not installed at ${entry}: run node scripts/editor/install-editor.mjs`);
  if (!fs.existsSync(path.join(REPO, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run npm run build');
  const userDataDir = opts.userDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-editor-'));
  const extensionsDir = path.join(userDataDir, 'extensions');
  installExtensions(extensionsDir);
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(
    settingsFile,
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'security.workspace.trust.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'window.dialogStyle': 'custom',
        'files.simpleDialog.enable': true,
        ...opts.settings,
      },
      null,
      2,
    ),
  );
  const port = opts.port ?? (await freePort());
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...opts.env, FERRY_REPO: REPO };
  if (opts.hostTests) {
    env.FERRY_HOST_TESTS = opts.hostTests.dir;
    env.FERRY_HOST_REPORT = opts.hostTests.report;
  }
  const args = [
    entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    opts.workspace,
  ];
  const proc = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(opts.workspace)}`;
  const deadline = Date.now() + 60_000;
  while (!/HTTP server listening/.test(log)) {
    if (proc.exitCode !== null) throw new Error(`code-server exited (${proc.exitCode}):\n${log}`);
    if (Date.now() > deadline) throw new Error(`code-server did not start in 60 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, proc, userDataDir, log: () => log };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.FERRY_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-dev-shm-usage',
    ],
  });
}

export async function launchEditor(opts: EditorOptions): Promise<Editor> {
  const server = await startCodeServer(opts);
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.waitForSelector('.activitybar', { timeout: 60_000 });

  /** Set once a retry marked the viewers' outputs stale; until then webviewFrame looks at every frame. */
  let staleMarked = false;
  const editor: Editor = {
    url: server.url,
    page,
    browser,
    userDataDir: server.userDataDir,
    serverLog: server.log,
    async stop() {
      await browser.close().catch(() => undefined);
      server.proc.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      if (server.proc.exitCode === null) server.proc.kill('SIGKILL');
    },
    async screenshot(name: string) {
      const file = path.join(screenshotDir(), `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async runCommand(title: string) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${title}`);
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      await row.waitFor({ state: 'visible', timeout: 15_000 });
      await input.press('Enter');
    },
    async openFile(absolutePath: string) {
      const name = path.basename(absolutePath);
      await page.keyboard.press('Escape');
      const input = page.locator('.quick-input-widget input');
      // The quick input may still be closing from the previous step: ask again until it is open.
      for (let i = 0; i < 5 && !(await input.isVisible()); i++) {
        await page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: 3000 }).catch(() => undefined);
      }
      // An absolute path: Quick Open opens it without waiting for its file index to notice new files.
      await input.fill(absolutePath);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
      await input.press('Enter');
      // The file's own tab: a result tab in another group may be active too and carry its name in its title.
      await page.locator(`.tabs-container .tab.active[data-resource-name=${JSON.stringify(name)}]`).waitFor({ timeout: 15_000 });
    },
    async openFerry() {
      const item = page
        .locator('.activitybar .action-item a[aria-label^="Ferry"], .activitybar .action-item[aria-label^="Ferry"] a, .activitybar li[aria-label^="Ferry"]')
        .first();
      await item.waitFor({ state: 'visible', timeout: 30_000 });
      const container = page.locator('.sidebar .composite.title h2', { hasText: /Ferry/i });
      if (!(await container.isVisible().catch(() => false))) await item.click();
      await page.locator('.sidebar .pane-header', { hasText: 'S3' }).first().waitFor({ timeout: 30_000 });
    },
    async treeRows(viewTitle: string) {
      const pane = page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: new RegExp(`^\\s*${viewTitle}\\b`, 'i') }) }).first();
      return pane.locator('.monaco-list-row').allInnerTexts();
    },
    async collapseAll(viewTitle: string) {
      // `has` is matched inside the pane, so its locator must not name the sidebar again.
      const pane = page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: new RegExp(`^\\s*${viewTitle}\\b`, 'i') }) }).first();
      const header = pane.locator('.pane-header').first();
      await header.waitFor({ timeout: 30_000 });
      if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
      const expanded = pane.locator('.monaco-list-row[aria-expanded="true"]');
      for (let attempt = 0; attempt < 3 && (await expanded.count()) > 0; attempt++) {
        await header.hover();
        const action = header.locator('.action-label[aria-label="Collapse All"], .action-label.codicon-collapse-all').first();
        await action.click({ timeout: 5_000 }).catch(() => undefined);
        await page.waitForTimeout(300);
      }
      if ((await expanded.count()) > 0) throw new Error(`${viewTitle}: Collapse All left ${await expanded.count()} row(s) expanded`);
    },
    async waitForNotification(text: RegExp, timeoutMs = 30_000) {
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
      const shown = await toast.waitFor({ state: 'visible', timeout: Math.round(timeoutMs / 2) }).then(
        () => true,
        () => false,
      );
      if (shown) return toast.innerText();
      const toasts = await page.locator('.notifications-toasts .notification-toast').allInnerTexts();
      await editor.runCommand('Notifications: Show Notifications');
      const item = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
      const found = await item.waitFor({ state: 'visible', timeout: Math.round(timeoutMs / 2) }).then(
        () => true,
        () => false,
      );
      const listed = await page.locator('.notifications-center .notification-list-item').allInnerTexts();
      const message = found ? await item.innerText() : '';
      await editor.runCommand('Notifications: Hide Notifications').catch(() => undefined);
      if (!found)
        throw new Error(
          `no notification ${String(text)}: toasts ${JSON.stringify(toasts)}; notification center ${JSON.stringify(listed.map((t) => t.slice(0, 160)))}`,
        );
      return message;
    },
    async webviewFrame(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        for (const frame of page.frames()) {
          try {
            if (staleMarked && (await onlyStaleOutputs(frame))) continue;
            if (await predicate(frame)) return frame;
          } catch {
            // the frame may be navigating; look again
          }
        }
        await page.waitForTimeout(200);
      }
      throw new Error('No webview frame matched in time');
    },
    async markViewersStale() {
      staleMarked = true;
      let marked = 0;
      for (const frame of page.frames()) {
        marked += await frame.evaluate<number>(MARK_STALE).catch(() => 0);
      }
      return marked;
    },
  };
  return editor;
}

/**
 * True for a result viewer whose outputs were all there before markViewersStale, and whose run list
 * (when it has one) holds no run that came after: a viewer with a newer run is looked at, so that a
 * predicate can pick that run. One with no outputs is not passed over.
 */
function onlyStaleOutputs(frame: Frame): Promise<boolean> {
  return frame.evaluate<boolean>(ONLY_STALE);
}

// Run inside the webview (as text: this program has no DOM types). A result viewer's outputs are
// its `[data-output-id]` widgets; its run list, when it shows several runs, a `select.run-select`
// whose options (rebuilt on every render) carry the run ids, remembered on the document.
const OUTPUTS = `Array.from(document.querySelectorAll('#ferry-results [data-output-id]'))`;
const RUN_IDS = `Array.from(document.querySelectorAll('#ferry-results select.run-select option')).map((o) => o.value)`;
const MARK_STALE = `(() => { const o = ${OUTPUTS}; o.forEach((e) => (e.dataset.testStale = '1')); document.documentElement.dataset.testStaleRuns = JSON.stringify(${RUN_IDS}); return o.length; })()`;
const ONLY_STALE = `(() => {
  const o = ${OUTPUTS};
  if (o.length === 0 || !o.every((e) => e.dataset.testStale === '1')) return false;
  const staleRuns = JSON.parse(document.documentElement.dataset.testStaleRuns || '[]');
  return ${RUN_IDS}.every((id) => staleRuns.includes(id));
})()`;

/** Waits for a file to appear (the extension-host suite's report). */
export async function waitForFile(file: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return fs.readFileSync(file, 'utf8');
}
