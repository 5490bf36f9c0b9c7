// Issue 14 hole 8: two editor windows share secret storage. When one renews the OAuth sign-in
// (the workspace rotates the refresh token, so the old one is dead), the other must pick up the
// renewed tokens instead of failing with the refresh token it loaded earlier.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { memoryLogger } from '../../../src/core/logger';
import { ConnectionManager } from '../../../src/databricks/connection';
import { DatabricksEndpoint, databricksStandIn, scratchDir } from '../standIns';
import { sharedSecretStorage, Window } from './sharedSecrets';
import { fillSignInForm } from '../databricks-standin/signInForm';

/** Signs in on the stand-in's authorize page with its password, then follows the redirect. */
async function signInThroughBrowser(url: string, password: string): Promise<void> {
  const r = await fillSignInForm(url, password);
  assert.equal(r.status, 302, `authorize answered ${r.status}`);
  const page = await fetch(r.headers.get('location') ?? '');
  assert.equal(page.status, 200);
}

describe('OAuth tokens renewed in another window (issue 14 hole 8)', function () {
  this.timeout(60_000);
  let db: DatabricksEndpoint;
  let dir: string;
  before(async () => {
    db = await databricksStandIn();
    dir = scratchDir('secret-watch');
  });
  after(async () => {
    await fetch(`${db.admin}/oauth`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${db.token}` },
      body: JSON.stringify({ accessTokenLifetimeSeconds: 3600 }),
    });
    fs.rmSync(dir, { recursive: true, force: true });
    await db.stop();
  });

  const open = (w: Window): ConnectionManager =>
    new ConnectionManager(
      w.secrets,
      w.state,
      { env: {}, homedir: dir, readFile: async () => undefined, profileSetting: () => '' },
      memoryLogger(),
      { jitterMs: 10 },
      { ports: [0], timeoutMs: 20_000 },
    );
  const tokenRequests = async (): Promise<number> =>
    ((await (await fetch(`${db.admin}/requests`, { headers: { Authorization: `Bearer ${db.token}` } })).json()) as { counts: Record<string, number> }).counts[
      'POST /oidc/v1/token'
    ] ?? 0;

  it('the second window uses the tokens the first renewed, and never the rotated refresh token', async () => {
    await fetch(`${db.admin}/oauth`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${db.token}` },
      body: JSON.stringify({ accessTokenLifetimeSeconds: 2 }),
    });
    const storage = sharedSecretStorage();
    const a = open(storage.window());
    const b = open(storage.window());
    try {
      await a.signInWithBrowser(db.url, (u) => signInThroughBrowser(u, db.signInPassword));
      // Both windows are connected with the same token set.
      assert.ok((await (await a.current()).clusters.list()).length >= 2);
      assert.ok((await (await b.current()).clusters.list()).length >= 2);
      await new Promise((r) => setTimeout(r, 2100));
      const before = await tokenRequests();
      // Window A renews: the refresh token B loaded is now revoked by the workspace.
      assert.ok((await (await a.current()).clusters.list()).length >= 2);
      assert.equal(await tokenRequests(), before + 1);
      await new Promise((r) => setTimeout(r, 50));
      // Window B goes on with A's renewed tokens.
      assert.ok((await (await b.current()).clusters.list()).length >= 2);
      assert.equal(await tokenRequests(), before + 1, 'window B needed no renewal of its own');
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('a window whose tokens were renewed elsewhere while it was renewing still ends up signed in', async () => {
    await fetch(`${db.admin}/oauth`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${db.token}` },
      body: JSON.stringify({ accessTokenLifetimeSeconds: 2 }),
    });
    const storage = sharedSecretStorage();
    const a = open(storage.window());
    const b = open(storage.window());
    try {
      await a.signInWithBrowser(db.url, (u) => signInThroughBrowser(u, db.signInPassword));
      const connA = await a.current();
      const connB = await b.current();
      await new Promise((r) => setTimeout(r, 2100));
      // Both renew at once: one of them uses the refresh token first, the other finds it revoked.
      const [la, lb] = await Promise.all([connA.clusters.list(), connB.clusters.list()]);
      assert.ok(la.length >= 2 && lb.length >= 2);
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});
