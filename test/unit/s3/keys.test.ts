import assert from 'node:assert/strict';
import path from 'node:path';
import { formatBytes, joinKey, keyLabel, localRelativeToKey, parseS3Uri, previewFormat, safeLocalPath } from '../../../src/aws/s3/keys';

describe('S3 keys and local paths', () => {
  it('parses and keeps s3:// URIs with odd keys', () => {
    assert.deepEqual(parseS3Uri('s3://my-bucket/a b/c#d+e%f/'), { bucket: 'my-bucket', key: 'a b/c#d+e%f/' });
    assert.deepEqual(parseS3Uri('S3://bucket'), { bucket: 'bucket', key: '' });
    assert.deepEqual(parseS3Uri('bucket/x'), { bucket: 'bucket', key: 'x' });
    assert.equal(parseS3Uri('s3://'), undefined);
    assert.equal(parseS3Uri('s3://bad bucket/x'), undefined);
  });

  it('labels keys relative to their parent prefix, keeping a trailing slash', () => {
    assert.equal(keyLabel('a/b/', 'a/'), 'b/');
    assert.equal(keyLabel('a/b.csv', 'a/'), 'b.csv');
    assert.equal(keyLabel('a//', 'a/'), '/');
    assert.equal(joinKey('a/', 'b'), 'a/b');
    assert.equal(joinKey('', 'b'), 'b');
  });

  it('turns Windows relative paths into "/" keys', () => {
    assert.equal(localRelativeToKey('sub dir\\deeper\\a.csv'), 'sub dir/deeper/a.csv');
    assert.equal(localRelativeToKey('.\\a.csv'), 'a.csv');
    assert.equal(localRelativeToKey('x/y'), 'x/y');
  });

  it('maps keys under a target folder and refuses the ones that would escape it (POSIX)', () => {
    const ok = safeLocalPath('/tmp/t', 'p/', 'p/a/b.txt', path.posix);
    assert.deepEqual(ok, { ok: true, path: '/tmp/t/a/b.txt' });
    for (const key of ['p/../x', 'p/a/../../x', 'p//etc/passwd', 'p/C:/x', 'p/a/', 'p/']) {
      const r = safeLocalPath('/tmp/t', 'p/', key, path.posix);
      assert.equal(r.ok, false, key);
    }
  });

  it('refuses drive letters, backslash traversal and UNC paths on Windows', () => {
    const win = path.win32;
    assert.deepEqual(safeLocalPath('C:\\Users\\me\\dl', '', 'a/b.txt', win), { ok: true, path: 'C:\\Users\\me\\dl\\a\\b.txt' });
    for (const key of ['..\\evil.txt', 'a\\..\\..\\evil.txt', 'D:/evil.txt', 'D:evil.txt', '\\\\server\\share\\x', 'a/C:/x']) {
      assert.equal(safeLocalPath('C:\\Users\\me\\dl', '', key, win).ok, false, key);
    }
  });

  it('formats sizes and picks the preview format by extension', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(50 * 1024 * 1024), '50 MB');
    assert.equal(previewFormat('x/Y.CSV'), 'csv');
    assert.equal(previewFormat('y.tsv'), 'tsv');
    assert.equal(previewFormat('z.ndjson'), 'jsonl');
    assert.equal(previewFormat('p.parquet'), 'parquet');
    assert.equal(previewFormat('notes.txt'), undefined);
    assert.equal(previewFormat('data.csv.gz'), undefined);
  });
});
