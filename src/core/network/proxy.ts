// Which proxy a request goes through. The precedence is the one VS Code's own resolver uses, so
// Ferry and the editor whose settings it reads never disagree about a host: http.noProxy (when it
// lists anything, else NO_PROXY) sends a host direct; then http.proxy; then HTTPS_PROXY /
// HTTP_PROXY from the environment (lower case first), for https and http targets alike.
// proxy-from-env is not used: it reads only process.env, cannot take the editor's http.noProxy,
// matches NO_PROXY entries exactly where VS Code matches them as domain suffixes, and sends
// https targets only to HTTPS_PROXY, so it would choose differently from the editor.
import { FerryError } from '../errors';
import { displayProxy } from './failures';

export { displayProxy };

export type Env = Record<string, string | undefined>;

export interface ProxySettings {
  /** http.proxy; empty means "take it from the environment". */
  proxy: string;
  /** http.noProxy: host names or domains (a leading dot is optional), each with an optional :port. */
  noProxy: string[];
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|\[::1\]|::ffff:127(?:\.\d{1,3}){3})$/i;

export function isLoopback(hostname: string): boolean {
  return LOOPBACK.test(hostname.replace(/\.$/, ''));
}

function first(env: Env, names: string[]): string | undefined {
  for (const n of names) {
    const v = env[n]?.trim();
    if (v) return v;
  }
  return undefined;
}

/** The proxy named by the environment, as VS Code reads it. */
export function envProxy(env: Env): string | undefined {
  return first(env, ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']);
}

function envNoProxy(env: Env): string[] {
  return (first(env, ['no_proxy', 'NO_PROXY']) ?? '').split(/[,\s]+/).filter(Boolean);
}

/**
 * True when `hostname:port` matches a no-proxy entry: `*` matches everything; `example.com` and
 * `.example.com` match the domain and every host under it; `host:8443` only that port.
 */
export function bypassesProxy(hostname: string, port: number, entries: string[]): boolean {
  const host = `.${hostname.toLowerCase().replace(/^\[|\]$/g, '')}`;
  return entries.some((raw) => {
    const entry = raw.trim().toLowerCase();
    if (!entry) return false;
    if (entry === '*') return true;
    const m = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\*\./, '.'));
    const name = (m?.[1] ?? entry).replace(/^\[|\]$/g, '');
    const entryPort = m?.[2] ? Number(m[2]) : undefined;
    if (!name || (entryPort !== undefined && entryPort !== port)) return false;
    return host.endsWith(name.startsWith('.') ? name : `.${name}`);
  });
}

/** Parses a proxy setting (`host:3128` means `http://host:3128`); throws a config error for what is not a proxy URL. */
export function parseProxyUrl(value: string, source: string): URL {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FerryError('config', `${source} "${displayProxy(value)}" is not a proxy URL (expected http://host:port).`, [
      { title: 'Open Proxy Settings', command: 'workbench.action.openSettings', args: ['http.proxy'] },
    ]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FerryError('config', `${source} uses ${url.protocol.replace(/:$/, '')}://, which Ferry does not support: use an http:// or https:// proxy.`);
  }
  return url;
}

export interface ProxyChoice {
  proxy?: URL;
  /** Why: 'noProxy', 'loopback', 'setting', 'environment' or 'none'. */
  reason: 'noProxy' | 'loopback' | 'setting' | 'environment' | 'none';
}

export class ProxyResolver {
  private readonly configured?: { url: URL; source: 'setting' | 'environment' };
  private readonly noProxy: string[];

  constructor(settings: ProxySettings, env: Env) {
    const fromSetting = settings.proxy.trim();
    const fromEnv = envProxy(env);
    if (fromSetting) this.configured = { url: parseProxyUrl(fromSetting, 'http.proxy'), source: 'setting' };
    else if (fromEnv) this.configured = { url: parseProxyUrl(fromEnv, 'HTTPS_PROXY / HTTP_PROXY'), source: 'environment' };
    const listed = settings.noProxy.map((s) => s.trim()).filter(Boolean);
    this.noProxy = listed.length ? listed : envNoProxy(env);
  }

  /** The configured proxy, if any (whatever the target). */
  get proxy(): URL | undefined {
    return this.configured?.url;
  }

  choose(target: { hostname: string; port: number }): ProxyChoice {
    if (!this.configured) return { reason: 'none' };
    if (bypassesProxy(target.hostname, target.port, this.noProxy)) return { reason: 'noProxy' };
    // A proxy elsewhere cannot reach this machine's loopback (VS Code sends loopback direct too);
    // a proxy on this machine (a local agent, the sandbox's) can, so loopback goes through it.
    if (isLoopback(target.hostname) && !isLoopback(this.configured.url.hostname)) return { reason: 'loopback' };
    return { proxy: this.configured.url, reason: this.configured.source };
  }
}
