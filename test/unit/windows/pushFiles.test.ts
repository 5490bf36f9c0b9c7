// Pushing a real folder from this OS's temp folder (C:\users\…\Temp under Windows Node): .gitignore
// rules written on Windows (CRLF, backslash-free patterns) match Windows paths, CRLF sources go up
// with '\n', binary files are untouched, and the push cache survives a save over an existing file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PathMapper } from '../../../src/run/service/paths';
import { contentForUpload, listPushableFiles, planPush, PushCache } from '../../../src/run/service/push';

const WS = '/Workspace/Users/ana@example.com/ferry/proj';

function write(root: string, rel: string, content: string | Buffer): string {
  const file = path.join(root, ...rel.split('/'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

describe('push from a Windows-style workspace folder', () => {
  let tmp: string;
  let root: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-push-'));
    root = path.join(tmp, 'My Projét 数据');
    // .gitignore files as an editor on Windows writes them: CRLF line endings, nested, anchored, negated.
    write(root, '.gitignore', 'data/\r\n*.log\r\n/build\r\nsecrets/*.json\r\n!secrets/keep.json\r\n');
    write(root, 'src/.gitignore', 'local_*.py\r\n');
    write(root, 'src/train model.py', 'import pandas as pd\r\nprint("hi")\r\n');
    write(root, 'src/local_scratch.py', 'x = 1\r\n');
    write(root, 'src/pkg/__init__.py', '');
    write(root, 'src/pkg/__pycache__/mod.cpython-311.pyc', Buffer.from([0, 1, 2]));
    write(root, 'data/big.csv', 'a,b\r\n');
    write(root, 'run.log', 'x');
    write(root, 'build/out.txt', 'x');
    write(root, 'notes/build/keep.md', '# kept: /build is anchored at the root\r\n');
    write(root, 'secrets/token.json', '{}');
    write(root, 'secrets/keep.json', '{}');
    write(root, 'model.bin', Buffer.from([0x0d, 0x0a, 0x00, 0xff, 0x0d, 0x0a]));
    write(root, '.venv/lib/site.py', 'x');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('lists what .gitignore (CRLF, nested, anchored, negated) leaves, as native paths', async () => {
    const files = (await listPushableFiles(root)).map((f) => path.relative(root, f).split(path.sep).join('/')).sort();
    assert.deepEqual(files, [
      '.gitignore',
      'model.bin',
      'notes/build/keep.md',
      'secrets/keep.json',
      'src/.gitignore',
      'src/pkg/__init__.py',
      'src/train model.py',
    ]);
    for (const f of await listPushableFiles(root)) assert.ok(f.startsWith(root + path.sep), f);
  });

  it("plans '/'-separated remote paths, and pushes CRLF text with \\n and binary bytes as they are", async () => {
    const cache = new PushCache();
    const plan = planPush(await listPushableFiles(root), new PathMapper(root, WS), cache, 'https://h');
    const remotes = plan.upload.map((u) => u.remote).sort();
    assert.ok(remotes.includes(`${WS}/src/train model.py`), remotes.join('\n'));
    for (const r of remotes) assert.ok(!r.includes('\\') && r.startsWith(`${WS}/`), r);
    const py = path.join(root, 'src', 'train model.py');
    assert.equal(contentForUpload(py, fs.readFileSync(py)).toString('utf8'), 'import pandas as pd\nprint("hi")\n');
    const bin = path.join(root, 'model.bin');
    assert.deepEqual(contentForUpload(bin, fs.readFileSync(bin)), fs.readFileSync(bin));
  });

  it('a CRLF and an LF copy of the same source hash the same (no re-push after a checkout with autocrlf)', () => {
    const mapper = new PathMapper(root, WS);
    const crlf = write(root, 'same/a.py', 'x = 1\r\ny = 2\r\n');
    const cache = new PushCache();
    const first = planPush([crlf], mapper, cache, 'https://h');
    cache.set('https://h', first.upload[0].remote, { hash: first.upload[0].hash, size: 0, mtimeMs: 0 });
    fs.writeFileSync(crlf, 'x = 1\ny = 2\n');
    const second = planPush([crlf], mapper, cache, 'https://h');
    assert.equal(second.upload.length, 0);
    assert.equal(second.unchanged, 1);
  });

  it('saves the push cache twice over the same file in a folder with spaces, and reads it back', () => {
    const file = path.join(tmp, 'cache dir é', 'push-cache.json');
    const cache = new PushCache(file);
    cache.set('https://h', `${WS}/a.py`, { hash: 'h1', size: 1, mtimeMs: 1 });
    cache.save();
    cache.set('https://h', `${WS}/a.py`, { hash: 'h2', size: 2, mtimeMs: 2 });
    cache.save();
    assert.equal(new PushCache(file).get('https://h', `${WS}/a.py`)?.hash, 'h2');
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['push-cache.json'], 'no temporary file left behind');
  });
});
