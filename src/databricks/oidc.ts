// The token exchange with a workspace's OAuth server, shared by U2M (authorization code and
// refresh) and M2M (client credentials): discovery at {host}/oidc/.well-known/oauth-authorization-server
// and form POSTs to its token endpoint, over the one Databricks HTTP layer (http.ts).
// Wire facts: docs/reference/databricks-api.md section 6, services-2026.md section 5.
import { CancelledError, ErrorAction, isCancellation } from '../core/errors';
import { registerSecret } from '../core/redact';
import { DatabricksError } from './errors';
import { describeNetworkFailure } from '../core/network';
import { bodyText, createHttp, DatabricksHttpOptions, networkCode } from './http';

export interface OAuthEndpoints {
  authorizationEndpoint: string;
  tokenEndpoint: string;
}

/** A token endpoint's answer, with times in epoch ms. */
export interface IssuedTokens {
  accessToken: string;
  refreshToken?: string;
  tokenType: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Epoch ms when it was issued (to scale the refresh margin for short-lived tokens). */
  obtainedAt: number;
  scope?: string;
}

export function oauthError(
  errorCode: string,
  message: string,
  actions: ErrorAction[],
  extra: { status?: number; kind?: 'auth' | 'network' | 'config' | 'invalidInput'; cause?: unknown } = {},
): DatabricksError {
  return new DatabricksError({ errorCode, message, status: extra.status ?? 0, kind: extra.kind ?? 'auth', actions, cause: extra.cause, verbatim: true });
}

function networkProblem(err: unknown, what: string, actions: ErrorAction[], signal?: AbortSignal): Error {
  if (signal?.aborted || isCancellation(err)) return new CancelledError();
  // A proxy or a certificate in the way: said in the user's words, with the setting to change.
  const net = describeNetworkFailure(err);
  if (net) return oauthError(net.code, `${what} failed: ${net.message}`, [...net.actions, ...actions], { kind: 'network' });
  const code = networkCode(err);
  return oauthError(code || 'NETWORK_ERROR', `${what} failed${code ? ` (${code})` : ''}: ${err instanceof Error ? err.message : String(err)}`, actions, {
    kind: 'network',
  });
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the workspace's authorization and token endpoints. */
export async function discover(
  host: string,
  opts: { http?: DatabricksHttpOptions; signal?: AbortSignal; timeoutMs?: number; actions: ErrorAction[]; otherwise: string },
): Promise<OAuthEndpoints> {
  let res;
  try {
    res = await createHttp(opts.http).get(`${host}/oidc/.well-known/oauth-authorization-server`, {
      signal: opts.signal,
      timeout: opts.timeoutMs ?? 15_000,
      responseType: 'text',
    });
  } catch (err) {
    throw networkProblem(err, `OAuth discovery at ${host}`, opts.actions, opts.signal);
  }
  const body = parseJson(bodyText(res.data));
  const authorizationEndpoint = body?.authorization_endpoint;
  const tokenEndpoint = body?.token_endpoint;
  if (res.status !== 200 || typeof tokenEndpoint !== 'string') {
    throw oauthError(
      'OAUTH_DISCOVERY_FAILED',
      `${host} does not offer OAuth sign-in (HTTP ${res.status} from /oidc/.well-known/oauth-authorization-server). Check the workspace URL, or ${opts.otherwise}.`,
      opts.actions,
      { status: res.status, kind: 'config' },
    );
  }
  return { authorizationEndpoint: typeof authorizationEndpoint === 'string' ? authorizationEndpoint : '', tokenEndpoint };
}

/** `expires_in` as a number of seconds; some servers send it as a string ("3600"). */
export function expiresInSeconds(value: unknown, fallback = 3600): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

export interface TokenRequest {
  tokenEndpoint: string;
  form: Record<string, string>;
  /** Client credentials sent in HTTP Basic (M2M); public clients put client_id in the form. */
  basic?: { clientId: string; clientSecret: string };
  http?: DatabricksHttpOptions;
  signal?: AbortSignal;
  /** What is being done, for messages ("Renewing the Databricks sign-in"). */
  what: string;
  actions: ErrorAction[];
  /** The error for a refusal, from the OAuth error code and description. */
  refused: (code: string, description: string, status: number) => DatabricksError;
  /** Kept when the answer carries no new refresh token. */
  previousRefresh?: string;
}

/** One POST to the token endpoint; the tokens it returns are registered with the redactor at once. */
export async function requestTokens(req: TokenRequest): Promise<IssuedTokens> {
  const obtainedAt = Date.now();
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (req.basic) {
    registerSecret(req.basic.clientSecret);
    // RFC 6749 2.3.1: each part form-encoded, then Basic.
    const pair = `${encodeURIComponent(req.basic.clientId)}:${encodeURIComponent(req.basic.clientSecret)}`;
    const encoded = Buffer.from(pair).toString('base64');
    registerSecret(encoded);
    headers.Authorization = `Basic ${encoded}`;
  }
  let res;
  try {
    res = await createHttp(req.http).post(req.tokenEndpoint, new URLSearchParams(req.form).toString(), {
      headers,
      signal: req.signal,
      timeout: 30_000,
      responseType: 'text',
    });
  } catch (err) {
    throw networkProblem(err, req.what, req.actions, req.signal);
  }
  const body = parseJson(bodyText(res.data)) ?? {};
  if (res.status !== 200 || typeof body.access_token !== 'string') {
    const code = typeof body.error === 'string' ? body.error : `HTTP_${res.status}`;
    const desc = typeof body.error_description === 'string' ? body.error_description : `HTTP ${res.status}`;
    throw req.refused(code, desc, res.status);
  }
  const accessToken = body.access_token;
  const refreshToken = typeof body.refresh_token === 'string' ? body.refresh_token : req.previousRefresh;
  registerSecret(accessToken);
  registerSecret(refreshToken);
  return {
    accessToken,
    refreshToken,
    tokenType: typeof body.token_type === 'string' ? body.token_type : 'Bearer',
    expiresAt: obtainedAt + expiresInSeconds(body.expires_in) * 1000,
    obtainedAt,
    scope: typeof body.scope === 'string' ? body.scope : undefined,
  };
}

/** Whether a token issued at `obtainedAt` and expiring at `expiresAt` should be renewed now. */
export function dueForRenewal(t: { obtainedAt: number; expiresAt: number }, marginMs: number, now = Date.now()): boolean {
  const lifetime = Math.max(0, t.expiresAt - t.obtainedAt);
  return now >= t.expiresAt - Math.min(marginMs, lifetime / 4);
}
