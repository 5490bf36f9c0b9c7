// OAuth U2M pieces that need no workspace: PKCE values, the callback ports, the authorize URL,
// the loopback callback server (port fallback, wrong state, error answers, cancel, timeout) and
// the token source's "no refresh needed / cannot refresh" paths.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CancelledError } from '../../../src/core/errors';
import { DatabricksError } from '../../../src/databricks/errors';
import {
  authorizeUrl,
  callbackPorts,
  challengeFor,
  createPkce,
  DEFAULT_CALLBACK_PORTS,
  OAuthTokenSource,
  parseTokenSet,
  startCallbackServer,
} from '../../../src/databricks/oauth';

async function occupy(host = '127.0.0.1'): Promise<http.Server> {
  const s = http.createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, host, () => resolve());
  });
  return s;
}

const portOf = (s: http.Server): number => (s.address() as AddressInfo).port;

async function visit(url: string): Promise<{ status: number; text: string }> {
  const r = await fetch(url);
  return { status: r.status, text: await r.text() };
}

describe('Databricks OAuth (unit)', () => {
  describe('PKCE', () => {
    it('makes a 64-byte base64url verifier, its S256 challenge and a 16-byte state', () => {
      const p = createPkce();
      assert.match(p.verifier, /^[A-Za-z0-9_-]{86}$/);
      assert.equal(Buffer.from(p.verifier, 'base64url').length, 64);
      assert.equal(
        p.challenge,
        crypto.createHash('sha256').update(p.verifier, 'ascii').digest('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
      );
      assert.match(p.challenge, /^[A-Za-z0-9_-]{43}$/);
      assert.match(p.state, /^[A-Za-z0-9_-]{22}$/);
      assert.equal(Buffer.from(p.state, 'base64url').length, 16);
      const q = createPkce();
      assert.notEqual(p.verifier, q.verifier);
      assert.notEqual(p.state, q.state);
    });
    it('matches the RFC 7636 appendix B example', () => {
      assert.equal(challengeFor('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    });
  });

  describe('callback ports and authorize URL', () => {
    it('uses 8020…8040, or only DATABRICKS_OAUTH_CALLBACK_PORT when set', () => {
      assert.deepEqual(callbackPorts({}), DEFAULT_CALLBACK_PORTS);
      assert.equal(DEFAULT_CALLBACK_PORTS[0], 8020);
      assert.equal(DEFAULT_CALLBACK_PORTS[DEFAULT_CALLBACK_PORTS.length - 1], 8040);
      assert.equal(DEFAULT_CALLBACK_PORTS.length, 21);
      assert.deepEqual(callbackPorts({ DATABRICKS_OAUTH_CALLBACK_PORT: ' 8555 ' }), [8555]);
      assert.throws(
        () => callbackPorts({ DATABRICKS_OAUTH_CALLBACK_PORT: 'eighty' }),
        (e: unknown) => e instanceof DatabricksError && /not a port number/.test(e.message),
      );
      assert.throws(() => callbackPorts({ DATABRICKS_OAUTH_CALLBACK_PORT: '70000' }), DatabricksError);
    });
    it('builds the authorize URL with client id, PKCE, state and %20-encoded scopes', () => {
      const pkce = createPkce();
      const url = authorizeUrl(
        { authorizationEndpoint: 'https://ws.example/oidc/v1/authorize', tokenEndpoint: 'https://ws.example/oidc/v1/token' },
        pkce,
        'http://localhost:8020',
      );
      assert.ok(url.startsWith('https://ws.example/oidc/v1/authorize?'));
      assert.match(url, /scope=offline_access%20all-apis/);
      const q = new URL(url).searchParams;
      assert.equal(q.get('client_id'), 'databricks-cli');
      assert.equal(q.get('redirect_uri'), 'http://localhost:8020');
      assert.equal(q.get('response_type'), 'code');
      assert.equal(q.get('code_challenge'), pkce.challenge);
      assert.equal(q.get('code_challenge_method'), 'S256');
      assert.equal(q.get('state'), pkce.state);
      assert.equal(q.get('code_verifier'), null);
    });
  });

  describe('callback server', () => {
    it('falls back to the next port when the first is busy', async () => {
      const busy = await occupy();
      try {
        const server = await startCallbackServer([portOf(busy), 0]);
        assert.notEqual(server.port, portOf(busy));
        assert.equal(server.redirectUri, `http://localhost:${server.port}`);
        await server.close();
      } finally {
        busy.close();
      }
    });
    it('skips a port another program holds on ::1 (localhost may resolve there)', async function () {
      let busy: http.Server;
      try {
        busy = await occupy('::1');
      } catch {
        // No IPv6 loopback on this machine: then only 127.0.0.1 is used, which the test above covers.
        const server = await startCallbackServer([0]);
        assert.ok(server.port > 0);
        await server.close();
        return;
      }
      try {
        const server = await startCallbackServer([portOf(busy), 0]);
        assert.notEqual(server.port, portOf(busy));
        const waiting = server.waitForCode('s6');
        assert.equal((await visit(`http://[::1]:${server.port}/?code=v6&state=s6`)).status, 200);
        assert.equal(await waiting, 'v6');
      } finally {
        busy.close();
      }
    });
    it('says which ports were busy and how to pin another', async () => {
      const busy = await occupy();
      try {
        await assert.rejects(
          startCallbackServer([portOf(busy)]),
          (e: unknown) => e instanceof DatabricksError && e.errorCode === 'CALLBACK_PORT_BUSY' && /DATABRICKS_OAUTH_CALLBACK_PORT/.test(e.message),
        );
      } finally {
        busy.close();
      }
    });
    it('returns the code for the right state, answers the browser and closes', async () => {
      const server = await startCallbackServer([0]);
      const waiting = server.waitForCode('s1');
      assert.equal((await visit(`http://127.0.0.1:${server.port}/favicon.ico`)).status, 404);
      const page = await visit(`http://127.0.0.1:${server.port}/?code=abc&state=s1`);
      assert.equal(page.status, 200);
      assert.match(page.text, /close this tab/);
      assert.equal(await waiting, 'abc');
      await assert.rejects(visit(`http://127.0.0.1:${server.port}/?code=abc&state=s1`));
    });
    it('ignores a wrong state and keeps waiting', async () => {
      const server = await startCallbackServer([0]);
      const stop = new AbortController();
      const waiting = server.waitForCode('expected', { signal: stop.signal });
      waiting.catch(() => undefined); // asserted below, after the browser's visit
      const page = await visit(`http://127.0.0.1:${server.port}/?code=abc&state=forged`);
      assert.equal(page.status, 400);
      // A wrong state is not this sign-in's answer: it is ignored and the sign-in keeps waiting.
      await assert.rejects(Promise.race([waiting, new Promise((_, reject) => setTimeout(() => reject(new Error('still waiting')), 200))]), /still waiting/);
      stop.abort();
      await assert.rejects(waiting, CancelledError);
    });
    it('surfaces a known error code in its own words, and shows nothing of the description', async () => {
      const server = await startCallbackServer([0]);
      const waiting = server.waitForCode('s');
      waiting.catch(() => undefined); // asserted below, after the browser's visit
      const page = await visit(`http://127.0.0.1:${server.port}/?error=access_denied&error_description=${encodeURIComponent('<b>No</b> thanks')}&state=s`);
      assert.equal(page.status, 400);
      assert.doesNotMatch(page.text, /No<|thanks/);
      await assert.rejects(
        waiting,
        (e: unknown) =>
          e instanceof DatabricksError &&
          e.errorCode === 'access_denied' &&
          !/personal access token|thanks/.test(e.message) &&
          /refused the sign-in \(access_denied: the request was declined/.test(e.message) &&
          e.actions.some((a) => a.command === 'ferry.databricks.signInWithBrowser'),
      );
    });
    it('honours an AbortSignal and closes the port', async () => {
      const server = await startCallbackServer([0]);
      const abort = new AbortController();
      const waiting = server.waitForCode('s', { signal: abort.signal });
      setTimeout(() => abort.abort(), 50);
      await assert.rejects(waiting, CancelledError);
      await assert.rejects(visit(`http://127.0.0.1:${server.port}/?code=x&state=s`));
    });
    it('gives up after the timeout', async () => {
      const server = await startCallbackServer([0]);
      await assert.rejects(server.waitForCode('s', { timeoutMs: 100 }), (e: unknown) => e instanceof DatabricksError && e.errorCode === 'OAUTH_TIMEOUT');
      await assert.rejects(visit(`http://127.0.0.1:${server.port}/?code=x&state=s`));
    });
  });

  describe('token source', () => {
    const base = { tokenType: 'Bearer', tokenEndpoint: 'http://127.0.0.1:9/oidc/v1/token' };
    it('hands out a valid token without refreshing', async () => {
      const now = Date.now();
      const src = new OAuthTokenSource(
        { ...base, accessToken: 'access-valid-123', refreshToken: 'refresh-123', obtainedAt: now, expiresAt: now + 3600_000 },
        { load: async () => undefined, save: async () => assert.fail('no save expected') },
      );
      assert.equal(await src.token(), 'access-valid-123');
    });
    it('cannot renew without a refresh token and says to sign in again', async () => {
      const now = Date.now();
      const src = new OAuthTokenSource(
        { ...base, accessToken: 'access-old-123', obtainedAt: now - 7200_000, expiresAt: now - 1000 },
        { load: async () => undefined, save: async () => undefined },
      );
      await assert.rejects(
        src.token(),
        (e: unknown) => e instanceof DatabricksError && e.errorCode === 'NO_REFRESH_TOKEN' && /Sign in with the browser again/.test(e.message),
      );
    });
    it('reads back only well-formed stored token sets', () => {
      assert.equal(parseTokenSet(undefined), undefined);
      assert.equal(parseTokenSet('not json'), undefined);
      assert.equal(parseTokenSet('{"accessToken": 5}'), undefined);
      const t = parseTokenSet(JSON.stringify({ ...base, accessToken: 'a-token-1', expiresAt: 5, obtainedAt: 1 }));
      assert.equal(t?.accessToken, 'a-token-1');
    });
  });
});
