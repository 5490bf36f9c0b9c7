// OAuth user-to-machine (U2M) sign-in for a Databricks workspace, the way the Databricks CLI does
// it: discovery at {host}/oidc/.well-known/oauth-authorization-server, the public client
// `databricks-cli`, PKCE S256, a loopback redirect on http://localhost:8020 (falling back to
// 8021…8040 unless DATABRICKS_OAUTH_CALLBACK_PORT pins it), the authorization_code exchange and
// refresh_token grants. Tokens are registered with the redactor and never logged.
// Wire facts: ../shared/reference/databricks-api.md section 6.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { CancelledError, ErrorAction, isCancellation } from '../core/errors';
import { Logger, silentLogger } from '../core/logger';
import { describeNetworkFailure, HttpAgents } from '../core/network';
import { registerSecret } from '../core/redact';
import { normalizeHost } from './client';
import { DatabricksError } from './errors';
import { Env } from './config';

export const OAUTH_CLIENT_ID = 'databricks-cli';
export const OAUTH_SCOPES = 'offline_access all-apis';
export const SIGN_IN_BROWSER: ErrorAction = { title: 'Sign In with Browser', command: 'ferry.databricks.signInWithBrowser' };
/** auth_type values in ~/.databrickscfg that mean "U2M OAuth for this host". */
export const OAUTH_AUTH_TYPES = new Set(['databricks-cli', 'oauth', 'oauth-u2m', 'external-browser', 'u2m']);

// ---------------------------------------------------------------------------------------------
// PKCE and state

export interface Pkce {
  /** 64 random bytes, base64url without padding (86 characters). */
  verifier: string;
  /** base64url(sha256(verifier)). */
  challenge: string;
  /** 16 random bytes, base64url. */
  state: string;
}

export function challengeFor(verifier: string): string {
  return crypto.createHash('sha256').update(verifier).digest('base64url');
}

export function createPkce(): Pkce {
  const verifier = crypto.randomBytes(64).toString('base64url');
  return { verifier, challenge: challengeFor(verifier), state: crypto.randomBytes(16).toString('base64url') };
}

// ---------------------------------------------------------------------------------------------
// Discovery

export interface OAuthEndpoints {
  authorizationEndpoint: string;
  tokenEndpoint: string;
}

function oauthError(errorCode: string, message: string, extra: { status?: number; kind?: 'auth' | 'network' | 'config' | 'invalidInput'; cause?: unknown } = {}): DatabricksError {
  return new DatabricksError({ errorCode, message, status: extra.status ?? 0, kind: extra.kind ?? 'auth', actions: [SIGN_IN_BROWSER], cause: extra.cause, verbatim: true });
}

/** axios options that route through the network module's agents (and keep axios's own proxy logic out). */
function viaAgents(agents?: HttpAgents): { httpAgent?: HttpAgents['httpAgent']; httpsAgent?: HttpAgents['httpsAgent']; proxy?: false } {
  return agents ? { httpAgent: agents.httpAgent, httpsAgent: agents.httpsAgent, proxy: false } : {};
}

function networkProblem(err: unknown, what: string, signal?: AbortSignal): Error {
  if (signal?.aborted || isCancellation(err)) return new CancelledError();
  const net = describeNetworkFailure(err);
  if (net) return oauthError(net.code, `${what} failed: ${net.message}`, { kind: 'network' });
  const code = (err as { code?: string }).code ?? '';
  return oauthError(code || 'NETWORK_ERROR', `${what} failed${code ? ` (${code})` : ''}: ${err instanceof Error ? err.message : String(err)}`, { kind: 'network' });
}

/** Reads the workspace's authorization and token endpoints. */
export async function discover(hostInput: string, signal?: AbortSignal, timeoutMs = 15_000, agents?: HttpAgents): Promise<OAuthEndpoints> {
  const host = normalizeHost(hostInput);
  const url = `${host}/oidc/.well-known/oauth-authorization-server`;
  let res;
  try {
    res = await axios.get<string>(url, { signal, timeout: timeoutMs, responseType: 'text', transformResponse: [(d: unknown) => d], validateStatus: () => true, maxRedirects: 0, ...viaAgents(agents) });
  } catch (err) {
    throw networkProblem(err, `OAuth discovery at ${host}`, signal);
  }
  if (res.status === 407) throw networkProblem({ status: 407 }, `OAuth discovery at ${host}`, signal);
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(String(res.data)) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  const authorizationEndpoint = body?.authorization_endpoint;
  const tokenEndpoint = body?.token_endpoint;
  if (res.status !== 200 || typeof authorizationEndpoint !== 'string' || typeof tokenEndpoint !== 'string') {
    throw oauthError('OAUTH_DISCOVERY_FAILED', `${host} does not offer OAuth sign-in (HTTP ${res.status} from /oidc/.well-known/oauth-authorization-server). Check the workspace URL, or sign in with a personal access token.`, { status: res.status, kind: 'config' });
  }
  return { authorizationEndpoint, tokenEndpoint };
}

export function authorizeUrl(endpoints: OAuthEndpoints, pkce: Pkce, redirectUri: string): string {
  // encodeURIComponent (spaces as %20, not +) so the URL survives the editor's Uri round trip unchanged.
  const params: Array<[string, string]> = [
    ['client_id', OAUTH_CLIENT_ID],
    ['redirect_uri', redirectUri],
    ['response_type', 'code'],
    ['scope', OAUTH_SCOPES],
    ['state', pkce.state],
    ['code_challenge', pkce.challenge],
    ['code_challenge_method', 'S256'],
  ];
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${endpoints.authorizationEndpoint}${endpoints.authorizationEndpoint.includes('?') ? '&' : '?'}${query}`;
}

// ---------------------------------------------------------------------------------------------
// The loopback callback server

export const DEFAULT_CALLBACK_PORTS: number[] = Array.from({ length: 21 }, (_, i) => 8020 + i);

/** The ports to try: DATABRICKS_OAUTH_CALLBACK_PORT alone when set, else 8020…8040. */
export function callbackPorts(env: Env): number[] {
  const pinned = env.DATABRICKS_OAUTH_CALLBACK_PORT?.trim();
  if (!pinned) return DEFAULT_CALLBACK_PORTS;
  const n = Number(pinned);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw oauthError('INVALID_CALLBACK_PORT', `DATABRICKS_OAUTH_CALLBACK_PORT="${pinned}" is not a port number`, { kind: 'config' });
  }
  return [n];
}

export interface CallbackServer {
  readonly port: number;
  /** http://localhost:<port> (no path, as the Databricks CLI registers it). */
  readonly redirectUri: string;
  /** Resolves with the authorization code once the browser comes back with the expected state. */
  waitForCode(expectedState: string, opts?: { signal?: AbortSignal; timeoutMs?: number }): Promise<string>;
  close(): Promise<void>;
}

const page = (title: string, text: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:sans-serif;margin:3em"><h2>${title}</h2><p>${text}</p></body></html>`;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

interface CallbackResult {
  code?: string;
  state?: string;
  error?: string;
  errorDescription?: string;
}

/**
 * Listens on 127.0.0.1 (and, where it can, ::1 on the same port, since `localhost` may resolve
 * to either) on the first free port of `ports`. Port 0 picks any free port (tests).
 */
export async function startCallbackServer(ports: number[] = DEFAULT_CALLBACK_PORTS, logger: Logger = silentLogger): Promise<CallbackServer> {
  let settle: ((r: CallbackResult) => void) | undefined;
  const result = new Promise<CallbackResult>((resolve) => (settle = resolve));
  let answered = false;
  let expected: string | undefined;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const q = u.searchParams;
    if (req.method !== 'GET' || u.pathname !== '/' || (!q.has('code') && !q.has('error'))) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found');
      return;
    }
    if (answered) {
      res.writeHead(409, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page('Already answered', 'Ferry already received an answer for this sign-in. You can close this tab.'));
      return;
    }
    answered = true;
    const r: CallbackResult = { code: q.get('code') ?? undefined, state: q.get('state') ?? undefined, error: q.get('error') ?? undefined, errorDescription: q.get('error_description') ?? undefined };
    const ok = !r.error && !!r.code && r.state === expected;
    res.writeHead(ok ? 200 : 400, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(
      ok
        ? page('Signed in to Databricks', 'Ferry received the sign-in. You can close this tab and return to the editor.')
        : page('Databricks sign-in failed', `${escapeHtml(r.errorDescription ?? r.error ?? 'The answer did not match this sign-in')}. You can close this tab and try again from the editor.`),
    );
    settle?.(r);
  };

  const busy = (err: unknown): boolean => ['EADDRINUSE', 'EACCES'].includes((err as { code?: string }).code ?? '');
  const servers: http.Server[] = [];
  let port = -1;
  let lastError: unknown;
  for (const p of ports) {
    const v4 = http.createServer(handler);
    try {
      await listen(v4, p, '127.0.0.1');
    } catch (err) {
      lastError = err;
      if (busy(err)) continue;
      break;
    }
    const chosen = (v4.address() as AddressInfo).port;
    // `localhost` may resolve to ::1 first: listen there too, and skip a port some other program holds on ::1.
    const v6 = http.createServer(handler);
    try {
      await listen(v6, chosen, '::1');
      servers.push(v4, v6);
    } catch (err) {
      if (busy(err)) {
        lastError = err;
        await new Promise<void>((r) => v4.close(() => r()));
        continue;
      }
      servers.push(v4); // no IPv6 loopback here: the browser uses 127.0.0.1
    }
    port = chosen;
    break;
  }
  if (port < 0) {
    const list = ports.length === 1 ? `port ${ports[0]}` : `ports ${ports[0]}–${ports[ports.length - 1]}`;
    throw oauthError('CALLBACK_PORT_BUSY', `Cannot listen for the sign-in answer on ${list} (${(lastError as { code?: string } | undefined)?.code ?? String(lastError)}). Free one of them, or set DATABRICKS_OAUTH_CALLBACK_PORT to a free port.`, { kind: 'config' });
  }
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    ).then(() => logger.debug(`OAuth callback server on port ${port} closed`));
    return closed;
  };
  logger.debug(`OAuth callback server listening on port ${port}`);

  return {
    port,
    redirectUri: `http://localhost:${port}`,
    close,
    async waitForCode(expectedState, opts = {}) {
      expected = expectedState;
      const { signal, timeoutMs = 5 * 60_000 } = opts;
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      try {
        const stop = new Promise<never>((_, reject) => {
          if (signal?.aborted) reject(new CancelledError('Sign-in cancelled'));
          onAbort = () => reject(new CancelledError('Sign-in cancelled'));
          signal?.addEventListener('abort', onAbort, { once: true });
          timer = setTimeout(() => reject(oauthError('OAUTH_TIMEOUT', `No answer from the browser within ${Math.round(timeoutMs / 1000)} s. Sign in again and finish the sign-in in the browser.`, { kind: 'auth' })), timeoutMs);
        });
        const r = await Promise.race([result, stop]);
        if (r.error) {
          const why = r.errorDescription ? `${r.error}: ${r.errorDescription}` : r.error;
          throw oauthError(r.error, `Databricks refused the sign-in (${why}). Try again, or ask your workspace admin whether OAuth is allowed for you.`);
        }
        if (r.state !== expectedState) throw oauthError('OAUTH_STATE_MISMATCH', 'The sign-in answer did not match this sign-in (wrong state), so it was ignored. Start the sign-in again.');
        if (!r.code) throw oauthError('OAUTH_NO_CODE', 'The sign-in answer carried no authorization code. Start the sign-in again.');
        return r.code;
      } finally {
        if (timer) clearTimeout(timer);
        if (onAbort) signal?.removeEventListener('abort', onAbort);
        await close();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Tokens

/** What is persisted (as JSON, in secret storage) for an OAuth-signed-in workspace. */
export interface OAuthTokenSet {
  accessToken: string;
  refreshToken?: string;
  tokenType: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Epoch ms when it was issued (to scale the refresh margin for short-lived tokens). */
  obtainedAt: number;
  scope?: string;
  /** Where refreshes go, so no discovery is needed later. */
  tokenEndpoint: string;
}

export function parseTokenSet(text: string | undefined): OAuthTokenSet | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<OAuthTokenSet>;
    if (typeof v.accessToken !== 'string' || typeof v.tokenEndpoint !== 'string' || typeof v.expiresAt !== 'number') return undefined;
    registerSecret(v.accessToken);
    registerSecret(v.refreshToken);
    return { tokenType: 'Bearer', obtainedAt: v.expiresAt, ...v } as OAuthTokenSet;
  } catch {
    return undefined;
  }
}

async function tokenRequest(tokenEndpoint: string, form: Record<string, string>, what: string, signal?: AbortSignal, previousRefresh?: string, agents?: HttpAgents): Promise<OAuthTokenSet> {
  const obtainedAt = Date.now();
  let res;
  try {
    res = await axios.post<string>(tokenEndpoint, new URLSearchParams({ ...form, client_id: OAUTH_CLIENT_ID }).toString(), {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      signal,
      timeout: 30_000,
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
      validateStatus: () => true,
      maxRedirects: 0,
      ...viaAgents(agents),
    });
  } catch (err) {
    throw networkProblem(err, what, signal);
  }
  if (res.status === 407) throw networkProblem({ status: 407 }, what, signal);
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(String(res.data));
    body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    body = {};
  }
  if (res.status !== 200 || typeof body.access_token !== 'string') {
    const code = typeof body.error === 'string' ? body.error : `HTTP_${res.status}`;
    const desc = typeof body.error_description === 'string' ? body.error_description : `HTTP ${res.status}`;
    throw oauthError(code, `${what} was refused (${code}: ${desc}). Sign in with the browser again.`, { status: res.status });
  }
  const accessToken = body.access_token;
  const refreshToken = typeof body.refresh_token === 'string' ? body.refresh_token : previousRefresh;
  registerSecret(accessToken);
  registerSecret(refreshToken);
  const expiresIn = Number(body.expires_in ?? 3600);
  return {
    accessToken,
    refreshToken,
    tokenType: typeof body.token_type === 'string' ? body.token_type : 'Bearer',
    expiresAt: obtainedAt + (Number.isFinite(expiresIn) ? expiresIn : 3600) * 1000,
    obtainedAt,
    scope: typeof body.scope === 'string' ? body.scope : undefined,
    tokenEndpoint,
  };
}

export function exchangeCode(tokenEndpoint: string, code: string, verifier: string, redirectUri: string, signal?: AbortSignal, agents?: HttpAgents): Promise<OAuthTokenSet> {
  return tokenRequest(tokenEndpoint, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri }, 'The sign-in code exchange', signal, undefined, agents);
}

export function refreshTokens(tokens: OAuthTokenSet, signal?: AbortSignal, agents?: HttpAgents): Promise<OAuthTokenSet> {
  if (!tokens.refreshToken) throw oauthError('NO_REFRESH_TOKEN', 'The Databricks sign-in has expired and cannot be renewed (no refresh token). Sign in with the browser again.');
  return tokenRequest(tokens.tokenEndpoint, { grant_type: 'refresh_token', refresh_token: tokens.refreshToken }, 'Renewing the Databricks sign-in', signal, tokens.refreshToken, agents);
}

export interface BrowserSignInOptions {
  /** Opens the authorize URL in a browser (vscode.env.openExternal in the editor). */
  openUrl: (url: string) => Promise<void>;
  signal?: AbortSignal;
  /** Ports for the loopback redirect (default: from DATABRICKS_OAUTH_CALLBACK_PORT, else 8020…8040). */
  ports?: number[];
  /** How long to wait for the browser (default 5 min). */
  timeoutMs?: number;
  logger?: Logger;
  /** Proxy/CA agents for discovery and the code exchange (the browser has its own network). */
  agents?: HttpAgents;
}

/** The whole U2M flow: discovery, loopback server, browser, code exchange. */
export async function browserSignIn(hostInput: string, opts: BrowserSignInOptions): Promise<OAuthTokenSet> {
  const logger = opts.logger ?? silentLogger;
  const host = normalizeHost(hostInput);
  const endpoints = await discover(host, opts.signal, undefined, opts.agents);
  const pkce = createPkce();
  const server = await startCallbackServer(opts.ports ?? DEFAULT_CALLBACK_PORTS, logger);
  try {
    const waiting = server.waitForCode(pkce.state, { signal: opts.signal, timeoutMs: opts.timeoutMs });
    // Keep a rejection from being reported as unhandled while the browser is being opened.
    waiting.catch(() => undefined);
    logger.info(`OAuth sign-in to ${host}: waiting for the browser on ${server.redirectUri}`);
    await opts.openUrl(authorizeUrl(endpoints, pkce, server.redirectUri));
    const code = await waiting;
    registerSecret(code);
    const tokens = await exchangeCode(endpoints.tokenEndpoint, code, pkce.verifier, server.redirectUri, opts.signal, opts.agents);
    logger.info(`OAuth sign-in to ${host}: token received (expires in ${Math.round((tokens.expiresAt - tokens.obtainedAt) / 1000)} s)`);
    return tokens;
  } finally {
    await server.close();
  }
}

/**
 * Yields a valid access token, renewing it with the refresh token shortly before it expires
 * (60 s, or a quarter of the lifetime for short-lived tokens). Concurrent callers share one
 * refresh; each new token set is handed to `persist`.
 */
export class OAuthTokenSource {
  private inFlight: Promise<OAuthTokenSet> | undefined;

  constructor(
    private tokens: OAuthTokenSet,
    private readonly persist: (tokens: OAuthTokenSet) => Promise<void>,
    private readonly logger: Logger = silentLogger,
    private readonly refreshMarginMs = 60_000,
    private readonly agents?: HttpAgents,
  ) {
    registerSecret(tokens.accessToken);
    registerSecret(tokens.refreshToken);
  }

  get current(): OAuthTokenSet {
    return this.tokens;
  }

  private needsRefresh(now = Date.now()): boolean {
    const lifetime = Math.max(0, this.tokens.expiresAt - this.tokens.obtainedAt);
    const margin = Math.min(this.refreshMarginMs, lifetime / 4);
    return now >= this.tokens.expiresAt - margin;
  }

  async token(): Promise<string> {
    if (this.needsRefresh()) await this.refresh();
    return this.tokens.accessToken;
  }

  /** Renews now (also used once after a 401/403 "invalid access token" answer). */
  refresh(): Promise<OAuthTokenSet> {
    this.inFlight ??= (async () => {
      try {
        const next = await refreshTokens(this.tokens, undefined, this.agents);
        this.tokens = next;
        this.logger.info(`OAuth token renewed (expires in ${Math.round((next.expiresAt - next.obtainedAt) / 1000)} s)`);
        await this.persist(next);
        return next;
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }
}
