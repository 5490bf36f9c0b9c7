// The stand-in's OAuth endpoints, shaped like a workspace's: discovery, an authorize page
// that (there being no real login) redirects straight back to the loopback redirect_uri with a
// code, and a token endpoint for the authorization_code (PKCE S256) and refresh_token grants,
// and for client_credentials (OAuth M2M) for the service principals it was given, with the
// client id and secret in HTTP Basic (services-2026.md section 5).
// Access tokens it issues are accepted by the API alongside the PAT until they expire; an
// expired one gets the same 403 "Invalid access token." as a bad PAT.
// Wire facts: ../shared/reference/databricks-api.md section 6.
import crypto from 'node:crypto';
import type http from 'node:http';
import { readBody } from './http';

export const STAND_IN_OAUTH_CLIENT_ID = 'databricks-cli';

export interface OAuthIssuerOptions {
  /** Lifetime of issued access tokens, in seconds (default 3600). */
  accessTokenLifetimeSeconds?: number;
  /** When set, the authorize page answers with this error (e.g. "access_denied") instead of a code. */
  deny?: string;
  /** Service principals the client_credentials grant accepts (OAuth M2M). */
  servicePrincipals?: ServicePrincipalSeed[];
}

export interface ServicePrincipalSeed {
  clientId: string;
  clientSecret: string;
}

/** RFC 6749 2.3.1: HTTP Basic with each part form-encoded. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const pair = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  if (colon < 0) return undefined;
  const decode = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
  try {
    return { id: decode(pair.slice(0, colon)), secret: decode(pair.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

interface PendingCode {
  challenge: string;
  redirectUri: string;
  scope: string;
  expiresAt: number;
}

type Check = 'valid' | 'expired' | 'unknown';

const isLoopback = (redirect: string): boolean => {
  try {
    const u = new URL(redirect);
    return u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
};

export class OAuthIssuer {
  private readonly codes = new Map<string, PendingCode>();
  private readonly accessTokens = new Map<string, number>();
  private readonly refreshTokens = new Map<string, string>();
  private settings: OAuthIssuerOptions;

  constructor(
    private readonly url: string,
    private readonly initial: OAuthIssuerOptions = {},
  ) {
    this.settings = { ...initial };
  }

  get options(): OAuthIssuerOptions {
    return { ...this.settings };
  }

  /** Changes lifetime and deny (admin endpoint); `deny: null` or '' turns denial off. */
  configure(next: { accessTokenLifetimeSeconds?: number; deny?: string | null; servicePrincipals?: ServicePrincipalSeed[] }): OAuthIssuerOptions {
    if (next.accessTokenLifetimeSeconds !== undefined) this.settings.accessTokenLifetimeSeconds = next.accessTokenLifetimeSeconds;
    if (next.servicePrincipals !== undefined) this.settings.servicePrincipals = next.servicePrincipals;
    if (next.deny !== undefined) this.settings.deny = next.deny || undefined;
    return this.options;
  }

  reset(): void {
    this.settings = { ...this.initial };
  }

  /** Whether a bearer token is one this issuer handed out, and still valid. */
  check(token: string): Check {
    const exp = this.accessTokens.get(token);
    if (exp === undefined) return 'unknown';
    return Date.now() < exp ? 'valid' : 'expired';
  }

  /** Answers /oidc/* requests; false when the path is not one of them. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse, u: URL, pathname: string): Promise<boolean> {
    const method = req.method ?? 'GET';
    if (method === 'GET' && pathname === '/oidc/.well-known/oauth-authorization-server') {
      // The endpoints under the name the client used (the stand-in may be reached through a
      // forwarder on another loopback address); a real workspace names its own host.
      const host = req.headers.host;
      const base = host && /^[\w.:[\]-]+$/.test(host) ? `http://${host}` : this.url;
      json(res, 200, {
        issuer: `${base}/oidc`,
        authorization_endpoint: `${base}/oidc/v1/authorize`,
        token_endpoint: `${base}/oidc/v1/token`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
        scopes_supported: ['all-apis', 'offline_access', 'openid', 'profile', 'email'],
      });
      return true;
    }
    if (method === 'GET' && pathname === '/oidc/v1/authorize') {
      this.authorize(u.searchParams, res);
      return true;
    }
    if (method === 'POST' && pathname === '/oidc/v1/token') {
      const body = (await readBody(req, 64 * 1024)).toString('utf8');
      const ctype = String(req.headers['content-type'] ?? '');
      if (!/application\/x-www-form-urlencoded/i.test(ctype)) {
        json(res, 400, { error: 'invalid_request', error_description: 'The token request must be application/x-www-form-urlencoded' });
        return true;
      }
      const form = new URLSearchParams(body);
      if (form.get('grant_type') === 'client_credentials') this.clientCredentials(form, req.headers.authorization, res);
      else this.token(form, res);
      return true;
    }
    if (pathname.startsWith('/oidc/')) {
      json(res, 404, { error: 'not_found', error_description: `No OIDC endpoint ${method} ${pathname}` });
      return true;
    }
    return false;
  }

  private authorize(q: URLSearchParams, res: http.ServerResponse): void {
    const clientId = q.get('client_id');
    const redirectUri = q.get('redirect_uri') ?? '';
    // Problems with the client or the redirect are shown, never redirected (RFC 6749 4.1.2.1).
    if (clientId !== STAND_IN_OAUTH_CLIENT_ID) return json(res, 400, { error: 'invalid_client', error_description: `Unknown client_id "${clientId ?? ''}"` });
    if (!isLoopback(redirectUri)) return json(res, 400, { error: 'invalid_request', error_description: `redirect_uri "${redirectUri}" is not a loopback http URL` });
    const state = q.get('state') ?? '';
    const back = (params: Record<string, string>): void => {
      const target = new URL(redirectUri);
      for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
      if (state) target.searchParams.set('state', state);
      res.writeHead(302, { Location: target.toString(), 'Content-Length': 0 });
      res.end();
    };
    if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type', error_description: 'Only response_type=code is supported' });
    const challenge = q.get('code_challenge') ?? '';
    if (q.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return back({ error: 'invalid_request', error_description: 'PKCE with code_challenge_method=S256 is required' });
    if (this.settings.deny) return back({ error: this.settings.deny, error_description: 'The user denied the sign-in request' });
    const code = `dcode${crypto.randomBytes(24).toString('base64url')}`;
    this.codes.set(code, { challenge, redirectUri, scope: q.get('scope') ?? 'all-apis', expiresAt: Date.now() + 5 * 60_000 });
    back({ code });
  }

  private issue(res: http.ServerResponse, scope: string): void {
    const lifetime = this.settings.accessTokenLifetimeSeconds ?? 3600;
    const accessToken = `dsat${crypto.randomBytes(32).toString('base64url')}`;
    this.accessTokens.set(accessToken, Date.now() + lifetime * 1000);
    const body: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime, scope };
    if (scope.split(/\s+/).includes('offline_access')) {
      const refreshToken = `dsrt${crypto.randomBytes(32).toString('base64url')}`;
      this.refreshTokens.set(refreshToken, scope);
      body.refresh_token = refreshToken;
    }
    json(res, 200, body);
  }

  /**
   * OAuth M2M. Client authentication in HTTP Basic only: whether the real server also takes
   * client_id/client_secret in the form is [unconfirmed], so the stand-in is the stricter of the two.
   * The access token is JWT-shaped, as a workspace's M2M tokens are. `expires_in` is sent as a
   * string, as Databricks' own fake server sends it [observed CLI fake_oidc.go]; the real server
   * presumably sends a number [unconfirmed], and the client takes both.
   */
  private clientCredentials(form: URLSearchParams, authorization: string | undefined, res: http.ServerResponse): void {
    const creds = basicCredentials(authorization);
    const sp = creds && (this.settings.servicePrincipals ?? []).find((p) => p.clientId === creds.id);
    const secretOk = !!sp && !!creds && sp.clientSecret.length === creds.secret.length && crypto.timingSafeEqual(Buffer.from(sp.clientSecret), Buffer.from(creds.secret));
    if (!creds || !secretOk) {
      res.setHeader('WWW-Authenticate', 'Basic realm="oidc"');
      return json(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    const scope = form.get('scope') || 'all-apis';
    if (scope.split(/\s+/).some((s) => s !== 'all-apis' && s !== 'sql')) return json(res, 400, { error: 'invalid_scope', error_description: `Scope "${scope}" is not allowed for this client` });
    const lifetime = this.settings.accessTokenLifetimeSeconds ?? 3600;
    const now = Math.floor(Date.now() / 1000);
    const accessToken = `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'stand-in' })}.${b64url({ sub: creds.id, iss: `${this.url}/oidc`, aud: this.url, scope, iat: now, exp: now + lifetime })}.${crypto.randomBytes(32).toString('base64url')}`;
    this.accessTokens.set(accessToken, Date.now() + lifetime * 1000);
    json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: String(lifetime), scope });
  }

  private token(form: URLSearchParams, res: http.ServerResponse): void {
    if (form.get('client_id') !== STAND_IN_OAUTH_CLIENT_ID) return json(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const pending = this.codes.get(code);
      // A code is single-use: any attempt burns it.
      this.codes.delete(code);
      if (!pending || pending.expiresAt < Date.now()) return json(res, 400, { error: 'invalid_grant', error_description: 'The authorization code is invalid, expired or already used' });
      if (form.get('redirect_uri') !== pending.redirectUri) return json(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri does not match the authorization request' });
      const verifier = form.get('code_verifier') ?? '';
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || crypto.createHash('sha256').update(verifier).digest('base64url') !== pending.challenge) {
        return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed: code_verifier does not match code_challenge' });
      }
      return this.issue(res, pending.scope);
    }
    if (grant === 'refresh_token') {
      const refresh = form.get('refresh_token') ?? '';
      const scope = this.refreshTokens.get(refresh);
      if (scope === undefined) return json(res, 400, { error: 'invalid_grant', error_description: 'The refresh token is invalid or revoked' });
      this.refreshTokens.delete(refresh); // rotated, as the workspace does
      return this.issue(res, scope);
    }
    json(res, 400, { error: 'unsupported_grant_type', error_description: `grant_type "${grant ?? ''}" is not supported` });
  }
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}
