// OAuth user-to-machine (U2M) sign-in for a Databricks workspace, the way the Databricks CLI does
// it: discovery at {host}/oidc/.well-known/oauth-authorization-server, the public client
// `databricks-cli`, PKCE S256, a loopback redirect on http://localhost:8020 (falling back to
// 8021…8040 unless DATABRICKS_OAUTH_CALLBACK_PORT pins it), the authorization_code exchange and
// refresh_token grants. Tokens are registered with the redactor and never logged.
// Wire facts: ../shared/reference/databricks-api.md section 6.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CancelledError, ErrorAction } from '../core/errors';
import { Logger, silentLogger } from '../core/logger';
import { registerSecret } from '../core/redact';
import { normalizeHost } from './client';
import { Env } from './config';
import { TokenSource } from './credentials';
import { CHOOSE_PROFILE, DatabricksError } from './errors';
import { DatabricksHttpOptions } from './http';
import { discover as discoverEndpoints, dueForRenewal, OAuthEndpoints, oauthError as baseOAuthError, requestTokens } from './oidc';

export type { OAuthEndpoints } from './oidc';
export const OAUTH_CLIENT_ID = 'databricks-cli';
export const OAUTH_SCOPES = 'offline_access all-apis';
export const SIGN_IN_BROWSER: ErrorAction = { title: 'Sign In with Browser', command: 'ferry.databricks.signInWithBrowser' };
/** auth_type values in ~/.databrickscfg that Ferry's own browser sign-in serves (databricks-cli runs the CLI). */
export const OAUTH_AUTH_TYPES = new Set(['oauth', 'oauth-u2m', 'external-browser', 'u2m']);

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

function oauthError(errorCode: string, message: string, extra: { status?: number; kind?: 'auth' | 'network' | 'config' | 'invalidInput'; cause?: unknown } = {}): DatabricksError {
  return baseOAuthError(errorCode, message, [SIGN_IN_BROWSER], extra);
}

/** Reads the workspace's authorization and token endpoints. */
export async function discover(hostInput: string, signal?: AbortSignal, http?: DatabricksHttpOptions): Promise<OAuthEndpoints> {
  const endpoints = await discoverEndpoints(normalizeHost(hostInput), { http, signal, actions: [SIGN_IN_BROWSER], otherwise: 'sign in with a personal access token' });
  if (!endpoints.authorizationEndpoint) throw oauthError('OAUTH_DISCOVERY_FAILED', `${normalizeHost(hostInput)} names no authorization endpoint, so browser sign-in is not possible there. Sign in with a personal access token.`, { kind: 'config' });
  return endpoints;
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
  error?: string;
}

/** RFC 6749 4.1.2.1 error codes, each in Ferry's own words: nothing the redirect carries is shown. */
const AUTHORIZE_ERRORS: Record<string, string> = {
  access_denied: 'the request was declined, by you or by a workspace policy',
  invalid_request: 'the workspace found the sign-in request malformed',
  unauthorized_client: 'the workspace does not allow this client to sign in this way',
  unsupported_response_type: 'the workspace does not support this kind of sign-in',
  invalid_scope: 'the workspace refused the requested access (scopes)',
  server_error: 'the workspace had an internal error',
  temporarily_unavailable: 'the workspace is temporarily unable to sign you in',
};

/** Compares states in constant time (the state guards the one answer this sign-in takes). */
function sameState(got: string | null, expected: string | undefined): boolean {
  if (got === null || expected === undefined) return false;
  const a = Buffer.from(got);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/**
 * Listens on 127.0.0.1 (and, where it can, ::1 on the same port, since `localhost` may resolve
 * to either) on the first free port of `ports`. Port 0 picks any free port (tests).
 * Only an answer carrying this sign-in's state counts: anything else (another local program, a
 * web page loading `http://localhost:8020/?error=…` in an <img>) is answered 400 and ignored, and
 * the sign-in keeps waiting. Nothing from a request is ever echoed into the page or the error.
 */
export async function startCallbackServer(ports: number[] = DEFAULT_CALLBACK_PORTS, logger: Logger = silentLogger): Promise<CallbackServer> {
  let settle: ((r: CallbackResult) => void) | undefined;
  const result = new Promise<CallbackResult>((resolve) => (settle = resolve));
  let answered = false;
  let expected: string | undefined;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const q = u.searchParams;
    const reply = (status: number, title: string, text: string): void => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(page(title, text));
    };
    if (req.method !== 'GET' || u.pathname !== '/' || (!q.has('code') && !q.has('error'))) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found');
      return;
    }
    if (answered) return reply(409, 'Already answered', 'Ferry already received an answer for this sign-in. You can close this tab.');
    if (!sameState(q.get('state'), expected)) {
      logger.warn('OAuth callback: ignored an answer that does not carry this sign-in\'s state');
      return reply(400, 'Not this sign-in', 'This answer does not belong to the sign-in Ferry is waiting for, so it was ignored. If you started a sign-in, finish it in the tab Ferry opened.');
    }
    answered = true;
    const error = q.get('error');
    const code = q.get('code');
    if (error || !code) {
      const description = q.get('error_description');
      logger.info(`OAuth callback: the workspace answered with error "${(error ?? 'no code').slice(0, 80)}"${description ? ` (${description.slice(0, 300)})` : ''}`);
      reply(400, 'Databricks sign-in failed', 'The workspace did not sign you in. You can close this tab; the editor says why.');
      settle?.({ error: error ?? 'no_code' });
      return;
    }
    reply(200, 'Signed in to Databricks', 'Ferry received the sign-in. You can close this tab and return to the editor.');
    settle?.({ code });
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
        if (r.code) return r.code;
        const known = r.error && Object.prototype.hasOwnProperty.call(AUTHORIZE_ERRORS, r.error) ? r.error : undefined;
        if (!known && r.error === 'no_code') throw oauthError('OAUTH_NO_CODE', 'The sign-in answer carried no authorization code. Start the sign-in again.');
        const why = known ? `${known}: ${AUTHORIZE_ERRORS[known]}` : 'an error code Ferry does not know; the log has the details';
        throw oauthError(known ?? 'OAUTH_AUTHORIZE_ERROR', `Databricks refused the sign-in (${why}). Try again, or ask your workspace admin whether OAuth is allowed for you.`);
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

const refusedBy = (what: string) => (code: string, desc: string, status: number): DatabricksError => oauthError(code, `${what} was refused (${code}: ${desc}). Sign in with the browser again.`, { status });

function withEndpoint(tokens: Omit<OAuthTokenSet, 'tokenEndpoint'>, tokenEndpoint: string): OAuthTokenSet {
  return { ...tokens, tokenEndpoint };
}

export async function exchangeCode(tokenEndpoint: string, code: string, verifier: string, redirectUri: string, signal?: AbortSignal, http?: DatabricksHttpOptions): Promise<OAuthTokenSet> {
  const what = 'The sign-in code exchange';
  const form = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: OAUTH_CLIENT_ID };
  return withEndpoint(await requestTokens({ tokenEndpoint, form, http, signal, what, actions: [SIGN_IN_BROWSER], refused: refusedBy(what) }), tokenEndpoint);
}

export async function refreshTokens(tokens: OAuthTokenSet, signal?: AbortSignal, http?: DatabricksHttpOptions): Promise<OAuthTokenSet> {
  if (!tokens.refreshToken) throw oauthError('NO_REFRESH_TOKEN', 'The Databricks sign-in has expired and cannot be renewed (no refresh token). Sign in with the browser again.');
  const what = 'Renewing the Databricks sign-in';
  const form = { grant_type: 'refresh_token', refresh_token: tokens.refreshToken, client_id: OAUTH_CLIENT_ID };
  const next = await requestTokens({ tokenEndpoint: tokens.tokenEndpoint, form, http, signal, what, actions: [SIGN_IN_BROWSER], refused: refusedBy(what), previousRefresh: tokens.refreshToken });
  return withEndpoint(next, tokens.tokenEndpoint);
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
  http?: DatabricksHttpOptions;
}

/** The whole U2M flow: discovery, loopback server, browser, code exchange. */
export async function browserSignIn(hostInput: string, opts: BrowserSignInOptions): Promise<OAuthTokenSet> {
  const logger = opts.logger ?? silentLogger;
  const host = normalizeHost(hostInput);
  const endpoints = await discover(host, opts.signal, opts.http);
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
    const tokens = await exchangeCode(endpoints.tokenEndpoint, code, pkce.verifier, server.redirectUri, opts.signal, opts.http);
    logger.info(`OAuth sign-in to ${host}: token received (expires in ${Math.round((tokens.expiresAt - tokens.obtainedAt) / 1000)} s)`);
    return tokens;
  } finally {
    await server.close();
  }
}

/** Where an OAuthTokenSource keeps its tokens: secret storage, shared by every editor window. */
export interface TokenSetStore {
  load(): Promise<OAuthTokenSet | undefined>;
  save(tokens: OAuthTokenSet): Promise<void>;
  /** True when changes by other windows are reported (then a refused renewal waits briefly for one). */
  watched?: boolean;
}

const sameSet = (a: OAuthTokenSet | undefined, b: OAuthTokenSet | undefined): boolean => !!a && !!b && a.accessToken === b.accessToken && a.refreshToken === b.refreshToken;

/**
 * Yields a valid access token, renewing it with the refresh token shortly before it expires
 * (60 s, or a quarter of the lifetime for short-lived tokens). Concurrent callers share one
 * refresh; each new token set is saved to the store.
 * Other windows renew too, and the workspace rotates the refresh token on each renewal, so the
 * one this window loaded may be dead: `reload()` (called when secret storage says the set
 * changed) adopts what another window saved, and a renewal first looks there, and looks again
 * (waiting briefly for the other window to save) when its refresh token is refused.
 */
export class OAuthTokenSource implements TokenSource {
  private inFlight: Promise<OAuthTokenSet> | undefined;
  private changed: Array<() => void> = [];

  constructor(
    private tokens: OAuthTokenSet,
    private readonly store: TokenSetStore,
    private readonly logger: Logger = silentLogger,
    private readonly refreshMarginMs = 60_000,
    private readonly http?: DatabricksHttpOptions,
  ) {
    registerSecret(tokens.accessToken);
    registerSecret(tokens.refreshToken);
  }

  get current(): OAuthTokenSet {
    return this.tokens;
  }

  async token(_signal?: AbortSignal): Promise<string> {
    if (dueForRenewal(this.tokens, this.refreshMarginMs)) await this.refresh();
    return this.tokens.accessToken;
  }

  async renew(): Promise<void> {
    await this.refresh();
  }

  refusedAfterRenewal(again: DatabricksError, host: string): DatabricksError {
    return new DatabricksError({ errorCode: again.errorCode, message: `${host} refused the OAuth sign-in even after renewing it (${again.serverMessage}). Sign in with the browser again.`, status: again.status, kind: 'auth', actions: [SIGN_IN_BROWSER, CHOOSE_PROFILE], cause: again, verbatim: true });
  }

  /** Adopts the stored set when it differs from the one in use (renewed by another window). */
  async reload(): Promise<boolean> {
    const stored = await this.store.load();
    if (!stored || sameSet(stored, this.tokens) || stored.obtainedAt < this.tokens.obtainedAt) return false;
    this.tokens = stored;
    this.logger.info('OAuth tokens renewed in another window were picked up');
    const waiting = this.changed;
    this.changed = [];
    for (const w of waiting) w();
    return true;
  }

  private waitForChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.changed.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Renews now (also used once after a 401/403 "invalid access token" answer). */
  refresh(): Promise<OAuthTokenSet> {
    const started = this.tokens;
    this.inFlight ??= (async () => {
      try {
        // Another window may have renewed already: its set is as good as a new one.
        await this.reload();
        if (!sameSet(this.tokens, started) && !dueForRenewal(this.tokens, this.refreshMarginMs)) return this.tokens;
        const using = this.tokens;
        let next: OAuthTokenSet;
        try {
          next = await refreshTokens(using, undefined, this.http);
        } catch (err) {
          if (!(err instanceof DatabricksError) || err.errorCode !== 'invalid_grant') throw err;
          // Refused: another window may be renewing with the same refresh token right now.
          await this.reload();
          if (sameSet(this.tokens, using) && this.store.watched) {
            await this.waitForChange(3000);
            await this.reload();
          }
          if (sameSet(this.tokens, using)) throw err;
          if (!dueForRenewal(this.tokens, this.refreshMarginMs)) return this.tokens;
          next = await refreshTokens(this.tokens, undefined, this.http);
        }
        this.tokens = next;
        this.logger.info(`OAuth token renewed (expires in ${Math.round((next.expiresAt - next.obtainedAt) / 1000)} s)`);
        await this.store.save(next);
        return next;
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }
}
