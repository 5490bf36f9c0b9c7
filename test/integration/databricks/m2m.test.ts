// OAuth M2M (service principals) over real HTTP against the stand-in: a profile with
// auth_type = oauth-m2m, the DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET environment, a wrong
// secret, a token that expires (expires_in comes as a string, as Databricks' fake server sends it),
// and that neither the secret nor a token reaches the log or a message.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { memoryLogger } from '../../../src/core/logger';
import { ConnectionManager } from '../../../src/databricks/connection';
import { DatabricksError } from '../../../src/databricks/errors';
import { memoryStores } from './memoryStores';
import { DatabricksEndpoint, databricksStandIn, scratchDir } from '../standIns';

const SP = { clientId: '6f1e9a52-sp-ferry-ci', clientSecret: 'dose0123456789abcdef0123456789abcdef' };

describe('Databricks OAuth M2M (service principal) against the stand-in', function () {
  this.timeout(60_000);
  let db: DatabricksEndpoint;
  let dir: string;
  const logger = memoryLogger();

  const admin = async (p: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`${db.admin}/${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${db.token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  const tokenRequests = async (): Promise<number> => ((await admin('requests')).counts as Record<string, number>)['POST /oidc/v1/token'] ?? 0;
  const manager = (env: Record<string, string>, profile = ''): ConnectionManager => {
    const s = memoryStores();
    return new ConnectionManager(
      s.secrets,
      s.state,
      { env, homedir: dir, readFile: async (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined), profileSetting: () => profile },
      logger,
      { jitterMs: 10 },
    );
  };
  const profileFile = (secret = SP.clientSecret): string => {
    const file = path.join(dir, `databrickscfg-${Math.random().toString(36).slice(2)}`);
    fs.writeFileSync(file, `[sp]\nhost = ${db.url}\nclient_id = ${SP.clientId}\nclient_secret = ${secret}\nauth_type = oauth-m2m\n`);
    return file;
  };

  before(async () => {
    db = await databricksStandIn();
    dir = scratchDir('m2m');
    await admin('oauth', { servicePrincipals: [SP] });
  });
  afterEach(() => admin('oauth', { accessTokenLifetimeSeconds: 3600 }));
  after(async () => {
    const text = logger.lines.join('\n');
    assert.match(text, /OAuth M2M: token for service principal/);
    assert.ok(!text.includes(SP.clientSecret), 'the client secret reached the log');
    assert.ok(!/eyJ[\w-]+\.eyJ/.test(text), 'an access token reached the log');
    await admin('oauth', { servicePrincipals: [] });
    fs.rmSync(dir, { recursive: true, force: true });
    await db.stop();
  });

  it('signs in with a profile (auth_type = oauth-m2m) and reuses the token until it expires', async () => {
    const mgr = manager({ DATABRICKS_CONFIG_FILE: profileFile() }, 'sp');
    const conn = await mgr.current();
    assert.equal(conn.label, `profile sp (${db.url})`);
    const before = await tokenRequests();
    assert.ok((await conn.clusters.list()).length >= 2);
    assert.equal((await conn.request<{ userName: string }>('GET', '/api/2.0/preview/scim/v2/Me')).userName, 'sandbox@ferry.dev');
    assert.equal(await tokenRequests(), before + 1, 'one token for both requests');
  });

  it('takes the service principal from DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET', async () => {
    const mgr = manager({ DATABRICKS_HOST: db.url, DATABRICKS_CLIENT_ID: SP.clientId, DATABRICKS_CLIENT_SECRET: SP.clientSecret });
    const conn = await mgr.current();
    assert.equal(conn.label, `environment (${db.url})`);
    assert.ok((await conn.clusters.list()).length >= 2);
    assert.ok((await mgr.options()).some((o) => o.kind === 'env' && /service principal/.test(o.detail ?? '')));
  });

  it('fetches a new token when the last one expires (expires_in arrives as a string)', async () => {
    await admin('oauth', { accessTokenLifetimeSeconds: 2 });
    const conn = await manager({ DATABRICKS_CONFIG_FILE: profileFile() }, 'sp').current();
    const before = await tokenRequests();
    await conn.clusters.list();
    assert.equal(await tokenRequests(), before + 1);
    await new Promise((r) => setTimeout(r, 2100));
    assert.ok((await conn.clusters.list()).length >= 2);
    assert.equal(await tokenRequests(), before + 2, 'a new token after expiry');
  });

  it('a wrong secret gets a clear error that names where the secret came from, and no secret', async () => {
    const wrong = 'dose9999999999999999999999999999wrong';
    const file = profileFile(wrong);
    const conn = await manager({ DATABRICKS_CONFIG_FILE: file }, 'sp').current();
    await assert.rejects(conn.clusters.list(), (e: unknown) => {
      assert.ok(e instanceof DatabricksError, String(e));
      assert.equal(e.errorCode, 'invalid_client');
      assert.match(e.message, /refused the service principal's credentials/);
      assert.match(e.message, /client_id and client_secret in profile "sp"/);
      assert.ok(!e.message.includes(wrong) && !e.message.includes(SP.clientSecret));
      return true;
    });
  });

  it('a profile with auth_type = oauth-m2m but no secret says what is missing', async () => {
    const file = path.join(dir, 'nosecret.cfg');
    fs.writeFileSync(file, `[sp]\nhost = ${db.url}\nclient_id = ${SP.clientId}\nauth_type = oauth-m2m\n`);
    await assert.rejects(
      manager({ DATABRICKS_CONFIG_FILE: file }, 'sp').current(),
      (e: unknown) => e instanceof DatabricksError && /has no client_secret/.test(e.message) && e.kind === 'config',
    );
  });

  it('the stand-in takes the credentials only in HTTP Basic, as the SDKs send them', async () => {
    const form = await fetch(`${db.url}/oidc/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SP.clientId, client_secret: SP.clientSecret, scope: 'all-apis' }).toString(),
    });
    assert.equal(form.status, 401);
    assert.equal(((await form.json()) as { error: string }).error, 'invalid_client');
    const basic = Buffer.from(`${SP.clientId}:${SP.clientSecret}`).toString('base64');
    const ok = await fetch(`${db.url}/oidc/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}` },
      body: 'grant_type=client_credentials&scope=all-apis',
    });
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as { access_token: string; expires_in: unknown; token_type: string };
    assert.equal(body.token_type, 'Bearer');
    assert.equal(typeof body.expires_in, 'string');
    assert.match(body.access_token, /^eyJ/);
  });
});
