// The stand-in's /oidc/v1/authorize needs a sandbox sign-in: it answers with a consent form, and
// only the per-start password (printed by the launcher, returned by startDatabricksStandIn) gets
// a code. Before this, any local process obtained a token with no login and ran Python (issue 14,
// hole 10). Real HTTP; the form is read and submitted as a browser would.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { databricksStandIn, DatabricksEndpoint } from '../standIns';
import { fillSignInForm, readSignInForm } from './signInForm';

describe('Databricks stand-in: the OAuth authorize page needs a sandbox sign-in', function () {
  this.timeout(30_000);
  let db: DatabricksEndpoint;
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  const redirect = 'http://localhost:8020';
  const authorizeUrl = (): string =>
    `${db.url}/oidc/v1/authorize?${new URLSearchParams({ client_id: 'databricks-cli', redirect_uri: redirect, response_type: 'code', state: 'st4te', scope: 'all-apis offline_access', code_challenge: challenge, code_challenge_method: 'S256' })}`;
  const exchange = async (code: string): Promise<Response> =>
    fetch(`${db.url}/oidc/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'databricks-cli', code, redirect_uri: redirect, code_verifier: verifier }),
    });

  before(async () => {
    db = await databricksStandIn();
    assert.ok(db.signInPassword, 'the stand-in names no sign-in password');
  });
  after(async () => db?.stop());

  it('answers the authorize URL with a sign-in form, not with a code', async () => {
    const r = await fetch(authorizeUrl(), { redirect: 'manual' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('location'), null, 'authorize redirected without a sign-in');
    assert.match(r.headers.get('content-type') ?? '', /text\/html/);
    const html = await r.text();
    assert.doesNotMatch(html, /dcode/);
    const form = readSignInForm(html);
    assert.equal(form.method, 'post');
    assert.ok('password' in form.fields, `no password field: ${JSON.stringify(form.fields)}`);
    // The page cannot be framed by another site (clickjacking) nor cached.
    assert.match(r.headers.get('x-frame-options') ?? '', /deny/i);
    assert.match(r.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  });

  it('refuses a wrong password with the form again, and no code', async () => {
    for (const password of ['', 'wrong', `${db.signInPassword}x`]) {
      const r = await fillSignInForm(authorizeUrl(), password);
      assert.equal(r.status, 401, `password ${JSON.stringify(password)}: ${r.status}`);
      assert.equal(r.headers.get('location'), null);
      assert.match(await r.text(), /password/i);
    }
  });

  it('refuses a submitted form whose request was tampered with', async () => {
    // The form's hidden fields are bound to the authorize request: changing the redirect fails.
    const r = await fillSignInForm(authorizeUrl(), db.signInPassword, { redirect_uri: 'http://localhost:9999' });
    assert.equal(r.status, 400);
    assert.equal(r.headers.get('location'), null);
  });

  it('redirects with a code once the password is given; the token works for the API but not for /__admin', async () => {
    const r = await fillSignInForm(authorizeUrl(), db.signInPassword);
    assert.equal(r.status, 302, await r.text());
    const back = new URL(r.headers.get('location') ?? '');
    assert.equal(`${back.protocol}//${back.host}`, redirect);
    assert.equal(back.searchParams.get('state'), 'st4te');
    const code = back.searchParams.get('code') ?? '';
    assert.match(code, /^dcode/);
    const tokens = (await (await exchange(code)).json()) as { access_token: string };
    assert.match(tokens.access_token, /^dsat/);
    const me = await fetch(`${db.url}/api/2.0/preview/scim/v2/Me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(me.status, 200);
    const admin = await fetch(`${db.admin}/requests`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(admin.status, 401, 'an OAuth token opened /__admin');
  });
});
