// One set of ignore rules for every push (a file named on its own, as sync on save and Push File
// do, is ignored exactly as Push Folder would ignore it), and Push Folder lists every file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PathMapper } from '../../../src/run/service/paths';
import { listPushableFiles, planPush, PushCache } from '../../../src/run/service/push';

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-push-rules-'));
  for (const [rel, text] of Object.entries(files)) {
    const f = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
  }
  return dir;
}

describe('run: the push ignore rules', () => {
  it('a file pushed on its own is ignored as Push Folder would ignore it (.gitignore at any depth, .git, venvs)', async () => {
    const dir = tree({
      '.gitignore': '.env\nsecrets.json\n/build/\n',
      '.env': 'TOKEN=dapi123',
      'secrets.json': '{"password":"x"}',
      'main.py': 'print(1)\n',
      'build/gen.py': '',
      'pkg/.gitignore': 'local_*.py\n',
      'pkg/local_keys.py': 'KEY = 1\n',
      'pkg/mod.py': '',
      '.git/config': '[core]\n',
      '.venv/lib/site.py': '',
    });
    const mapper = new PathMapper(dir, '/Workspace/Users/u/ferry/p');
    const named = ['.env', 'secrets.json', 'main.py', 'build/gen.py', 'pkg/local_keys.py', 'pkg/mod.py', '.git/config', '.venv/lib/site.py'].map((f) =>
      path.join(dir, ...f.split('/')),
    );
    const plan = planPush(named, mapper, new PushCache(), 'https://h');
    assert.deepEqual(plan.upload.map((u) => u.remote).sort(), ['/Workspace/Users/u/ferry/p/main.py', '/Workspace/Users/u/ferry/p/pkg/mod.py']);
    const skipped = plan.skipped.map((s) => [path.relative(dir, s.local).split(path.sep).join('/'), s.reason]);
    assert.deepEqual(skipped.map(([f]) => f).sort(), ['.env', '.git/config', '.venv/lib/site.py', 'build/gen.py', 'pkg/local_keys.py', 'secrets.json']);
    for (const [f, reason] of skipped) assert.match(reason, /ignored/, f);
    // The folder walk agrees with the file-by-file decision.
    const walked = (await listPushableFiles(dir)).map((f) => path.relative(dir, f).split(path.sep).join('/'));
    assert.deepEqual(walked.sort(), ['.gitignore', 'main.py', 'pkg/.gitignore', 'pkg/mod.py']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Push Folder lists every file, past 5,000', async function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-push-many-'));
    for (let d = 0; d < 11; d++) {
      fs.mkdirSync(path.join(dir, `d${d}`));
      for (let i = 0; i < 500; i++) fs.writeFileSync(path.join(dir, `d${d}`, `f${i}.py`), '');
    }
    fs.writeFileSync(path.join(dir, 'last.py'), '');
    const files = await listPushableFiles(dir);
    assert.equal(files.length, 5501);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
