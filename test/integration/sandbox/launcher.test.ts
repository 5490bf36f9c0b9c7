// `npm run sandbox`'s launcher as a user runs it: a child process that starts the stand-ins (and
// code-server), seeds the demo, prints where everything is and "ready", and on Ctrl+C (SIGINT) or
// SIGTERM stops everything: every port it printed is closed and its process group is empty.
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

// Compiled to out/test/integration/sandbox/.
const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const LAUNCHER = path.join(REPO, 'out', 'sandbox', 'launcher', 'main.js');
const CACHE = process.env.FERRY_CACHE || path.join(os.homedir(), '.cache', 'ferry');
const CODE_SERVER = path.join(CACHE, 'code-server-4.100.3', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

interface Launched {
  proc: ChildProcess;
  out: () => string;
  home: string;
  dataDir: string;
}

function launch(args: string[]): Launched {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-sandbox-it-'));
  const home = path.join(tmp, 'home');
  fs.mkdirSync(home);
  const dataDir = path.join(tmp, 'data');
  // A fake HOME shows that the user's ~/.aws and ~/.databrickscfg are never written; FERRY_CACHE
  // still points at the real cache so code-server is found.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    USERPROFILE: home,
    FERRY_CACHE: CACHE,
    DISPLAY: '',
    WAYLAND_DISPLAY: '',
    PATH: path.dirname(process.execPath) + path.delimiter + '/usr/bin:/bin',
  };
  delete env.AWS_CONFIG_FILE;
  delete env.AWS_SHARED_CREDENTIALS_FILE;
  delete env.DATABRICKS_CONFIG_FILE;
  // detached: its own process group, so the test can see whether anything of it is left.
  const proc = spawn(process.execPath, [LAUNCHER, '--data-dir', dataDir, ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { proc, out: () => out, home, dataDir };
}

async function waitFor(l: Launched, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(l.out())) {
    if (l.proc.exitCode !== null) throw new Error(`launcher exited (${l.proc.exitCode}) before ${pattern}:\n${l.out()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} in ${timeoutMs / 1000} s:\n${l.out()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function exited(proc: ChildProcess, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve({ code: proc.exitCode, signal: proc.signalCode });
    const timer = setTimeout(() => reject(new Error(`launcher still running after ${timeoutMs / 1000} s`)), timeoutMs);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function ports(text: string): number[] {
  return [...new Set([...text.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1])))];
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function groupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** Processes in the launcher's process group whose command line contains `needle` (Linux /proc). */
function groupMembers(pgid: number, needle: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function kill(l: Launched): void {
  if (l.proc.pid && groupAlive(l.proc.pid)) process.kill(-l.proc.pid, 'SIGKILL');
}

describe('sandbox launcher (npm run sandbox) as a process', function () {
  this.timeout(120_000);
  const started: Launched[] = [];
  after(() => started.forEach(kill));

  it('starts the stand-ins with demo data and its own credential files, and Ctrl+C (SIGINT) leaves nothing running', async function () {
    const l = launch(['--no-editor']);
    started.push(l);
    await waitFor(l, /ready in [\d.]+ s/, 60_000);
    const open = ports(l.out());
    assert.ok(open.length >= 1, `no service URLs printed:\n${l.out()}`);
    for (const p of open) assert.equal(await portOpen(p), true, `port ${p} is not listening while the sandbox runs`);

    // The demo's raw data is in the S3 stand-in, readable with the sandbox's own credentials.
    const awsDir = path.join(l.dataDir, 'services', 'aws');
    assert.ok(fs.existsSync(path.join(awsDir, 'credentials')), 'no sandbox credentials file');
    const s3Port = Number(/S3\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(l.out())?.[1]);
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${s3Port}`,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const got = await s3.send(new GetObjectCommand({ Bucket: 'ferry-demo', Key: 'raw/customers.csv' }));
    const csv = await got.Body?.transformToString();
    s3.destroy();
    assert.match(csv ?? '', /^customer_id,region,plan,tenure_months,monthly_spend,support_calls,churned\n/);
    assert.equal((csv ?? '').trim().split('\n').length, 1201);
    // The workspace has the demo files and settings pointing at the stand-ins.
    const ws = path.join(l.dataDir, 'workspace');
    for (const f of ['train.py', 'explore.ipynb', 'query.sql', 'data/customers.csv', '.vscode/settings.json'])
      assert.ok(fs.existsSync(path.join(ws, f)), `workspace lacks ${f}`);
    const settings = JSON.parse(fs.readFileSync(path.join(ws, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(settings['ferry.s3.endpoint'], `http://127.0.0.1:${s3Port}`);
    assert.equal(settings['ferry.aws.profile'], 'ferry-sandbox');

    process.kill(l.proc.pid as number, 'SIGINT');
    const { code } = await exited(l.proc, 30_000);
    assert.equal(code, 0, l.out());
    assert.match(l.out(), /stopped; nothing left running/);
    for (const p of open) assert.equal(await portOpen(p), false, `port ${p} still open after Ctrl+C`);
    assert.equal(await groupGone(l.proc.pid as number, 5000), true, 'processes of the sandbox are still running');
    // The user's own credential files were never created or touched.
    for (const f of ['.aws', '.databrickscfg']) assert.equal(fs.existsSync(path.join(l.home, f)), false, `~/${f} was written`);
  });

  it('with code-server: serves the workbench, and SIGTERM stops code-server and the stand-ins', async function () {
    if (!fs.existsSync(CODE_SERVER)) {
      // The editor is installed by `npm run sandbox` / `npm run test:editor`; without it this case cannot run.
      throw new Error(`code-server is not installed at ${CODE_SERVER}: run node scripts/editor/install-editor.mjs`);
    }
    const l = launch(['--browser', '--no-open']);
    started.push(l);
    await waitFor(l, /ready in [\d.]+ s/, 90_000);
    const url = /open (http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/.exec(l.out())?.[1];
    assert.ok(url, `no editor URL printed:\n${l.out()}`);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /workbench/i);
    assert.match(l.out(), /What to try/);
    assert.match(l.out(), /Press Ctrl\+C to stop everything/);
    const open = ports(l.out());
    assert.ok(open.length >= 2, `expected the S3 and editor ports in:\n${l.out()}`);

    process.kill(l.proc.pid as number, 'SIGTERM');
    const { code } = await exited(l.proc, 30_000);
    assert.equal(code, 0, l.out());
    for (const p of open) assert.equal(await portOpen(p), false, `port ${p} still open after SIGTERM`);
    assert.equal(await groupGone(l.proc.pid as number, 10_000), true, 'code-server or a stand-in is still running');
  });

  it('prints the OAuth sign-in password, and stops everything, saying why, when the S3 stand-in dies', async function () {
    const l = launch(['--no-editor']);
    started.push(l);
    await waitFor(l, /ready in [\d.]+ s/, 60_000);
    assert.match(l.out(), /OAuth sign-in page password: [a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}/);
    const open = ports(l.out());
    const s3 = groupMembers(l.proc.pid as number, path.join('sandbox', 's3', 'main.js'));
    assert.equal(s3.length, 1, `S3 stand-in processes in the sandbox's group: ${JSON.stringify(s3)}`);
    process.kill(s3[0], 'SIGKILL');
    const { code } = await exited(l.proc, 30_000);
    assert.equal(code, 1, l.out());
    assert.match(l.out(), new RegExp(`the S3 stand-in \\(pid ${s3[0]}\\) exited \\(signal SIGKILL\\)`));
    // Its last stderr lines come with the report.
    assert.match(l.out(), /\| S3 stand-in: listening on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(l.out(), /stopped; nothing left running/);
    for (const p of open) assert.equal(await portOpen(p), false, `port ${p} still open after the S3 stand-in died`);
    assert.equal(await groupGone(l.proc.pid as number, 10_000), true, 'processes of the sandbox are still running');
  });

  it('--exit-when-ready stops by itself and exits 0; a bad flag exits 2 with the usage', async function () {
    const l = launch(['--no-editor', '--exit-when-ready']);
    started.push(l);
    const { code } = await exited(l.proc, 60_000);
    assert.equal(code, 0, l.out());
    assert.match(l.out(), /ready in [\d.]+ s/);
    for (const p of ports(l.out())) assert.equal(await portOpen(p), false, `port ${p} still open`);
    assert.equal(await groupGone(l.proc.pid as number, 5000), true);

    const bad = launch(['--port', 'eighty']);
    started.push(bad);
    const r = await exited(bad.proc, 15_000);
    assert.equal(r.code, 2);
    assert.match(bad.out(), /--port wants a number/);
  });
});
