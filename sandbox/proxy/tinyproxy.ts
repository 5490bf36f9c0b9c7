// Starts Debian's tinyproxy (a real HTTP proxy: CONNECT tunnels and absolute-URI forwarding) on
// loopback, on a free port, with its own config and log in a folder of its own. The log has one
// "Request (file descriptor N): CONNECT host:port HTTP/1.1" line per tunnel, which tests read.
// Used by the proxy tests, `npm run sandbox -- --proxy` and the Windows run (which starts it in
// Linux and hands its URL to the tests). Linux tool: the runtime never starts it.
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface ProxyCredentials {
  user: string;
  password: string;
}

export interface TinyProxy {
  /** http://127.0.0.1:<port> (no credentials). */
  url: string;
  port: number;
  /** The proxy URL with the credentials in it, when it needs them. */
  authUrl?: string;
  logFile: string;
  /** The log so far. */
  log(): string;
  /** host:port of every CONNECT in the log so far. */
  connects(): string[];
  /** Absolute URIs of every forwarded (non-CONNECT) request so far. */
  forwards(): string[];
  stop(): Promise<void>;
}

export const TINYPROXY = process.env.FERRY_TINYPROXY || '/usr/bin/tinyproxy';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export function parseConnects(log: string): string[] {
  return [...log.matchAll(/Request \(file descriptor \d+\): CONNECT (\S+) HTTP/g)].map((m) => m[1]);
}

export function parseForwards(log: string): string[] {
  return [...log.matchAll(/Request \(file descriptor \d+\): (?:GET|PUT|POST|HEAD|DELETE|PATCH) (\S+) HTTP/g)].map((m) => m[1]);
}

async function startOnce(dir: string, auth?: ProxyCredentials): Promise<{ child: ChildProcess; port: number; logFile: string }> {
  const port = await freePort();
  const logFile = path.join(dir, 'tinyproxy.log');
  const conf = path.join(dir, 'tinyproxy.conf');
  fs.writeFileSync(
    conf,
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 120',
      `LogFile "${logFile}"`,
      'LogLevel Info',
      'MaxClients 100',
      'Allow 127.0.0.1',
      'DisableViaHeader Yes',
      ...(auth ? [`BasicAuth ${auth.user} ${auth.password}`] : []),
      '',
    ].join('\n'),
  );
  let stderr = '';
  const child = spawn(TINYPROXY, ['-d', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const started = Date.now();
  while (Date.now() - started < 10_000) {
    if (child.exitCode !== null || child.signalCode)
      throw new Error(
        `tinyproxy exited (${child.exitCode ?? child.signalCode}): ${stderr.trim() || (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-500) : '')}`,
      );
    if (await canConnect(port)) return { child, port, logFile };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`tinyproxy did not listen on 127.0.0.1:${port} within 10 s: ${stderr}`);
}

/** Starts tinyproxy; with `auth`, it answers 407 unless the request carries those credentials. */
export async function startTinyProxy(opts: { auth?: ProxyCredentials; dir?: string } = {}): Promise<TinyProxy> {
  if (!fs.existsSync(TINYPROXY))
    throw new Error(`tinyproxy is not installed at ${TINYPROXY} (Debian: apt-get install --no-install-recommends tinyproxy; .ci/run installs it)`);
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-proxy-'));
  fs.mkdirSync(dir, { recursive: true });
  let started: Awaited<ReturnType<typeof startOnce>> | undefined;
  let lastError: unknown;
  // The free port can be taken between the probe and tinyproxy's bind: try a few times.
  for (let i = 0; i < 3 && !started; i++) {
    try {
      started = await startOnce(dir, opts.auth);
    } catch (err) {
      lastError = err;
    }
  }
  if (!started) throw lastError instanceof Error ? lastError : new Error(String(lastError));
  const { child, port, logFile } = started;
  child.on('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`tinyproxy on port ${port} died (${code ?? signal}); its log: ${logFile}\n`);
  });
  let stopping = false;
  const read = (): string => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    authUrl: opts.auth ? `http://${encodeURIComponent(opts.auth.user)}:${encodeURIComponent(opts.auth.password)}@127.0.0.1:${port}` : undefined,
    logFile,
    log: read,
    connects: () => parseConnects(read()),
    forwards: () => parseForwards(read()),
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
