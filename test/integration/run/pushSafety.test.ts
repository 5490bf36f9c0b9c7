// Pushes against the Databricks stand-in: a file that .gitignore names is never sent, even when it
// is pushed on its own (as sync on save does), and two quick saves of one file land in order, so
// the workspace keeps the newer content.
import assert from 'node:assert/strict';
import { PushCache, WorkspacePusher } from '../../../src/run/service/push';
import { toWorkspaceApiPath } from '../../../src/run/service/paths';
import { makeProject, RunFixture, startRunFixture } from './fixture';

describe('push safety (against the Databricks stand-in)', function () {
  this.timeout(60_000);
  let fx: RunFixture;

  before(async () => {
    fx = await startRunFixture();
  });
  after(async () => {
    await fx?.setFaults({});
    await fx?.stop();
  });

  async function exported(remote: string): Promise<string | undefined> {
    try {
      const r = await fx.client.request<{ content: string }>('GET', '/api/2.0/workspace/export', {
        query: { path: toWorkspaceApiPath(remote), format: 'SOURCE' },
      });
      return Buffer.from(r.content, 'base64').toString('utf8');
    } catch (err) {
      if (/RESOURCE_DOES_NOT_EXIST|does(n't| not) exist|404/i.test(String((err as Error).message))) return undefined;
      throw err;
    }
  }

  it('never sends a .gitignored file, even when it is pushed on its own', async () => {
    const p = makeProject(fx.userName, {
      '.gitignore': '.env\nsecrets.json\n',
      '.env': 'DATABRICKS_TOKEN=dapi-secret\n',
      'secrets.json': '{}',
      'main.py': 'x = 1\n',
    });
    const pusher = new WorkspacePusher(fx.client, new PushCache());
    for (const f of ['.env', 'secrets.json', 'main.py']) await pusher.push([`${p.dir}/${f}`], p.mapper);
    assert.equal(await exported(`${p.mapper.remoteRoot}/main.py`), 'x = 1\n');
    assert.equal(await exported(`${p.mapper.remoteRoot}/.env`), undefined, '.env reached the workspace');
    assert.equal(await exported(`${p.mapper.remoteRoot}/secrets.json`), undefined, 'secrets.json reached the workspace');
  });

  it('two quick saves of one file: the workspace keeps the newer content', async () => {
    const p = makeProject(fx.userName, { 'train.py': 'version = 0\n' });
    const pusher = new WorkspacePusher(fx.client, new PushCache());
    const file = p.write('train.py', 'version = 0\n');
    await pusher.push([file], p.mapper); // the folder exists remotely; the next imports are the race
    await fx.resetCounts();
    // The first save's import is slow on the server; the second save comes while it is in flight.
    await fx.setFaults({ delayNext: { count: 1, ms: 1500, match: 'workspace/import' } });
    p.write('train.py', 'version = 1\n');
    const first = pusher.push([file], p.mapper);
    const deadline = Date.now() + 10_000;
    while (((await fx.counts())['POST /api/2.0/workspace/import'] ?? 0) < 1) {
      assert.ok(Date.now() < deadline, 'the first import never reached the stand-in');
      await new Promise((r) => setTimeout(r, 20));
    }
    p.write('train.py', 'version = 2\n');
    const second = pusher.push([file], p.mapper);
    await Promise.all([first, second]);
    assert.equal(await exported(`${p.mapper.remoteRoot}/train.py`), 'version = 2\n');
    // And the cache knows what is there: a third push of the same content sends nothing.
    const third = await pusher.push([file], p.mapper);
    assert.equal(third.uploaded.length, 0);
  });
});
