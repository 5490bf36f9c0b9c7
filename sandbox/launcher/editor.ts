// Opening VS Code on the sandbox: code-server (reusing the editor tests' harness, which links the
// working tree into its extensions folder) or desktop VS Code through
// `code --extensionDevelopmentPath`. Each returns a handle whose stop() leaves nothing running.
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { launchBrowser, REPO, startCodeServer } from '../../test/editor/harness';

export interface RunningEditor {
  kind: 'browser' | 'desktop';
  url?: string;
  /** Resolves when the editor went away by itself (desktop window closed, code-server crashed). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Sends SIGTERM, waits, then SIGKILL: a process that ignores the first still goes. */
export function stopProcess(proc: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

function exitOf(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode);
    proc.once('exit', (code) => resolve(code));
  });
}

export async function startBrowserEditor(opts: {
  workspace: string;
  userDataDir: string;
  settings: Record<string, unknown>;
  env: Record<string, string>;
  port: number;
}): Promise<RunningEditor> {
  // The test-runner extension linked by the harness stays idle without FERRY_HOST_TESTS.
  delete process.env.FERRY_HOST_TESTS;
  delete process.env.FERRY_HOST_REPORT;
  const server = await startCodeServer({
    workspace: opts.workspace,
    userDataDir: opts.userDataDir,
    settings: { ...opts.settings, 'workbench.startupEditor': 'readme' },
    env: opts.env,
    port: opts.port || undefined,
  });
  return { kind: 'browser', url: server.url, exited: exitOf(server.proc), stop: () => stopProcess(server.proc) };
}

export function startDesktopEditor(opts: { code: string; workspace: string; env: Record<string, string> }): RunningEditor {
  // --wait keeps the CLI alive until the window closes, so closing it ends the sandbox too.
  const args = ['--new-window', '--wait', `--extensionDevelopmentPath=${REPO}`, opts.workspace];
  const win = process.platform === 'win32';
  const proc = spawn(win ? `"${opts.code}"` : opts.code, win ? args.map(quoteForCmd) : args, {
    env: { ...process.env, ...opts.env },
    stdio: 'ignore',
    // code.cmd on Windows is a batch file: it needs a shell, with the arguments quoted.
    shell: win,
  });
  return { kind: 'desktop', exited: exitOf(proc), stop: () => stopProcess(proc) };
}

/** Quotes an argument for cmd.exe (paths with spaces). */
export function quoteForCmd(arg: string): string {
  return /[\s"&|<>^]/.test(arg) ? `"${arg.replace(/"/g, '""')}"` : arg;
}

/** Opens the URL in the user's browser when there is a display; the browser is theirs to close. */
export function openInSystemBrowser(url: string): boolean {
  const platform = process.platform;
  if (platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false;
  const [cmd, args] = platform === 'darwin' ? ['open', [url]] : platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

export interface WorkbenchCheck {
  /** Until the workbench showed Ferry in the activity bar. */
  ms: number;
  /** Date.now() at that moment. */
  readyAt: number;
  ferryVisible: boolean;
  s3Rows: string[];
  screenshot?: string;
}

/** Loads the workbench in headless Chromium and waits for Ferry's activity-bar entry and S3 view. */
export async function verifyWorkbench(url: string, screenshotFile?: string): Promise<WorkbenchCheck> {
  const started = Date.now();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    const ferry = page.locator('.activitybar li[aria-label^="Ferry"], .activitybar .action-item a[aria-label^="Ferry"]').first();
    let ferryVisible = false;
    let s3Rows: string[] = [];
    let ms = Date.now() - started;
    try {
      await ferry.waitFor({ state: 'visible', timeout: 60_000 });
      ferryVisible = true;
      ms = Date.now() - started;
      await ferry.click();
      const pane = page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: /^\s*S3\b/i }) }).first();
      await pane.locator('.monaco-list-row', { hasText: 'ferry-demo' }).first().waitFor({ timeout: 20_000 });
      s3Rows = await pane.locator('.monaco-list-row').allInnerTexts();
    } catch {
      // an S3 explorer that is not there yet: the workbench itself is still ready
    }
    if (screenshotFile) await page.screenshot({ path: screenshotFile });
    return { ms, readyAt: started + ms, ferryVisible, s3Rows, screenshot: screenshotFile };
  } finally {
    await browser.close().catch(() => undefined);
  }
}

export const SANDBOX_REPO = REPO;
export const repoPath = (...p: string[]): string => path.join(REPO, ...p);
