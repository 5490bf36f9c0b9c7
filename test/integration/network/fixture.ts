// What the proxy suites share: real tinyproxy processes (one open, one with basic auth), a
// throwaway CA with a server certificate for 127.0.0.1, TLS fronts before the stand-ins, and
// network profiles built the way the editor builds them. On the Windows run tinyproxy cannot be
// started from Windows Node: the runner starts both proxies in Linux and hands them over through
// FERRY_PROXY_URL / FERRY_PROXY_LOG and FERRY_PROXY_AUTH_URL / FERRY_PROXY_AUTH_LOG.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_NETWORK_SETTINGS, NetworkProfile, NetworkSettings } from '../../../src/core/network';
import { createTestCa, TestCa } from '../../../sandbox/proxy/certs';
import { parseConnects, parseForwards, startTinyProxy, TinyProxy } from '../../../sandbox/proxy/tinyproxy';
import { startTlsFront, TlsFront } from '../../../sandbox/proxy/tlsFront';
import { scratchDir } from '../standIns';

export const PROXY_USER = 'ferry';
export const PROXY_PASSWORD = 'pr0xy-s3cret';

export interface ProxyHandle {
  url: string;
  /** With credentials (the auth proxy only). */
  authUrl?: string;
  connects(): string[];
  forwards(): string[];
  stop(): Promise<void>;
}

function external(url: string, log: string, authUrl?: string): ProxyHandle {
  const read = (): string => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '');
  return { url, authUrl, connects: () => parseConnects(read()), forwards: () => parseForwards(read()), stop: async () => undefined };
}

function own(p: TinyProxy): ProxyHandle {
  return { url: p.url, authUrl: p.authUrl, connects: p.connects, forwards: p.forwards, stop: p.stop };
}

/** The open proxy. */
export async function openProxy(): Promise<ProxyHandle> {
  if (process.env.FERRY_PROXY_URL && process.env.FERRY_PROXY_LOG) return external(process.env.FERRY_PROXY_URL, process.env.FERRY_PROXY_LOG);
  return own(await startTinyProxy({ dir: scratchDir('proxy') }));
}

/** The proxy that wants PROXY_USER / PROXY_PASSWORD. */
export async function authProxy(): Promise<ProxyHandle> {
  if (process.env.FERRY_PROXY_AUTH_URL && process.env.FERRY_PROXY_AUTH_LOG) {
    const url = process.env.FERRY_PROXY_AUTH_URL;
    const u = new URL(url);
    u.username = encodeURIComponent(PROXY_USER);
    u.password = encodeURIComponent(PROXY_PASSWORD);
    return external(url, process.env.FERRY_PROXY_AUTH_LOG, u.href.replace(/\/$/, ''));
  }
  return own(await startTinyProxy({ auth: { user: PROXY_USER, password: PROXY_PASSWORD }, dir: scratchDir('proxy-auth') }));
}

export interface Pki {
  ca: TestCa;
  /** The CA certificate written to a file (what a user puts in ferry.network.caFile). */
  caFile: string;
  /** A TLS front before `target` (http://127.0.0.1:port), with a certificate from this CA. */
  front(target: string): Promise<TlsFront>;
  stop(): Promise<void>;
}

export function pki(): Pki {
  const dir = scratchDir('pki');
  const ca = createTestCa();
  const caFile = path.join(dir, 'corporate-root.pem');
  fs.writeFileSync(caFile, ca.cert);
  const pair = ca.issue(['127.0.0.1', 'localhost']);
  const fronts: TlsFront[] = [];
  return {
    ca,
    caFile,
    front: async (target) => {
      const f = await startTlsFront({ target, pair });
      fronts.push(f);
      return f;
    },
    stop: async () => {
      for (const f of fronts) await f.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A profile as the editor builds it from http.* and ferry.network.* (env: only what is given). */
export function profile(settings: Partial<NetworkSettings>, env: Record<string, string> = {}): NetworkProfile {
  return new NetworkProfile({ ...DEFAULT_NETWORK_SETTINGS, ...settings }, env);
}

/** host:port of a URL, as it appears in a CONNECT line. */
export function hostPort(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port}`;
}
