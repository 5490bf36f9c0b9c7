// Local ↔ remote paths with this OS's own paths (the Windows run gives drive letters and
// backslashes): the run area's PathMapper and the S3 area's key helpers against the shared
// contract, tracebacks mapped back to local files, and S3 upload keys planned from a real folder.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { joinKey, localRelativeToKey, safeLocalPath } from '../../../src/aws/s3/keys';
import { planUpload } from '../../../src/aws/s3/transfer';
import { localFileUri, PathMapper } from '../../../src/run/service/paths';
import { mapFrames, parseTraceback, userFrame } from '../../../src/run/service/traceback';
import { describeRemotePathContract, WS } from './remotePathContract';

describeRemotePathContract('remote paths: PathMapper (run) and S3 keys (s3/keys)', {
  toRemotePath: (localRoot, localFile, remoteRoot) => new PathMapper(localRoot, remoteRoot).toRemote(localFile),
  s3Key: (prefix, rel) => joinKey(prefix, localRelativeToKey(rel)),
});

describe('remote paths back to local files on this OS', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry win paths é '));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('maps a cluster traceback (CRLF lines) to the local files, with file: URIs', () => {
    const mapper = new PathMapper(root, WS);
    const text = [
      'Traceback (most recent call last):',
      `  File "${WS}/src/train model.py", line 12, in <module>`,
      '  File "/databricks/python/lib/python3.11/site-packages/pandas/core/frame.py", line 40, in __init__',
      `  File "${WS}/src/données/prep.py", line 3, in clean`,
      'ValueError: bad shape',
    ].join('\r\n');
    const frames = mapFrames(parseTraceback(text), mapper);
    assert.equal(frames.length, 3);
    const local = path.join(root, 'src', 'données', 'prep.py');
    assert.equal(mapper.toLocal(`${WS}/src/données/prep.py`), local);
    assert.equal(frames[1].localUri, undefined, 'a library frame stays remote');
    assert.equal(userFrame(frames)?.localUri, localFileUri(local));
    const uri = localFileUri(local);
    assert.ok(uri.startsWith('file:///'), uri);
    assert.ok(!uri.includes('\\'), uri);
    if (process.platform === 'win32') assert.match(uri, /^file:\/\/\/[a-z]%3A\//, 'VS Code writes drive letters lower-case and the colon encoded');
  });

  it('round-trips every file of a real folder: local → remote → the same local path', () => {
    const files = [path.join(root, 'a.py'), path.join(root, 'sub dir', 'mödel 1.py'), path.join(root, 'x', 'y', 'z', '数据.sql')];
    const mapper = new PathMapper(root, WS);
    for (const f of files) {
      const remote = mapper.toRemote(f);
      assert.ok(remote && !remote.includes('\\'), String(remote));
      assert.equal(mapper.toLocal(remote), f);
    }
  });

  it('plans S3 upload keys for a real folder tree with /, and downloads land back inside it', () => {
    const folder = path.join(root, 'upload me');
    fs.mkdirSync(path.join(folder, 'day 1', 'été'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'top.csv'), 'a\r\n');
    fs.writeFileSync(path.join(folder, 'day 1', 'été', 'données.csv'), 'b\r\n');
    const keys = planUpload([folder], 'raw/2026/')
      .map((i) => i.key)
      .sort();
    assert.deepEqual(keys, ['raw/2026/upload me/day 1/été/données.csv', 'raw/2026/upload me/top.csv']);
    const target = path.join(root, 'download');
    const ok = safeLocalPath(target, 'raw/2026/', 'raw/2026/upload me/day 1/été/données.csv');
    assert.deepEqual(ok, { ok: true, path: path.join(target, 'upload me', 'day 1', 'été', 'données.csv') });
    assert.equal(safeLocalPath(target, '', '../evil.py').ok, false);
    assert.equal(safeLocalPath(target, '', 'C:/Windows/evil.dll').ok, false);
  });
});
