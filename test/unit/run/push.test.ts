import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PathMapper } from '../../../src/run/service/paths';
import { contentForUpload, listPushableFiles, planPush, PushCache } from '../../../src/run/service/push';
import { dedent, inlineSummary } from '../../../src/run/inlineSummary';

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-push-unit-'));
  for (const [rel, text] of Object.entries(files)) {
    const f = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
  }
  return dir;
}

describe('run: push planning', () => {
  it('honours .gitignore at the root and below, and always skips .git, venvs and caches', async () => {
    const dir = tree({
      '.gitignore': '*.log\n/build/\n',
      'a.py': '',
      'debug.log': '',
      'build/out.py': '',
      'pkg/.gitignore': 'local_*.py\n',
      'pkg/mod.py': '',
      'pkg/local_secret.py': '',
      'pkg/build/keep.py': '',
      '.git/config': '',
      '.venv/lib/x.py': '',
      'pkg/__pycache__/mod.cpython-311.pyc': '',
    });
    const rel = (await listPushableFiles(dir)).map((f) => path.relative(dir, f).split(path.sep).join('/'));
    assert.deepEqual(rel.sort(), ['.gitignore', 'a.py', 'pkg/.gitignore', 'pkg/build/keep.py', 'pkg/mod.py']);
  });

  it('sends only changed files: the content-hash cache survives a restart (persisted)', async () => {
    const dir = tree({ 'a.py': 'print(1)\n', 'b.py': 'print(2)\n' });
    const cacheFile = path.join(dir, '.ferry', 'cache.json');
    const mapper = new PathMapper(dir, '/Workspace/Users/u/ferry/p');
    const files = await listPushableFiles(dir);
    const cache = new PushCache(cacheFile);
    const first = planPush(files, mapper, cache, 'https://h');
    assert.equal(first.upload.length, 2);
    for (const f of first.upload) cache.set('https://h', f.remote, { hash: f.hash, size: f.size, mtimeMs: f.mtimeMs });
    cache.save();
    const reloaded = new PushCache(cacheFile);
    assert.equal(planPush(files, mapper, reloaded, 'https://h').upload.length, 0);
    assert.equal(planPush(files, mapper, reloaded, 'https://other-host').upload.length, 2, 'another workspace has its own cache');
    fs.writeFileSync(path.join(dir, 'b.py'), 'print(3)\n');
    assert.deepEqual(
      planPush(files, mapper, reloaded, 'https://h').upload.map((u) => u.remote),
      ['/Workspace/Users/u/ferry/p/b.py'],
    );
    // Touched but identical content: not sent again.
    const t = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(dir, 'a.py'), t, t);
    assert.equal(planPush([path.join(dir, 'a.py')], mapper, reloaded, 'https://h').upload.length, 0);
  });

  it('skips files outside the folder and files over the import limit', () => {
    const dir = tree({ 'big.bin': '' });
    fs.truncateSync(path.join(dir, 'big.bin'), 11 * 1024 * 1024);
    const mapper = new PathMapper(dir, '/Workspace/Users/u/ferry/p');
    const plan = planPush([path.join(dir, 'big.bin'), path.join(os.tmpdir(), 'elsewhere.py')], mapper, new PushCache(), 'h');
    assert.equal(plan.upload.length, 0);
    assert.deepEqual(
      plan.skipped.map((s) => /larger|outside/.exec(s.reason)?.[0]),
      ['larger', 'outside'],
    );
  });

  it('sends text with \\n line endings and binary files as they are', () => {
    assert.equal(contentForUpload('x.py', Buffer.from('a\r\nb\r\n')).toString(), 'a\nb\n');
    const bin = Buffer.from([0x89, 0x50, 0x0d, 0x0a]);
    assert.deepEqual(contentForUpload('x.png', bin), bin);
  });
});

describe('run: inline summaries', () => {
  it('summarises success, failure and cancel in one short line', () => {
    assert.equal(
      inlineSummary({
        state: 'succeeded',
        durationMs: 812,
        outputs: [
          {
            kind: 'table',
            columns: [
              { name: 'a', type: 'integer' },
              { name: 'b', type: 'string' },
            ],
            rows: [[1, 'x']],
            truncated: true,
            truncationNote: 'first 1 of 1,000 rows',
          },
        ],
      }),
      '✓ 0.8 s · DataFrame 1,000 × 2',
    );
    assert.equal(
      inlineSummary({
        state: 'failed',
        durationMs: 100,
        outputs: [
          { kind: 'text', text: 'x' },
          { kind: 'error', summary: 'ValueError: bad', traceback: '', frames: [] },
        ],
      }),
      '✗ ValueError: bad',
    );
    assert.equal(inlineSummary({ state: 'cancelled', durationMs: 3100, outputs: [] }), '■ cancelled after 3.1 s');
    assert.equal(inlineSummary({ state: 'succeeded', durationMs: 50, outputs: [] }), '✓ 0.1 s');
  });

  it('dedents an indented selection', () => {
    assert.equal(dedent('    x = 1\n    if x:\n        y = 2\n'), 'x = 1\nif x:\n    y = 2\n');
    assert.equal(dedent('a\n  b'), 'a\n  b');
  });
});
