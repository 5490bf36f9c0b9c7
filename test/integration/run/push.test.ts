import assert from 'node:assert/strict';
import path from 'node:path';
import { scanDataFiles } from '../../../src/core/pii/fileScan';
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
    const r = await fx.client.request<{ content: string }>('GET', '/api/2.0/workspace/export', {
      query: { path: toWorkspaceApiPath(remote), format: 'SOURCE' },
    });
    return Buffer.from(r.content, 'base64').toString('utf8');
  }

  it('pushes a folder keeping its layout, with \\n line endings, then only what changed; never deletes', async () => {
    const p = makeProject(fx.userName, {
      'main.py': 'import lib.helpers\r\nprint(1)\r\n',
      'lib/helpers.py': 'X = 1\n',
      'lib/deep/more.py': 'Y = 2\n',
      'notes.txt': 'n',
    });
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

  it('asks the PII guard with the changed files only, and sends nothing when it says no', async () => {
    const p = makeProject(fx.userName, {
      'train.py': 'print(1)\n',
      'data/people.csv': 'id,email\n1,ada@example.com\n',
      'data/metrics.csv': 'id,score\n1,0.5\n',
    });
    const pusher = new WorkspacePusher(fx.client, new PushCache());
    await fx.resetCounts();
    const asked: string[][] = [];
    // What the Push command does: scan what is about to go, and say no when personal data is in it.
    const confirm = async (files: string[]) => {
      asked.push(files.map((f) => path.relative(p.dir, f).split(path.sep).join('/')).sort());
      return (await scanDataFiles(files)).flagged.length === 0;
    };
    await assert.rejects(pusher.push(await listPushableFiles(p.dir), p.mapper, { confirm }), (err: Error) => err.name === 'CancelledError');
    assert.deepEqual(asked[0], ['data/metrics.csv', 'data/people.csv', 'train.py']);
    assert.equal((await fx.counts())['POST /api/2.0/workspace/import'] ?? 0, 0, 'nothing was sent');
    // Without the personal data, the same push goes through; the next one asks about changed files only.
    p.write('data/people.csv', 'id,score\n1,0.7\n');
    const r = await pusher.push(await listPushableFiles(p.dir), p.mapper, { confirm });
    assert.equal(r.uploaded.length, 3);
    p.write('train.py', 'print(2)\n');
    await pusher.push(await listPushableFiles(p.dir), p.mapper, { confirm });
    assert.deepEqual(asked[2], ['train.py']);
    assert.equal((await fx.counts())['POST /api/2.0/workspace/import'], 4);
  });
});
