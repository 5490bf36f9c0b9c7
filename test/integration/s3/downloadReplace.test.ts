// A prefix download never replaces a local file without asking: the command's prompt answers
// replace, skip, replace all or skip all (or cancels), skipped files are reported, and keys that
// would write into .git/ are refused and reported, whatever the prompt says.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { downloadKeys, ReplaceAnswer } from '../../../src/aws/s3/transfer';
import { S3Endpoint, s3StandIn, scratchDir, uniqueSuffix } from '../standIns';
import { createBucket, serviceFor } from './helpers';

describe('S3 prefix download: existing files and unsafe targets', function () {
  this.timeout(60_000);
  let standIn: S3Endpoint;
  const bucket = `ferry-dlr-${uniqueSuffix()}`;
  const tmp = scratchDir('s3-replace');
  const keys = ['p/a.txt', 'p/b.txt', 'p/c.txt', 'p/sub/d.txt'];

  before(async () => {
    standIn = await s3StandIn();
    const s3 = serviceFor(standIn.endpoint);
    await createBucket(s3.clients.client(), bucket);
    for (const Key of [...keys, 'p/.git/config', 'p/nested/.git/hooks/post-checkout'])
      await s3.clients.client().send(new PutObjectCommand({ Bucket: bucket, Key, Body: `remote ${Key}` }));
  });
  after(async () => {
    await standIn?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** A target folder where a.txt, b.txt and sub/d.txt already exist with local content. */
  function target(name: string): string {
    const dir = path.join(tmp, name);
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
    for (const f of ['a.txt', 'b.txt', 'sub/d.txt']) fs.writeFileSync(path.join(dir, f), `local ${f}`);
    return dir;
  }
  const read = (dir: string, f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  async function items() {
    const listed = await serviceFor(standIn.endpoint).keysUnder(bucket, 'p/');
    return listed.map((o) => ({ key: o.key, size: o.size ?? 0 }));
  }

  it('asks for each existing file and does what the answer says; new files download; .git targets are refused', async () => {
    const dir = target('each');
    const asked: string[] = [];
    const answers: Record<string, ReplaceAnswer> = { 'a.txt': 'skip', 'b.txt': 'replace', 'd.txt': 'skip' };
    const result = await downloadKeys(serviceFor(standIn.endpoint), bucket, 'p/', await items(), dir, {
      concurrency: 4,
      partSizeBytes: 0,
      confirmReplace: async (file) => {
        asked.push(path.relative(dir, file));
        return answers[path.basename(file)];
      },
    });
    assert.deepEqual(asked.sort(), ['a.txt', 'b.txt', path.join('sub', 'd.txt')]);
    assert.equal(read(dir, 'a.txt'), 'local a.txt');
    assert.equal(read(dir, 'b.txt'), 'remote p/b.txt');
    assert.equal(read(dir, 'c.txt'), 'remote p/c.txt');
    assert.equal(read(dir, 'sub/d.txt'), 'local sub/d.txt');
    assert.deepEqual(result.done.sort(), ['p/b.txt', 'p/c.txt']);
    assert.deepEqual(result.skipped.map((s) => s.name).sort(), ['p/a.txt', 'p/sub/d.txt']);
    assert.deepEqual(result.refused.map((r) => r.name).sort(), ['p/.git/config', 'p/nested/.git/hooks/post-checkout']);
    assert.ok(!fs.existsSync(path.join(dir, '.git')), 'nothing is written into .git/');
    assert.ok(!fs.existsSync(path.join(dir, 'nested')), 'no folder is made for a refused key');
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.includes('ferry-part')),
      [],
      'no partial files left',
    );
  });

  it('"replace all" is asked once; "skip all" keeps every existing file', async () => {
    const all = target('all');
    let asked = 0;
    const r1 = await downloadKeys(serviceFor(standIn.endpoint), bucket, 'p/', await items(), all, {
      concurrency: 4,
      partSizeBytes: 0,
      confirmReplace: async () => (asked++, 'replaceAll'),
    });
    assert.equal(asked, 1);
    for (const f of ['a.txt', 'b.txt', 'sub/d.txt']) assert.equal(read(all, f), `remote p/${f}`);
    assert.equal(r1.done.length, 4);

    const none = target('none');
    asked = 0;
    const r2 = await downloadKeys(serviceFor(standIn.endpoint), bucket, 'p/', await items(), none, {
      concurrency: 4,
      partSizeBytes: 0,
      confirmReplace: async () => (asked++, 'skipAll'),
    });
    assert.equal(asked, 1);
    for (const f of ['a.txt', 'b.txt', 'sub/d.txt']) assert.equal(read(none, f), `local ${f}`);
    assert.deepEqual(r2.done, ['p/c.txt']);
    assert.equal(r2.skipped.length, 3);
  });

  it('without a prompt an existing file is never replaced; "cancel" stops the download', async () => {
    const quiet = target('quiet');
    const r = await downloadKeys(serviceFor(standIn.endpoint), bucket, 'p/', await items(), quiet, { concurrency: 4, partSizeBytes: 0 });
    for (const f of ['a.txt', 'b.txt', 'sub/d.txt']) assert.equal(read(quiet, f), `local ${f}`);
    assert.equal(r.skipped.length, 3);

    const stop = target('stop');
    const r2 = await downloadKeys(serviceFor(standIn.endpoint), bucket, 'p/', await items(), stop, {
      concurrency: 1,
      partSizeBytes: 0,
      confirmReplace: async () => 'cancel',
    });
    assert.equal(r2.cancelled, true);
    for (const f of ['a.txt', 'b.txt', 'sub/d.txt']) assert.equal(read(stop, f), `local ${f}`);
  });
});
