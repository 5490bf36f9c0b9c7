import assert from 'node:assert/strict';
import path from 'node:path';
import { listPushableFiles, PushCache, WorkspacePusher } from '../../../src/run/service/push';
import { toWorkspaceApiPath } from '../../../src/run/service/paths';
import { makeProject, RunFixture, startRunFixture } from './fixture';

describe('push to the workspace (against the Databricks stand-in)', function () {
  this.timeout(60_000);
  let fx: RunFixture;

  before(async () => {
    fx = await startRunFixture();
  });
  after(async () => {
    await fx?.stop();
  });

  async function exported(remote: string): Promise<string> {
    const r = await fx.client.request<{ content: string }>('GET', '/api/2.0/workspace/export', { query: { path: toWorkspaceApiPath(remote), format: 'SOURCE' } });
    return Buffer.from(r.content, 'base64').toString('utf8');
  }

  it('pushes a folder keeping its layout, with \\n line endings, then only what changed; never deletes', async () => {
    const p = makeProject(fx.userName, { 'main.py': 'import lib.helpers\r\nprint(1)\r\n', 'lib/helpers.py': 'X = 1\n', 'lib/deep/more.py': 'Y = 2\n', 'notes.txt': 'n' });
    const cacheFile = path.join(p.dir, '..', 'cache.json');
    const pusher = new WorkspacePusher(fx.client, new PushCache(cacheFile));
    await fx.resetCounts();
    const first = await pusher.push(await listPushableFiles(p.dir), p.mapper);
    assert.equal(first.uploaded.length, 4);
    assert.equal(await exported(`${p.mapper.remoteRoot}/lib/deep/more.py`), 'Y = 2\n');
    assert.equal(await exported(`${p.mapper.remoteRoot}/main.py`), 'import lib.helpers\nprint(1)\n');
    p.write('lib/helpers.py', 'X = 42\n');
    // A new pusher with the same cache file: as after an editor restart.
    const second = await new WorkspacePusher(fx.client, new PushCache(cacheFile)).push(await listPushableFiles(p.dir), p.mapper);
    assert.deepEqual(second.uploaded, [`${p.mapper.remoteRoot}/lib/helpers.py`]);
    assert.equal(second.unchanged, 3);
    assert.equal((await fx.counts())['POST /api/2.0/workspace/import'], 5, '4 files, then 1');
    assert.equal((await fx.counts())['POST /api/2.0/workspace/delete'] ?? 0, 0, 'nothing remote is deleted');
  });

  it('retries a throttled import (429 with Retry-After) and still pushes each file once', async () => {
    const p = makeProject(fx.userName, { 'a.py': 'a = 1\n' });
    await fx.setFaults({ failNext: { count: 1, status: 429, match: 'workspace/import' }, retryAfterSeconds: 0 });
    const r = await new WorkspacePusher(fx.client, new PushCache()).push(await listPushableFiles(p.dir), p.mapper);
    assert.equal(r.uploaded.length, 1);
    assert.equal(await exported(`${p.mapper.remoteRoot}/a.py`), 'a = 1\n');
  });

  it('pushes files with spaces and unicode in their names', async () => {
    const p = makeProject(fx.userName, { 'my data/ünï code.py': 'print("ü")\n' });
    const r = await new WorkspacePusher(fx.client, new PushCache()).push(await listPushableFiles(p.dir), p.mapper);
    assert.deepEqual(r.uploaded, [`${p.mapper.remoteRoot}/my data/ünï code.py`]);
    assert.equal(await exported(`${p.mapper.remoteRoot}/my data/ünï code.py`), 'print("ü")\n');
  });
});
