// The pieces of the sign-in kinds that need no server: which auth_type is served how (and the
// message for the ones Ferry does not support), the CLI's expiry formats, and expires_in as a
// number or a string.
import assert from 'node:assert/strict';
import { parseCliExpiry } from '../../../src/databricks/cliToken';
import { CredentialStore } from '../../../src/databricks/credentialStore';
import { DatabricksError } from '../../../src/databricks/errors';
import { expiresInSeconds } from '../../../src/databricks/oidc';
import { resolveConnection } from '../../../src/databricks/resolver';

function store(): CredentialStore {
  const m = new Map<string, string>();
  const g = new Map<string, unknown>();
  return new CredentialStore(
    { get: async (k) => m.get(k), store: async (k, v) => void m.set(k, v), delete: async (k) => void m.delete(k) },
    { get: <T>(k: string) => g.get(k) as T | undefined, update: async (k, v) => void g.set(k, v) },
  );
}

const resolve = (file: string, env: Record<string, string> = {}, profile = 'p') =>
  resolveConnection({ kind: 'config' }, { env, homedir: '/home/u', readFile: async () => file, profileSetting: () => profile }, store());

describe('sign-in kinds', () => {
  it('serves pat, oauth-m2m and databricks-cli profiles, each its own way', async () => {
    assert.deepEqual((await resolve('[p]\nhost = https://a.example\ntoken = dapi-x\n')).plan, { kind: 'pat', token: 'dapi-x' });
    const m2m = (await resolve('[p]\nhost = https://a.example\nclient_id = id1\nclient_secret = s1\n')).plan;
    assert.equal(m2m.kind, 'm2m', 'client_id and client_secret imply oauth-m2m');
    const cli = await resolve('[p]\nhost = https://a.example\nauth_type = databricks-cli\ndatabricks_cli_path = C:\\Tools\\databricks.exe\n');
    assert.deepEqual(cli.plan, { kind: 'cli', profile: 'p', cliPath: 'C:\\Tools\\databricks.exe', accountId: undefined });
    const env = await resolve('', { DATABRICKS_HOST: 'https://e.example', DATABRICKS_CLIENT_ID: 'id2', DATABRICKS_CLIENT_SECRET: 's2' }, '');
    assert.equal(env.plan.kind === 'm2m' && env.plan.servicePrincipal.origin, 'DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET');
  });

  for (const type of ['azure-cli', 'azure-msi', 'google-id', 'basic', 'metadata-service', 'github-oidc']) {
    it(`auth_type = ${type} gets a message that names it and says what Ferry supports`, async () => {
      await assert.rejects(resolve(`[p]\nhost = https://a.example\nauth_type = ${type}\n`), (e: unknown) => {
        assert.ok(e instanceof DatabricksError);
        assert.equal(e.kind, 'config');
        assert.match(e.message, new RegExp(`Profile "p" uses auth_type "${type}", which Ferry does not support`));
        assert.match(e.message, /oauth-m2m/);
        assert.match(e.message, /databricks-cli/);
        assert.match(e.message, /browser sign-in/);
        return true;
      });
    });
  }

  it('names an auth type that only the attributes imply (azure_client_secret, no auth_type)', async () => {
    await assert.rejects(
      resolve('[p]\nhost = https://a.example\nazure_client_id = x\nazure_client_secret = y\nazure_tenant_id = t\n'),
      (e: unknown) => e instanceof DatabricksError && /"azure-client-secret" \(implied by its attributes\)/.test(e.message) && !e.message.includes(' = y'),
    );
  });

  it('reads the CLI expiry as RFC 3339 (with nanoseconds) and as Go\'s "2006-01-02 15:04:05"', () => {
    assert.equal(parseCliExpiry('2026-12-01T10:00:00Z'), Date.UTC(2026, 11, 1, 10));
    assert.equal(parseCliExpiry('2026-12-01T10:00:00.123456789+01:00'), Date.UTC(2026, 11, 1, 9, 0, 0, 123));
    assert.equal(parseCliExpiry('2026-12-01 10:00:00'), new Date(2026, 11, 1, 10).getTime(), 'local time');
    assert.equal(parseCliExpiry('2026-12-01 10:00:00.5 +0000 UTC'), Date.UTC(2026, 11, 1, 10, 0, 0, 500));
    assert.equal(parseCliExpiry('tomorrow'), undefined);
  });

  it('takes expires_in as a number or a string, and falls back for nonsense', () => {
    assert.equal(expiresInSeconds(3600), 3600);
    assert.equal(expiresInSeconds('3600'), 3600);
    assert.equal(expiresInSeconds(' 120 '), 120);
    assert.equal(expiresInSeconds('soon'), 3600);
    assert.equal(expiresInSeconds(undefined), 3600);
    assert.equal(expiresInSeconds(-5), 3600);
  });
});
