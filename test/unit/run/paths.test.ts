import assert from 'node:assert/strict';
import {
  defaultRemoteRoot,
  isWindowsPath,
  localFileUri,
  normalizeRemotePath,
  PathMapper,
  resolveRemoteRoot,
  toDriverPath,
  toWorkspaceApiPath,
} from '../../../src/run/service/paths';

describe('run: local ↔ remote path mapping', () => {
  const root = '/Workspace/Users/ada@example.com/ferry/proj';

  it('maps POSIX paths both ways, keeping the relative layout', () => {
    const m = new PathMapper('/home/ada/proj', root);
    assert.equal(m.toRemote('/home/ada/proj/train.py'), `${root}/train.py`);
    assert.equal(m.toRemote('/home/ada/proj/pkg/sub/mod.py'), `${root}/pkg/sub/mod.py`);
    assert.equal(m.toRemote('/home/ada/other/x.py'), undefined);
    assert.equal(m.toRemote('/home/ada/proj2/x.py'), undefined, 'a sibling folder with a common prefix is outside');
    assert.equal(m.toLocal(`${root}/pkg/mod.py`), '/home/ada/proj/pkg/mod.py');
    assert.equal(m.toLocal('/Users/ada@example.com/ferry/proj/a.py'), '/home/ada/proj/a.py', 'Workspace API form maps too');
    assert.equal(m.toLocal('/Workspace/Users/ada@example.com/ferry/projX/a.py'), undefined);
    assert.equal(m.toLocal('/usr/lib/python3/json/__init__.py'), undefined);
    assert.equal(
      m.toLocal('/local_disk0/tmp/workspace/Users/ada@example.com/ferry/proj/pkg/m.py'),
      '/home/ada/proj/pkg/m.py',
      'another mount of the same workspace path',
    );
    assert.equal(m.toLocal('/tmp/Users/ada@example.com/ferry/projX/m.py'), undefined);
  });

  it('maps Windows drive-letter paths with backslashes and spaces', () => {
    const m = new PathMapper('C:\\Users\\Ada Lovelace\\My Project', root);
    assert.equal(m.toRemote('C:\\Users\\Ada Lovelace\\My Project\\src\\train model.py'), `${root}/src/train model.py`);
    assert.equal(m.toRemote('c:\\users\\ada lovelace\\my project\\a.py'), `${root}/a.py`, 'drive and case differences as Windows sees them');
    assert.equal(m.toRemote('C:/Users/Ada Lovelace/My Project/b.py'), `${root}/b.py`, 'forward slashes on Windows');
    assert.equal(m.toRemote('D:\\Users\\Ada Lovelace\\My Project\\a.py'), undefined, 'another drive');
    assert.equal(m.toLocal(`${root}/src/train model.py`), 'C:\\Users\\Ada Lovelace\\My Project\\src\\train model.py');
  });

  it('maps UNC paths', () => {
    const m = new PathMapper('\\\\fileserver\\share\\team\\proj', root);
    assert.equal(m.toRemote('\\\\fileserver\\share\\team\\proj\\etl\\job.py'), `${root}/etl/job.py`);
    assert.equal(m.toRemote('\\\\otherserver\\share\\team\\proj\\job.py'), undefined);
    assert.equal(m.toLocal(`${root}/etl/job.py`), '\\\\fileserver\\share\\team\\proj\\etl\\job.py');
  });

  it('never produces backslashes or ".." remotely', () => {
    assert.equal(normalizeRemotePath('\\Workspace\\Users\\a\\\\b\\'), '/Workspace/Users/a/b');
    assert.throws(() => normalizeRemotePath('/Workspace/../etc'), /"\.\."/);
    assert.ok(isWindowsPath('C:\\x') && isWindowsPath('\\\\srv\\share') && !isWindowsPath('/home/x'));
  });

  it('converts between the driver and Workspace API forms', () => {
    assert.equal(toDriverPath('/Users/a/x.py'), '/Workspace/Users/a/x.py');
    assert.equal(toDriverPath('/Workspace/Users/a/x.py'), '/Workspace/Users/a/x.py');
    assert.equal(toWorkspaceApiPath('/Workspace/Users/a/x.py'), '/Users/a/x.py');
    assert.equal(toWorkspaceApiPath('/Shared/x.py'), '/Shared/x.py');
  });

  it('builds the default remote root and validates the setting', () => {
    assert.equal(defaultRemoteRoot('ada@example.com', 'My Project'), '/Workspace/Users/ada@example.com/ferry/My Project');
    assert.equal(defaultRemoteRoot('ada', 'a/b:c'), '/Workspace/Users/ada/ferry/a_b_c');
    assert.equal(resolveRemoteRoot('', 'ada', 'p'), '/Workspace/Users/ada/ferry/p');
    assert.equal(resolveRemoteRoot('/Shared/team/', 'ada', 'p'), '/Workspace/Shared/team');
    assert.throws(() => resolveRemoteRoot('relative/path', 'ada', 'p'), /absolute/);
  });

  it('writes file URIs the way the editor does, for both flavours', () => {
    assert.equal(localFileUri('/home/ada/my proj/a.py'), 'file:///home/ada/my%20proj/a.py');
    assert.equal(localFileUri('C:\\Users\\Ada\\my proj\\a.py'), 'file:///c%3A/Users/Ada/my%20proj/a.py');
    assert.equal(localFileUri('\\\\Server\\share\\a b.py'), 'file://server/share/a%20b.py');
  });
});
