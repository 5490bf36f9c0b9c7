// The stand-in's OAuth endpoints, shaped like a workspace's: discovery, an authorize page, and a
// token endpoint for the authorization_code (PKCE S256) and refresh_token grants, and for
// client_credentials (OAuth M2M) for the service principals it was given, with the client id and
// secret in HTTP Basic (services-2026.md section 5). The authorize
// page is a sandbox sign-in: a consent form that gives a code only for the per-start password the
// stand-in returns and the sandbox launcher prints, so no local process gets a token (and runs
// code on the cluster) without it. The form's hidden fields are bound to the authorize request by
// an HMAC, so a submitted form cannot swap the redirect or the PKCE challenge. Access tokens it
// issues are accepted by the API alongside the PAT until they expire; an expired one gets the same
// 403 "Invalid access token." as a bad PAT. Wire facts: docs/reference/databricks-api.md §6.
import crypto from 'node:crypto';
import type http from 'node:http';
import { bytes, json as kernelJson, parseForm, readBody, reply, Reply } from '../kernel';

export const STAND_IN_OAUTH_CLIENT_ID = 'databricks-cli';

export interface OAuthIssuerOptions {
  /** Lifetime of issued access tokens, in seconds (default 3600). */
  accessTokenLifetimeSeconds?: number;
  /** When set, the authorize page answers with this error (e.g. "access_denied") instead of a code. */
  deny?: string;
  /** The sign-in page's password (default: a fresh random one per start). */
  signInPassword?: string;
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
  const decode = (v: string): string => decodeURIComponent(v.replace(/\+/g, ' '));
  try {
    return { id: decode(pair.slice(0, colon)), secret: decode(pair.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A password a person can read off a terminal and type: four groups of four letters and digits. */
export function newSignInPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const raw = crypto.randomBytes(16);
  return Array.from({ length: 4 }, (_, g) => Array.from({ length: 4 }, (_, i) => alphabet[raw[g * 4 + i] % alphabet.length]).join('')).join('-');
}

const AUTHORIZE_PARAMS = ['client_id', 'redirect_uri', 'response_type', 'state', 'scope', 'code_challenge', 'code_challenge_method'];

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
  /** The sign-in page's password for this start. */
  readonly password: string;
  private readonly formKey = crypto.randomBytes(32);

  constructor(
    private readonly url: string,
    private readonly initial: OAuthIssuerOptions = {},
  ) {
    this.settings = { accessTokenLifetimeSeconds: initial.accessTokenLifetimeSeconds, deny: initial.deny, servicePrincipals: initial.servicePrincipals };
    this.password = initial.signInPassword ?? newSignInPassword();
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
    this.settings = {
      accessTokenLifetimeSeconds: this.initial.accessTokenLifetimeSeconds,
      deny: this.initial.deny,
      servicePrincipals: this.initial.servicePrincipals,
    };
  }

  /** Whether a bearer token is one this issuer handed out, and still valid. */
  check(token: string): Check {
    const exp = this.accessTokens.get(token);
    if (exp === undefined) return 'unknown';
    return Date.now() < exp ? 'valid' : 'expired';
  }

  /** Answers /oidc/* requests; undefined when the path is not one of them. */
  async handle(req: http.IncomingMessage, u: URL, pathname: string): Promise<Reply | undefined> {
    const method = req.method ?? 'GET';
    if (method === 'GET' && pathname === '/oidc/.well-known/oauth-authorization-server') {
      // The endpoints under the name the client used (the stand-in may be reached through a
      // forwarder on another loopback address); a real workspace names its own host.
      const host = req.headers.host;
      const base = host && /^[\w.:[\]-]+$/.test(host) ? `http://${host}` : this.url;
      return json(200, {
        issuer: `${base}/oidc`,
        authorization_endpoint: `${base}/oidc/v1/authorize`,
        token_endpoint: `${base}/oidc/v1/token`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
        scopes_supported: ['all-apis', 'offline_access', 'openid', 'profile', 'email'],
      });
    }
    if (method === 'GET' && pathname === '/oidc/v1/authorize') return this.authorize(u.searchParams, undefined);
    if (method === 'POST' && pathname === '/oidc/v1/authorize') {
      const form = parseForm(await readBody(req, 64 * 1024));
      return this.authorize(form, form);
    }
    if (method === 'POST' && pathname === '/oidc/v1/token') {
      const body = (await readBody(req, 64 * 1024)).toString('utf8');
      const ctype = String(req.headers['content-type'] ?? '');
      if (!/application\/x-www-form-urlencoded/i.test(ctype))
        return json(400, { error: 'invalid_request', error_description: 'The token request must be application/x-www-form-urlencoded' });
      const form = new URLSearchParams(body);
      if (form.get('grant_type') === 'client_credentials') return this.clientCredentials(form, req.headers.authorization);
      return this.token(form);
    }
    if (pathname.startsWith('/oidc/')) return json(404, { error: 'not_found', error_description: `No OIDC endpoint ${method} ${pathname}` });
    return undefined;
  }

  private bind(q: URLSearchParams): string {
    const h = crypto.createHmac('sha256', this.formKey);
    for (const k of AUTHORIZE_PARAMS) h.update(`${k}=${q.get(k) ?? ''}\n`);
    return h.digest('base64url');
  }

  /** GET shows the sign-in form; POST (`submitted`) checks the form and the password, then answers as the workspace does. */
  private authorize(q: URLSearchParams, submitted: URLSearchParams | undefined): Reply {
    const clientId = q.get('client_id');
    const redirectUri = q.get('redirect_uri') ?? '';
    // Problems with the client or the redirect are shown, never redirected (RFC 6749 4.1.2.1).
    if (clientId !== STAND_IN_OAUTH_CLIENT_ID) return json(400, { error: 'invalid_client', error_description: `Unknown client_id "${clientId ?? ''}"` });
    if (!isLoopback(redirectUri)) return json(400, { error: 'invalid_request', error_description: `redirect_uri "${redirectUri}" is not a loopback http URL` });
    const state = q.get('state') ?? '';
    const back = (params: Record<string, string>): Reply => {
      const target = new URL(redirectUri);
      for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
      if (state) target.searchParams.set('state', state);
      return reply(302, { Location: target.toString(), 'Content-Length': '0', 'Cache-Control': 'no-store' });
    };
    if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type', error_description: 'Only response_type=code is supported' });
    const challenge = q.get('code_challenge') ?? '';
    if (q.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge))
      return back({ error: 'invalid_request', error_description: 'PKCE with code_challenge_method=S256 is required' });
    if (!submitted) return this.signInPage(q, 200);
    const binding = Buffer.from(submitted.get('request') ?? '');
    const want = Buffer.from(this.bind(q));
    if (binding.length !== want.length || !crypto.timingSafeEqual(binding, want))
      return json(400, {
        error: 'invalid_request',
        error_description: 'The sign-in form does not belong to this authorization request; start the sign-in again.',
      });
    const given = Buffer.from(submitted.get('password') ?? '');
    const password = Buffer.from(this.password);
    if (given.length !== password.length || !crypto.timingSafeEqual(given, password))
      return this.signInPage(q, 401, 'That is not the sandbox password. It is printed by `npm run sandbox` when the stand-ins start.');
    if (this.settings.deny) return back({ error: this.settings.deny, error_description: 'The user denied the sign-in request' });
    const code = `dcode${crypto.randomBytes(24).toString('base64url')}`;
    this.codes.set(code, { challenge, redirectUri, scope: q.get('scope') ?? 'all-apis', expiresAt: Date.now() + 5 * 60_000 });
    return back({ code });
  }

  private signInPage(q: URLSearchParams, status: number, problem?: string): Reply {
    const hidden = AUTHORIZE_PARAMS.filter((k) => q.has(k))
      .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(q.get(k) ?? '')}">`)
      .join('\n      ');
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to the Ferry sandbox</title>
<style>body{font:15px system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}label,input,button{display:block;width:100%;box-sizing:border-box}input[type=password]{margin:.4rem 0 1rem;padding:.5rem;font:inherit}button{padding:.6rem;font:inherit;cursor:pointer}.problem{color:#b00020}</style>
</head><body>
  <h1>Sign in to the Ferry sandbox</h1>
  <p>An application asks to act on this Databricks stand-in as <b>${escapeHtml(q.get('client_id') ?? '')}</b> (scopes: ${escapeHtml(q.get('scope') ?? 'all-apis')}). It will get a token that can run code on the sandbox cluster.</p>
  ${problem ? `<p class="problem" role="alert">${escapeHtml(problem)}</p>` : ''}
  <form method="post" action="/oidc/v1/authorize">
      ${hidden}
      <input type="hidden" name="request" value="${this.bind(q)}">
      <label for="password">Sandbox password (printed by <code>npm run sandbox</code>)</label>
      <input type="password" id="password" name="password" autocomplete="current-password" autofocus required>
      <button type="submit" id="approve">Sign in and allow</button>
  </form>
</body></html>`;
    return bytes(
      status,
      {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Frame-Options': 'DENY',
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        'Referrer-Policy': 'no-referrer',
      },
      html,
    );
  }

  private issue(scope: string): Reply {
    const lifetime = this.settings.accessTokenLifetimeSeconds ?? 3600;
    const accessToken = `dsat${crypto.randomBytes(32).toString('base64url')}`;
    this.accessTokens.set(accessToken, Date.now() + lifetime * 1000);
    const body: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime, scope };
    if (scope.split(/\s+/).includes('offline_access')) {
      const refreshToken = `dsrt${crypto.randomBytes(32).toString('base64url')}`;
      this.refreshTokens.set(refreshToken, scope);
      body.refresh_token = refreshToken;
    }
    return json(200, body);
  }

  /**
   * OAuth M2M. Client authentication in HTTP Basic only: whether the real server also takes
   * client_id/client_secret in the form is [unconfirmed], so the stand-in is the stricter of the two.
   * The access token is JWT-shaped, as a workspace's M2M tokens are. `expires_in` is sent as a
   * string, as Databricks' own fake server sends it [observed CLI fake_oidc.go]; the real server
   * presumably sends a number [unconfirmed], and the client takes both.
   */
  private clientCredentials(form: URLSearchParams, authorization: string | undefined): Reply {
    const creds = basicCredentials(authorization);
    const sp = creds && (this.settings.servicePrincipals ?? []).find((p) => p.clientId === creds.id);
    const secretOk =
      !!sp && !!creds && sp.clientSecret.length === creds.secret.length && crypto.timingSafeEqual(Buffer.from(sp.clientSecret), Buffer.from(creds.secret));
    if (!creds || !secretOk)
      return kernelJson(
        401,
        { error: 'invalid_client', error_description: 'Client authentication failed' },
        { 'Cache-Control': 'no-store', 'WWW-Authenticate': 'Basic realm="oidc"' },
      );
    const scope = form.get('scope') || 'all-apis';
    if (scope.split(/\s+/).some((x) => x !== 'all-apis' && x !== 'sql'))
      return json(400, { error: 'invalid_scope', error_description: `Scope "${scope}" is not allowed for this client` });
    const lifetime = this.settings.accessTokenLifetimeSeconds ?? 3600;
    const now = Math.floor(Date.now() / 1000);
    const accessToken = `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'stand-in' })}.${b64url({ sub: creds.id, iss: `${this.url}/oidc`, aud: this.url, scope, iat: now, exp: now + lifetime })}.${crypto.randomBytes(32).toString('base64url')}`;
    this.accessTokens.set(accessToken, Date.now() + lifetime * 1000);
    return json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: String(lifetime), scope });
  }

  private token(form: URLSearchParams): Reply {
    if (form.get('client_id') !== STAND_IN_OAUTH_CLIENT_ID) return json(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const pending = this.codes.get(code);
      // A code is single-use: any attempt burns it.
      this.codes.delete(code);
      if (!pending || pending.expiresAt < Date.now())
        return json(400, { error: 'invalid_grant', error_description: 'The authorization code is invalid, expired or already used' });
      if (form.get('redirect_uri') !== pending.redirectUri)
        return json(400, { error: 'invalid_grant', error_description: 'redirect_uri does not match the authorization request' });
      const verifier = form.get('code_verifier') ?? '';
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || crypto.createHash('sha256').update(verifier).digest('base64url') !== pending.challenge) {
        return json(400, { error: 'invalid_grant', error_description: 'PKCE verification failed: code_verifier does not match code_challenge' });
      }
      return this.issue(pending.scope);
    }
    if (grant === 'refresh_token') {
      const refresh = form.get('refresh_token') ?? '';
      const scope = this.refreshTokens.get(refresh);
      if (scope === undefined) return json(400, { error: 'invalid_grant', error_description: 'The refresh token is invalid or revoked' });
      this.refreshTokens.delete(refresh); // rotated, as the workspace does
      return this.issue(scope);
    }
    return json(400, { error: 'unsupported_grant_type', error_description: `grant_type "${grant ?? ''}" is not supported` });
  }
}

function json(status: number, body: unknown): Reply {
  return kernelJson(status, body, { 'Cache-Control': 'no-store' });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
