// What any local → remote path mapping must do, whatever OS it runs on. Used by the suite of the
// project's own helpers (remotePaths.test.ts) and by scripts/windows/demo/naive-remote-path.spec.js,
// which runs the same cases against a path.join mapping to show that its "native paths" cases pass
// on Linux and only fail under Windows Node: the reason the Windows run exists.
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';

export interface RemotePathMapping {
  /** The remote (workspace) path of a local file inside localRoot; undefined when it is outside. */
  toRemotePath(localRoot: string, localFile: string, remoteRoot: string): string | undefined;
  /** The S3 key under `prefix` for a path relative to a local folder (as path.relative gives it). */
  s3Key(prefix: string, relativePath: string): string;
}

export const WS = '/Workspace/Users/ana@example.com/ferry/proj';

export function describeRemotePathContract(title: string, m: RemotePathMapping): void {
  describe(title, () => {
    // Built with this OS's own path module, as VS Code hands paths over. On Linux a path.join
    // mapping gets these right by luck; under Windows Node it writes backslashes into remote names.
    describe('native paths of the OS the tests run on', () => {
      const localRoot = path.join(os.tmpdir(), 'ferry proj');
      it('maps a file in a sub-folder to a /-separated workspace path', () => {
        assert.equal(m.toRemotePath(localRoot, path.join(localRoot, 'src', 'jobs', 'train model.py'), WS), `${WS}/src/jobs/train model.py`);
      });
      it('builds an S3 key from path.relative() of a local file', () => {
        const rel = path.relative(localRoot, path.join(localRoot, 'data', 'day 1', 'été.csv'));
        assert.equal(m.s3Key('raw/2026', rel), 'raw/2026/data/day 1/été.csv');
      });
      it('a file outside the folder has no remote path', () => {
        assert.equal(m.toRemotePath(localRoot, path.join(os.tmpdir(), 'ferry project', 'a.py'), WS), undefined);
      });
    });

    describe('Windows paths (whatever OS the tests run on)', () => {
      it('drive letter and backslashes', () => {
        assert.equal(m.toRemotePath('C:\\Users\\Ana\\proj', 'C:\\Users\\Ana\\proj\\src\\a.py', WS), `${WS}/src/a.py`);
      });
      it('drive letter and folder case differ (NTFS ignores case)', () => {
        assert.equal(m.toRemotePath('c:\\users\\ana\\Proj', 'C:\\Users\\Ana\\proj\\lib\\util.py', WS), `${WS}/lib/util.py`);
      });
      it('mixed separators and a trailing separator on the root', () => {
        assert.equal(m.toRemotePath('C:/Users/Ana/proj/', 'C:\\Users\\Ana\\proj/src\\a.py', WS), `${WS}/src/a.py`);
      });
      it('spaces and unicode', () => {
        assert.equal(
          m.toRemotePath('D:\\Données de test\\projet été', 'D:\\Données de test\\projet été\\données\\naïve 数据 🚀.py', WS),
          `${WS}/données/naïve 数据 🚀.py`,
        );
      });
      it('UNC share (server and share names ignore case)', () => {
        assert.equal(m.toRemotePath('\\\\fileserver\\team share\\proj', '\\\\FILESERVER\\Team Share\\proj\\nb\\eda.py', WS), `${WS}/nb/eda.py`);
      });
      it('no remote path for a sibling folder sharing a prefix, another drive, or a way out with ..', () => {
        assert.equal(m.toRemotePath('C:\\proj', 'C:\\project\\a.py', WS), undefined);
        assert.equal(m.toRemotePath('C:\\proj', 'D:\\proj\\a.py', WS), undefined);
        assert.equal(m.toRemotePath('C:\\proj', 'C:\\proj\\src\\..\\..\\secret.txt', WS), undefined);
      });
      it('S3 keys from backslash-relative paths, under a prefix with or without a slash', () => {
        assert.equal(m.s3Key('raw/', 'data\\2026\\jan.csv'), 'raw/data/2026/jan.csv');
        assert.equal(m.s3Key('', 'a\\b c\\数据.parquet'), 'a/b c/数据.parquet');
      });
    });

    describe('POSIX paths', () => {
      it('maps /home paths and keeps names as they are', () => {
        assert.equal(m.toRemotePath('/home/ana/proj', '/home/ana/proj/src/my model.py', WS), `${WS}/src/my model.py`);
        assert.equal(m.toRemotePath('/home/ana/proj', '/home/ana/project/a.py', WS), undefined);
      });
    });
  });
}
