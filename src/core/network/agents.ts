// The Node agents every Ferry connection uses (Databricks REST and OAuth through axios, S3 and
// Athena through the AWS SDK's NodeHttpHandler, presigned URLs through fetchUrl). Each request is
// routed on its own host: direct, or through the proxy with https-proxy-agent (a CONNECT tunnel,
// then TLS to the server) or http-proxy-agent (absolute-URI requests for http:// targets). Those
// two are the maintained agents VS Code itself builds on; Ferry adds only the routing, the CA list
// and errors in the user's words.
//
// The https router is an https.Agent whose options carry the CA list: when VS Code's own proxy
// support ("http.proxySupport": "override") replaces an extension's agent for a remote host, it
// keeps the `ca` of an https.Agent it replaces, so ferry.network.caFile still applies there.
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { registerSecret } from '../redact';
import { ProxyError } from './errors';
import { displayProxy, Env, ProxyChoice, ProxyResolver, ProxySettings } from './proxy';
import { loadTrust, nodeTrustIo, Trust, TrustIo, TrustSettings } from './trust';

export interface NetworkSettings extends ProxySettings, TrustSettings {
  /** http.proxyStrictSSL: verify certificates (of the proxy and of the servers behind it). */
  strictSSL: boolean;
  /** http.proxyAuthorization: a Proxy-Authorization header value, for proxies that take no URL credentials. */
  proxyAuthorization: string;
}

export const DEFAULT_NETWORK_SETTINGS: NetworkSettings = {
  proxy: '',
  noProxy: [],
  strictSSL: true,
  proxyAuthorization: '',
  caFile: '',
  systemCertificates: true,
};

/** What a client takes: axios's httpAgent/httpsAgent, NodeHttpHandler's httpAgent/httpsAgent. */
export interface HttpAgents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

interface TlsOptions {
  ca?: string[];
  rejectUnauthorized: boolean;
}

type AddRequest = (req: http.ClientRequest, options: Record<string, unknown>) => void;

function targetOf(options: Record<string, unknown>, secure: boolean): { hostname: string; port: number; label: string } {
  const hostname = String(options.hostname ?? options.host ?? 'localhost').replace(/^\[|\]$/g, '');
  const port = Number(options.port) || (secure ? 443 : 80);
  return { hostname, port, label: `${hostname}:${port}` };
}

function fail(req: http.ClientRequest, err: Error): void {
  // No socket will come: a request destroyed before it has one would never report the error.
  process.nextTick(() => {
    req.emit('error', err);
    req.destroy();
  });
}

function proxyFailure(err: unknown, proxy: URL, target: string): unknown {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'ECONNREFUSED') return new ProxyError('refused', proxy.href, target, undefined, { cause: err });
  if (['ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT'].includes(code))
    return new ProxyError('unreachable', proxy.href, target, undefined, { cause: err });
  return err;
}

/** CONNECT tunnels whose failures (refused, 407, 403) are errors rather than a replayed proxy page. */
class TunnelAgent extends HttpsProxyAgent<string> {
  constructor(
    private readonly proxyUrl: URL,
    opts: ConstructorParameters<typeof HttpsProxyAgent>[1],
    private readonly sentCredentials: boolean,
  ) {
    super(proxyUrl.href, opts);
  }

  override async connect(req: http.ClientRequest, opts: Parameters<HttpsProxyAgent<string>['connect']>[1]): Promise<net.Socket> {
    const target = `${opts.host}:${opts.port}`;
    let status = 200;
    req.once('proxyConnect', (c: { statusCode: number }) => (status = c.statusCode));
    let socket: net.Socket;
    try {
      socket = await super.connect(req, opts);
    } catch (err) {
      throw proxyFailure(err, this.proxyUrl, target);
    }
    if (status !== 200) {
      socket.destroy();
      // 407 is the standard answer; some proxies (tinyproxy) answer 401 to wrong credentials.
      const auth = status === 407 || (status === 401 && this.sentCredentials);
      throw new ProxyError(auth ? (this.sentCredentials ? 'badAuth' : 'needsAuth') : 'status', this.proxyUrl.href, target, status);
    }
    return socket;
  }
}

/** Forwarding for http:// targets; a refused proxy connection becomes a ProxyError. */
class ForwardAgent extends HttpProxyAgent<string> {
  constructor(
    private readonly proxyUrl: URL,
    opts: ConstructorParameters<typeof HttpProxyAgent>[1],
  ) {
    super(proxyUrl.href, opts);
  }

  override async connect(req: Parameters<HttpProxyAgent<string>['connect']>[0], opts: Parameters<HttpProxyAgent<string>['connect']>[1]): Promise<net.Socket> {
    try {
      return await super.connect(req, opts);
    } catch (err) {
      throw proxyFailure(err, this.proxyUrl, `${opts.host}:${opts.port}`);
    }
  }
}

/**
 * The resolved network configuration: proxy choice, CA list and strictness. Immutable; a settings
 * change builds a new one. Each client asks it for agents of its own (a client's destroy() ends
 * its agents' sockets, so agents are never shared between clients).
 */
export class NetworkProfile {
  readonly trust: Trust;
  /** A setting that cannot be used (http.proxy that is no URL): every request fails with it. */
  readonly problem?: Error;
  private readonly resolver: ProxyResolver;
  private readonly tlsOptions: TlsOptions;
  private readonly proxyHeaders: Record<string, string>;

  constructor(
    readonly settings: NetworkSettings = DEFAULT_NETWORK_SETTINGS,
    env: Env = process.env,
    io: TrustIo = nodeTrustIo,
  ) {
    let resolver: ProxyResolver;
    try {
      resolver = new ProxyResolver(settings, env);
    } catch (err) {
      // Never fall back to direct connections: a network that mandates the proxy would see them.
      this.problem = err instanceof Error ? err : new Error(String(err));
      resolver = new ProxyResolver({ proxy: '', noProxy: [] }, {});
    }
    this.resolver = resolver;
    this.trust = loadTrust(settings, env, io);
    this.tlsOptions = { ...(this.trust.ca ? { ca: this.trust.ca } : {}), rejectUnauthorized: settings.strictSSL };
    const auth = settings.proxyAuthorization.trim();
    registerSecret(auth);
    const proxy = this.resolver.proxy;
    if (proxy?.password) registerSecret(decodeURIComponent(proxy.password));
    this.proxyHeaders = auth ? { 'Proxy-Authorization': auth } : {};
  }

  get proxy(): URL | undefined {
    return this.resolver.proxy;
  }

  /** Where a request to this URL goes. */
  choose(url: string | URL): ProxyChoice {
    const u = typeof url === 'string' ? new URL(url) : url;
    return this.resolver.choose({ hostname: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) || (u.protocol === 'https:' ? 443 : 80) });
  }

  /** One line for the log: proxy, exceptions and CAs, without secrets. */
  describe(): string {
    if (this.problem) return `unusable proxy setting: ${this.problem.message}`;
    const parts = [this.proxy ? `proxy ${displayProxy(this.proxy)}` : 'no proxy'];
    if (this.proxy && this.settings.noProxy.length) parts.push(`not for ${this.settings.noProxy.join(', ')}`);
    if (!this.settings.strictSSL) parts.push('certificates NOT verified (http.proxyStrictSSL is off)');
    parts.push(...this.trust.added);
    return parts.join('; ');
  }

  /** New agents for one client. */
  createAgents(): HttpAgents {
    const { resolver, tlsOptions, problem } = this;
    const tunnels = new Map<string, TunnelAgent>();
    const forwards = new Map<string, ForwardAgent>();
    const proxyOpts = { ...this.tlsOptions, headers: this.proxyHeaders, keepAlive: true };
    const sentCredentials = !!(this.proxy?.username || this.proxy?.password || this.proxyHeaders['Proxy-Authorization']);
    const tunnelTo = (proxy: URL): TunnelAgent => {
      let a = tunnels.get(proxy.href);
      if (!a) tunnels.set(proxy.href, (a = new TunnelAgent(proxy, proxyOpts, sentCredentials)));
      return a;
    };
    const forwardTo = (proxy: URL): ForwardAgent => {
      let a = forwards.get(proxy.href);
      if (!a) forwards.set(proxy.href, (a = new ForwardAgent(proxy, proxyOpts)));
      return a;
    };

    class RoutingHttpsAgent extends https.Agent {
      addRequest(req: http.ClientRequest, options: Record<string, unknown>): void {
        if (problem) return fail(req, problem);
        const t = targetOf(options, true);
        const choice = resolver.choose(t);
        if (!choice.proxy) return (https.Agent.prototype as unknown as { addRequest: AddRequest }).addRequest.call(this, req, options);
        (tunnelTo(choice.proxy) as unknown as { addRequest: AddRequest }).addRequest(req, { ...options, ...tlsOptions, secureEndpoint: true });
      }

      override destroy(): void {
        for (const a of tunnels.values()) a.destroy();
        super.destroy();
      }
    }

    class RoutingHttpAgent extends http.Agent {
      addRequest(req: http.ClientRequest, options: Record<string, unknown>): void {
        if (problem) return fail(req, problem);
        const choice = resolver.choose(targetOf(options, false));
        if (!choice.proxy) return (http.Agent.prototype as unknown as { addRequest: AddRequest }).addRequest.call(this, req, options);
        (forwardTo(choice.proxy) as unknown as { addRequest: AddRequest }).addRequest(req, { ...options, secureEndpoint: false });
      }

      override destroy(): void {
        for (const a of forwards.values()) a.destroy();
        super.destroy();
      }
    }

    return { httpAgent: new RoutingHttpAgent({ keepAlive: true }), httpsAgent: new RoutingHttpsAgent({ keepAlive: true, ...this.tlsOptions }) };
  }
}

/** Where clients get the current profile, and hear that it changed (settings edited). */
export interface NetworkSource {
  current(): NetworkProfile;
  onDidChange(listener: () => void): { dispose(): void };
}

/** A fixed profile (tests, benchmarks, the sandbox). */
export function staticNetwork(profile: NetworkProfile = new NetworkProfile()): NetworkSource {
  return { current: () => profile, onDidChange: () => ({ dispose() {} }) };
}
