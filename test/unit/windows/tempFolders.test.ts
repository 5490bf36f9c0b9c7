// Temporary and cache folders as this OS gives them. Under Windows Node the temp folder is
// %TEMP% (C:\Users\…\AppData\Local\Temp, or C:\users\…\Temp under Wine), not /tmp; paths there get
// long quickly, and Windows' old 260-character limit must not stop a push of a deep project.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PathMapper } from '../../../src/run/service/paths';
import { listPushableFiles, PushCache } from '../../../src/run/service/push';

describe('temporary and cache folders', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-tmp-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('the temp folder is the OS’s own: %TEMP% on a drive under Windows, never a bare /tmp there', () => {
    const dir = os.tmpdir();
    assert.ok(path.isAbsolute(dir), dir);
    if (process.platform === 'win32') {
      assert.match(dir, /^[A-Za-z]:\\/);
      assert.equal(path.resolve(dir), path.resolve(process.env.TEMP ?? process.env.TMP ?? ''));
    }
    assert.ok(tmp.startsWith(dir), tmp);
  });

  it('a project deeper than 260 characters is listed, mapped and its push cache saved', async () => {
    let deep = path.join(tmp, 'Projét with spaces');
    while (deep.length < 300) deep = path.join(deep, 'a rather long folder name');
    fs.mkdirSync(deep, { recursive: true });
    const file = path.join(deep, 'train model.py');
    fs.writeFileSync(file, 'print(1)\r\n');
    assert.ok(file.length > 260, String(file.length));
    const root = path.join(tmp, 'Projét with spaces');
    assert.deepEqual(await listPushableFiles(root), [file]);
    const remote = new PathMapper(root, '/Workspace/Users/a/p').toRemote(file);
    assert.ok(remote?.endsWith('/a rather long folder name/train model.py'), remote);
    const cacheFile = path.join(deep, '.ferry', 'push-cache.json');
    const cache = new PushCache(cacheFile);
    cache.set('h', String(remote), { hash: 'x', size: 1, mtimeMs: 1 });
    cache.save();
    assert.equal(new PushCache(cacheFile).get('h', String(remote))?.hash, 'x');
  });
});
