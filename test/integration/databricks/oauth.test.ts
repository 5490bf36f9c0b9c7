// OAuth U2M sign-in over real HTTP against the Databricks stand-in. The "browser" is an HTTP
// client that opens the authorize URL, follows its 302 to the loopback callback and reads the
// page. Covers: full sign-in then a real API call, wrong state, access_denied, cancel, refresh
// (proactive and after a refused token) with the new tokens persisted, a databricks-cli profile,
// the stand-in's PKCE and code checks, and that no token reaches the log.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CancelledError } from '../../../src/core/errors';
import { memoryLogger } from '../../../src/core/logger';
import { DatabricksClient } from '../../../src/databricks/client';
import { ConnectionManager, oauthTokenKey } from '../../../src/databricks/connection';
import { DatabricksError } from '../../../src/databricks/errors';
import { createPkce, OAuthTokenSet } from '../../../src/databricks/oauth';
import { memoryStores } from './memoryStores';
import { DatabricksEndpoint, databricksStandIn, scratchDir } from '../standIns';
import { fillSignInForm } from '../databricks-standin/signInForm';

interface Visit {
  authorizeUrl: string;
  callback?: URL;
  status?: number;
  page?: string;
}

/** A browser that signs in on the authorize page and follows its redirect to the callback; `tamper` may rewrite the callback URL. */
function browser(password: () => string, tamper?: (callback: URL) => void): { open: (url: string) => Promise<void>; visits: Visit[] } {
  const visits: Visit[] = [];
  return {
    visits,
    open: async (url) => {
      const v: Visit = { authorizeUrl: url };
      visits.push(v);
      const r = await fillSignInForm(url, password());
      assert.equal(r.status, 302, `authorize answered ${r.status}: ${await r.text()}`);
      v.callback = new URL(r.headers.get('location') ?? '');
      tamper?.(v.callback);
      const page = await fetch(v.callback);
      v.status = page.status;
      v.page = await page.text();
    },
  };
}

describe('Databricks OAuth U2M sign-in against the stand-in', function () {
  this.timeout(60_000);
  let db: DatabricksEndpoint;
  let dir: string;
  const logger = memoryLogger();
  const seen = new Set<string>();
  const pw = (): string => db.signInPassword;

  const admin = async (p: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`${db.admin}/${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${db.token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  const tokenRequests = async (): Promise<number> => ((await admin('requests')).counts as Record<string, number>)['POST /oidc/v1/token'] ?? 0;
  const manager = (
    stores = memoryStores(),
    env: Record<string, string> = {},
    profile = '',
  ): { mgr: ConnectionManager; stores: ReturnType<typeof memoryStores> } => ({
    stores,
    mgr: new ConnectionManager(
      stores.secrets,
      stores.state,
      { env, homedir: dir, readFile: async (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined), profileSetting: () => profile },
      logger,
      { jitterMs: 10 },
      { ports: [0], timeoutMs: 20_000 },
    ),
  });
  const stored = (stores: ReturnType<typeof memoryStores>): OAuthTokenSet => {
    const t = JSON.parse(stores.secrets.data.get(oauthTokenKey(db.url)) ?? 'null') as OAuthTokenSet;
    seen.add(t.accessToken);
    if (t.refreshToken) seen.add(t.refreshToken);
    return t;
  };

  before(async () => {
    db = await databricksStandIn();
    dir = scratchDir('oauth');
  });
  afterEach(() => admin('oauth', { accessTokenLifetimeSeconds: 3600, deny: null }));
  after(async () => {
    // No token, refresh token or code reached the log (tokens are registered with the redactor).
    const text = logger.lines.join('\n');
    assert.match(text, /OAuth sign-in to/);
    for (const secret of seen) assert.ok(!text.includes(secret), 'a token or code reached the log');
    fs.rmSync(dir, { recursive: true, force: true });
    await db.stop();
  });

  it('signs in with the browser, stores the token set and lists clusters with it', async () => {
    const { mgr, stores } = manager();
    const b = browser(pw);
    const user = await mgr.signInWithBrowser(`${db.url}/`, b.open);
    assert.equal(user, 'sandbox@ferry.dev');
    assert.equal(b.visits.length, 1);
    const q = new URL(b.visits[0].authorizeUrl).searchParams;
    assert.equal(q.get('client_id'), 'databricks-cli');
    assert.match(q.get('redirect_uri') ?? '', /^http:\/\/localhost:\d+$/);
    assert.equal(b.visits[0].status, 200);
    assert.match(b.visits[0].page ?? '', /close this tab/);
    seen.add(b.visits[0].callback?.searchParams.get('code') ?? '');
    const tokens = stored(stores);
    assert.ok(tokens.accessToken && tokens.refreshToken);
    assert.notEqual(tokens.accessToken, db.token);
    assert.deepEqual(mgr.choice, { kind: 'oauth', host: db.url });
    const conn = await mgr.current();
    assert.equal(conn.label, `OAuth (${db.url})`);
    assert.ok((await conn.clusters.list()).length >= 2);
    const options = await mgr.options();
    assert.ok(options.some((o) => o.kind === 'oauth' && o.name === db.url && o.active && /OAuth/.test(o.detail ?? '')));
    // The callback server is gone once the sign-in finished.
    await assert.rejects(fetch(b.visits[0].callback?.toString() ?? ''));
    await mgr.signOut(db.url);
    assert.equal(stores.secrets.data.has(oauthTokenKey(db.url)), false);
    assert.deepEqual(mgr.oauthHosts(), []);
    assert.deepEqual(mgr.choice, { kind: 'config' });
  });

  it('ignores an answer with the wrong state, keeps waiting and stores nothing', async () => {
    const { mgr, stores } = manager();
    const b = browser(pw, (u) => u.searchParams.set('state', createPkce().state));
    const abort = new AbortController();
    const signingIn = mgr.signInWithBrowser(db.url, b.open, abort.signal);
    signingIn.catch(() => undefined);
    for (let i = 0; i < 100 && b.visits[0]?.status === undefined; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(b.visits[0].status, 400);
    assert.match(b.visits[0].page ?? '', /does not belong to the sign-in/);
    // Still waiting for the real answer: the wrong one used nothing up.
    await assert.rejects(Promise.race([signingIn, new Promise((_, reject) => setTimeout(() => reject(new Error('still waiting')), 300))]), /still waiting/);
    abort.abort();
    await assert.rejects(signingIn, CancelledError);
    assert.equal(stores.secrets.data.size, 0);
    assert.deepEqual(mgr.choice, { kind: 'config' });
  });

  it('explains access_denied from the workspace', async () => {
    await admin('oauth', { deny: 'access_denied' });
    const { mgr, stores } = manager();
    const b = browser(pw);
    await assert.rejects(
      mgr.signInWithBrowser(db.url, b.open),
      (e: unknown) =>
        e instanceof DatabricksError && e.errorCode === 'access_denied' && /refused the sign-in \(access_denied: the request was declined/.test(e.message),
    );
    assert.equal(b.visits[0].status, 400);
    assert.match(b.visits[0].page ?? '', /sign-in failed/);
    assert.equal(stores.secrets.data.size, 0);
  });

  it('cancels while waiting for the browser and closes the callback server', async () => {
    const { mgr } = manager();
    const abort = new AbortController();
    let authorize = '';
    const opened = new Promise<void>((resolve) => {
      void mgr
        .signInWithBrowser(
          db.url,
          async (url) => {
            authorize = url;
            resolve();
          },
          abort.signal,
        )
        .then(
          () => assert.fail('the sign-in should have been cancelled'),
          (e: unknown) => assert.ok(e instanceof CancelledError, String(e)),
        )
        .then(() => (done = true));
    });
    let done = false;
    await opened;
    const redirect = new URL(authorize).searchParams.get('redirect_uri') ?? '';
    assert.match(redirect, /^http:\/\/localhost:\d+$/);
    abort.abort();
    for (let i = 0; i < 50 && !done; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(done, 'the sign-in did not end after cancel');
    const port = new URL(redirect).port;
    await assert.rejects(fetch(`http://127.0.0.1:${port}/?code=x&state=y`));
  });

  it('renews an expired access token with the refresh token and persists the new set', async () => {
    await admin('oauth', { accessTokenLifetimeSeconds: 2 });
    const { mgr, stores } = manager();
    await mgr.signInWithBrowser(db.url, browser(pw).open);
    const first = stored(stores);
    assert.ok(first.expiresAt - first.obtainedAt <= 2000);
    const conn = await mgr.current();
    const before = await tokenRequests();
    await conn.clusters.list();
    assert.equal(await tokenRequests(), before, 'a fresh token needs no refresh');
    await new Promise((r) => setTimeout(r, 2100));
    // The old token is now refused by the workspace...
    const stale = new DatabricksClient({ host: db.url, token: first.accessToken, retry: { maxAttempts: 1 } });
    await assert.rejects(stale.request('GET', '/api/2.1/clusters/list'), (e: unknown) => e instanceof DatabricksError && e.kind === 'auth' && e.status === 403);
    // ...and the connection renews it before the call.
    assert.ok((await conn.clusters.list()).length >= 2);
    assert.equal(await tokenRequests(), before + 1);
    const second = stored(stores);
    assert.notEqual(second.accessToken, first.accessToken);
    assert.notEqual(second.refreshToken, first.refreshToken, 'the refresh token is rotated');
    assert.ok(second.expiresAt > first.expiresAt);
  });

  it('renews once when the workspace refuses a token it thought valid', async () => {
    await admin('oauth', { accessTokenLifetimeSeconds: 1 });
    const { mgr, stores } = manager();
    await mgr.signInWithBrowser(db.url, browser(pw).open);
    // Pretend the stored token lives an hour (clock skew, early revocation): only a 403 tells.
    const t = stored(stores);
    stores.secrets.data.set(oauthTokenKey(db.url), JSON.stringify({ ...t, obtainedAt: Date.now(), expiresAt: Date.now() + 3600_000 }));
    mgr.invalidate();
    await new Promise((r) => setTimeout(r, 1100));
    const before = await tokenRequests();
    assert.ok((await (await mgr.current()).clusters.list()).length >= 2);
    assert.equal(await tokenRequests(), before + 1);
    assert.notEqual(stored(stores).accessToken, t.accessToken);
  });

  it('says to sign in with the browser again when even a renewed token is refused', async () => {
    const { mgr, stores } = manager();
    await mgr.signInWithBrowser(db.url, browser(pw).open);
    await admin('oauth', { accessTokenLifetimeSeconds: 0 });
    const t = stored(stores);
    await new Promise((r) => setTimeout(r, 10));
    // The stored token is valid for an hour as far as Ferry knows; the workspace now issues dead ones.
    stores.secrets.data.set(
      oauthTokenKey(db.url),
      JSON.stringify({ ...t, accessToken: `${t.accessToken}x`, obtainedAt: Date.now(), expiresAt: Date.now() + 3600_000 }),
    );
    mgr.invalidate();
    await assert.rejects(
      (await mgr.current()).clusters.list(),
      (e: unknown) =>
        e instanceof DatabricksError &&
        e.kind === 'auth' &&
        /refused the OAuth sign-in even after renewing it/.test(e.message) &&
        !/personal access token/.test(e.message) &&
        e.actions[0].command === 'ferry.databricks.signInWithBrowser',
    );
  });

  it('tells a revoked refresh token apart and points to signing in again', async () => {
    await admin('oauth', { accessTokenLifetimeSeconds: 1 });
    const { mgr, stores } = manager();
    await mgr.signInWithBrowser(db.url, browser(pw).open);
    const t = stored(stores);
    stores.secrets.data.set(oauthTokenKey(db.url), JSON.stringify({ ...t, refreshToken: 'dsrt-revoked-refresh-token' }));
    mgr.invalidate();
    await new Promise((r) => setTimeout(r, 1100));
    await assert.rejects(
      (await mgr.current()).clusters.list(),
      (e: unknown) =>
        e instanceof DatabricksError && e.errorCode === 'invalid_grant' && e.actions.some((a) => a.command === 'ferry.databricks.signInWithBrowser'),
    );
  });

  it('uses the browser sign-in for a databricks-cli profile of the same host when there is no CLI', async () => {
    const file = path.join(dir, 'databrickscfg');
    fs.writeFileSync(file, `[cli]\nhost = ${db.url}/\nauth_type = databricks-cli\n`);
    // A PATH without a databricks CLI on it.
    const { mgr } = manager(memoryStores(), { DATABRICKS_CONFIG_FILE: file, PATH: dir }, 'cli');
    await assert.rejects(
      (await mgr.current()).clusters.list(),
      (e: unknown) =>
        e instanceof DatabricksError &&
        e.errorCode === 'CLI_NOT_FOUND' &&
        /browser sign-in/.test(e.message) &&
        e.actions.some((a) => a.command === 'ferry.databricks.signInWithBrowser'),
    );
    await mgr.signInWithBrowser(db.url, browser(pw).open);
    assert.deepEqual(mgr.choice, { kind: 'config' }, 'the profile stays active');
    const conn = await mgr.current();
    assert.equal(conn.profile, 'cli');
    assert.ok((await conn.clusters.list()).length >= 2);
  });

  describe('stand-in OIDC endpoints (hostile input)', () => {
    const authorize = async (params: Record<string, string>): Promise<Response> =>
      fetch(`${db.url}/oidc/v1/authorize?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });
    const token = async (form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> => {
      const r = await fetch(`${db.url}/oidc/v1/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    const good = (pkce = createPkce(), redirect = 'http://localhost:8020'): Record<string, string> => ({
      client_id: 'databricks-cli',
      redirect_uri: redirect,
      response_type: 'code',
      scope: 'offline_access all-apis',
      state: pkce.state,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    });

    it('refuses a wrong client or a non-loopback redirect without redirecting', async () => {
      const r1 = await authorize({ ...good(), client_id: 'evil' });
      assert.equal(r1.status, 400);
      assert.equal(((await r1.json()) as { error: string }).error, 'invalid_client');
      const r2 = await authorize(good(createPkce(), 'https://attacker.example/cb'));
      assert.equal(r2.status, 400);
      assert.equal(r2.headers.get('location'), null);
      const r3 = await authorize({ ...good(), code_challenge_method: 'plain' });
      assert.equal(r3.status, 302);
      assert.equal(new URL(r3.headers.get('location') ?? '').searchParams.get('error'), 'invalid_request');
    });

    it('checks the PKCE verifier, the redirect_uri, and burns codes after one use', async () => {
      const pkce = createPkce();
      const codeOf = async (): Promise<string> =>
        new URL(
          (await fillSignInForm(`${db.url}/oidc/v1/authorize?${new URLSearchParams(good(pkce)).toString()}`, db.signInPassword)).headers.get('location') ?? '',
        ).searchParams.get('code') ?? '';
      const wrong = await token({
        grant_type: 'authorization_code',
        client_id: 'databricks-cli',
        code: await codeOf(),
        redirect_uri: 'http://localhost:8020',
        code_verifier: createPkce().verifier,
      });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error, 'invalid_grant');
      assert.match(String(wrong.body.error_description), /PKCE/);
      const badRedirect = await token({
        grant_type: 'authorization_code',
        client_id: 'databricks-cli',
        code: await codeOf(),
        redirect_uri: 'http://localhost:8021',
        code_verifier: pkce.verifier,
      });
      assert.equal(badRedirect.body.error, 'invalid_grant');
      const code = await codeOf();
      const form = { grant_type: 'authorization_code', client_id: 'databricks-cli', code, redirect_uri: 'http://localhost:8020', code_verifier: pkce.verifier };
      const ok = await token(form);
      assert.equal(ok.status, 200);
      assert.equal(ok.body.token_type, 'Bearer');
      seen.add(String(ok.body.access_token));
      const again = await token(form);
      assert.equal(again.status, 400);
      assert.equal(again.body.error, 'invalid_grant');
      const unknownGrant = await token({ grant_type: 'password', client_id: 'databricks-cli' });
      assert.equal(unknownGrant.body.error, 'unsupported_grant_type');
      const badRefresh = await token({ grant_type: 'refresh_token', client_id: 'databricks-cli', refresh_token: 'nope' });
      assert.equal(badRefresh.body.error, 'invalid_grant');
    });

    it('explains a host that offers no OAuth', async () => {
      const { mgr } = manager();
      const plain = http.createServer((_req, res) => {
        res.writeHead(404, { 'Content-Type': 'text/html' });
        res.end('<html><title>Not Found</title></html>');
      });
      await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
      try {
        const b = browser(pw);
        await assert.rejects(
          mgr.signInWithBrowser(`http://127.0.0.1:${(plain.address() as AddressInfo).port}`, b.open),
          (e: unknown) => e instanceof DatabricksError && e.errorCode === 'OAUTH_DISCOVERY_FAILED' && /does not offer OAuth sign-in \(HTTP 404/.test(e.message),
        );
        assert.equal(b.visits.length, 0, 'no browser is opened');
      } finally {
        plain.close();
      }
      await assert.rejects(mgr.signInWithBrowser('http://127.0.0.1:9', browser(pw).open), (e: unknown) => e instanceof DatabricksError && e.kind === 'network');
    });
  });
});
