// Where a downloaded key may land: never in a repository's .git folder or the editor's .vscode
// folder (at any depth, in every spelling the file system folds to the same name), and on Windows
// never on a device name, a name Windows would silently change, or an alternate data stream.
import assert from 'node:assert/strict';
import path from 'node:path';
import { safeLocalPath } from '../../../src/aws/s3/keys';

function refused(targetDir: string, key: string, pathApi: typeof path): string {
  const r = safeLocalPath(targetDir, '', key, pathApi);
  assert.equal(r.ok, false, `accepted ${JSON.stringify(key)} as ${r.ok ? r.path : ''}`);
  return r.ok ? '' : r.reason;
}

describe('download targets', () => {
  for (const [os, api, dir] of [
    ['POSIX', path.posix, '/home/me/data'],
    ['Windows', path.win32, 'C:\\Users\\me\\data'],
  ] as const) {
    it(`refuses .git and .vscode targets at any depth and in folded spellings (${os})`, () => {
      for (const key of [
        '.git/config',
        'repo/.git/hooks/pre-commit',
        '.GIT/config',
        '.Git/info/exclude',
        '.git',
        'a/b/.git/objects/x',
        '.vscode/tasks.json',
        'proj/.vscode/settings.json',
        '.VSCode/launch.json',
      ]) {
        assert.match(refused(dir, key, api), /\.git|\.vscode/, key);
      }
      for (const key of ['.gitignore', '.github/workflows/ci.yml', 'git/config', 'my.git/x', '.vscodeignore', 'notes/.git-notes.txt']) {
        assert.equal(safeLocalPath(dir, '', key, api).ok, true, key);
      }
    });
  }

  it('refuses Windows device names, trailing dots and spaces, streams and reserved characters on Windows', () => {
    const dir = 'C:\\Users\\me\\data';
    for (const key of ['CON', 'con', 'nul.txt', 'NUL.tar.gz', 'dir/COM1.log', 'LPT9', 'aux.', 'prn ', 'CONIN$', 'conout$.txt', 'COM\u00b9']) {
      assert.match(refused(dir, key, path.win32), /reserved/, key);
    }
    for (const key of ['name.', 'name ', 'dir./x.txt', 'dir /x.txt']) assert.match(refused(dir, key, path.win32), /ends with a dot or a space/, key);
    for (const key of ['a.txt:stream', 'a.txt::$DATA', 'x/data:z']) assert.match(refused(dir, key, path.win32), /stream|":"/, key);
    for (const key of ['a<b.txt', 'a>b', 'what?.csv', 'star*.csv', 'pipe|.csv', 'quote".csv', 'tab\t.csv'])
      assert.match(refused(dir, key, path.win32), /character/, key);
    // Windows' short (8.3) name of .git and the same with the dots and spaces it drops.
    for (const key of ['GIT~1/config', '.git./config', '.git /config', '.git::$INDEX_ALLOCATION/config']) refused(dir, key, path.win32);
    for (const key of ['console.txt', 'CONx', 'com10.txt', 'lpt.txt', 'a.b.c', 'données/été.csv', 'x/nul-ish.txt']) {
      assert.equal(safeLocalPath(dir, '', key, path.win32).ok, true, key);
    }
  });

  it('keeps names that only Windows reserves when the target is not Windows (a colon in a timestamp is common in S3 keys)', () => {
    for (const key of ['logs/2026-12-01T10:00:00.json', 'CON', 'nul.txt', 'trailing.']) {
      assert.equal(safeLocalPath('/home/me/data', '', key, path.posix).ok, true, key);
    }
  });
});
