// OAuth user-to-machine (U2M) sign-in for a Databricks workspace, the way the Databricks CLI does
// it: discovery at {host}/oidc/.well-known/oauth-authorization-server, the public client
// `databricks-cli`, PKCE S256, a loopback redirect on http://localhost:8020 (falling back to
// 8021…8040 unless DATABRICKS_OAUTH_CALLBACK_PORT pins it; oauthCallback.ts), the
// authorization_code exchange and refresh_token grants (over oidc.ts), and the token source that
// keeps the tokens fresh and in step with other windows. Tokens are registered with the redactor
// and never logged.
// Wire facts: docs/reference/databricks-api.md section 6.
import crypto from 'node:crypto';
import { Logger, silentLogger } from '../core/logger';
import { registerSecret } from '../core/redact';
import { normalizeHost } from './client';
import { TokenSource } from './credentials';
import { CHOOSE_PROFILE, DatabricksError, SIGN_IN_BROWSER } from './errors';
import { DatabricksHttpOptions } from './http';
import { DEFAULT_CALLBACK_PORTS, startCallbackServer } from './oauthCallback';
import { discover as discoverEndpoints, dueForRenewal, IssuedTokens, OAuthEndpoints, oauthError as baseOAuthError, requestTokens } from './oidc';

export type { OAuthEndpoints } from './oidc';
export { SIGN_IN_BROWSER } from './errors';
export { callbackPorts, DEFAULT_CALLBACK_PORTS, startCallbackServer } from './oauthCallback';
export type { CallbackServer } from './oauthCallback';
export const OAUTH_CLIENT_ID = 'databricks-cli';
export const OAUTH_SCOPES = 'offline_access all-apis';
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

function oauthError(
  errorCode: string,
  message: string,
  extra: { status?: number; kind?: 'auth' | 'network' | 'config' | 'invalidInput'; cause?: unknown } = {},
): DatabricksError {
  return baseOAuthError(errorCode, message, [SIGN_IN_BROWSER], extra);
}

/** Reads the workspace's authorization and token endpoints. */
export async function discover(hostInput: string, signal?: AbortSignal, httpOptions?: DatabricksHttpOptions): Promise<OAuthEndpoints> {
  const endpoints = await discoverEndpoints(normalizeHost(hostInput), {
    http: httpOptions,
    signal,
    actions: [SIGN_IN_BROWSER],
    otherwise: 'sign in with a personal access token',
  });
  if (!endpoints.authorizationEndpoint)
    throw oauthError(
      'OAUTH_DISCOVERY_FAILED',
      `${normalizeHost(hostInput)} names no authorization endpoint, so browser sign-in is not possible there. Sign in with a personal access token.`,
      { kind: 'config' },
    );
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
// Tokens

/** What is persisted (as JSON, in secret storage) for an OAuth-signed-in workspace. */
export interface OAuthTokenSet extends IssuedTokens {
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

const refusedBy =
  (what: string) =>
  (code: string, desc: string, status: number): DatabricksError =>
    oauthError(code, `${what} was refused (${code}: ${desc}). Sign in with the browser again.`, { status });

function withEndpoint(tokens: Omit<OAuthTokenSet, 'tokenEndpoint'>, tokenEndpoint: string): OAuthTokenSet {
  return { ...tokens, tokenEndpoint };
}

export async function exchangeCode(
  tokenEndpoint: string,
  code: string,
  verifier: string,
  redirectUri: string,
  signal?: AbortSignal,
  httpOptions?: DatabricksHttpOptions,
): Promise<OAuthTokenSet> {
  const what = 'The sign-in code exchange';
  const form = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: OAUTH_CLIENT_ID };
  return withEndpoint(
    await requestTokens({ tokenEndpoint, form, http: httpOptions, signal, what, actions: [SIGN_IN_BROWSER], refused: refusedBy(what) }),
    tokenEndpoint,
  );
}

export async function refreshTokens(tokens: OAuthTokenSet, signal?: AbortSignal, httpOptions?: DatabricksHttpOptions): Promise<OAuthTokenSet> {
  if (!tokens.refreshToken)
    throw oauthError('NO_REFRESH_TOKEN', 'The Databricks sign-in has expired and cannot be renewed (no refresh token). Sign in with the browser again.');
  const what = 'Renewing the Databricks sign-in';
  const form = { grant_type: 'refresh_token', refresh_token: tokens.refreshToken, client_id: OAUTH_CLIENT_ID };
  const next = await requestTokens({
    tokenEndpoint: tokens.tokenEndpoint,
    form,
    http: httpOptions,
    signal,
    what,
    actions: [SIGN_IN_BROWSER],
    refused: refusedBy(what),
    previousRefresh: tokens.refreshToken,
  });
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

const sameSet = (a: OAuthTokenSet | undefined, b: OAuthTokenSet | undefined): boolean =>
  !!a && !!b && a.accessToken === b.accessToken && a.refreshToken === b.refreshToken;

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
    return new DatabricksError({
      errorCode: again.errorCode,
      message: `${host} refused the OAuth sign-in even after renewing it (${again.serverMessage}). Sign in with the browser again.`,
      status: again.status,
      kind: 'auth',
      actions: [SIGN_IN_BROWSER, CHOOSE_PROFILE],
      cause: again,
      verbatim: true,
    });
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
