// The S3 explorer's service layer against the S3 stand-in over real HTTP: paging, hostile keys, multipart
// upload, cancel without leftovers, prefix download with traversal refused, delete, presigned URLs
// and wrong credentials. No SDK mocks.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { downloadKeys, planUpload, uploadFiles } from '../../../src/aws/s3/transfer';
import { classifyError } from '../../../src/core/errors';
import { previewS3Object } from '../../../src/aws/preview/s3Preview';
import { S3Endpoint, s3StandIn, scratchDir, uniqueSuffix } from '../standIns';
import { createBucket, pool, serviceFor } from './helpers';

const HOSTILE_KEYS = [
  'hostile/with space.txt',
  'hostile/ünïcødé-日本語.txt',
  'hostile/plus+sign.txt',
  'hostile/percent%20literal.txt',
  'hostile/hash#tag.txt',
  'hostile/question?mark.txt',
  // 1,000 bytes in one segment (S3 takes up to 1,024 bytes; a file-per-key store could not hold it).
  `hostile/${'long-segment-'.repeat(76)}.txt`,
  'hostile/ends-with-slash/',
];

function md5File(file: string): string {
  return createHash('md5').update(fs.readFileSync(file)).digest('hex');
}

function writeRandomFile(file: string, bytes: number): void {
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(1024 * 1024);
  for (let done = 0; done < bytes; done += chunk.length) {
    for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((Math.random() * 0xffffffff) >>> 0, i);
    fs.writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - done));
  }
  fs.closeSync(fd);
}

describe('S3 explorer against the S3 stand-in', function () {
  this.timeout(120_000);
  let standIn: S3Endpoint;
  const bucket = `ferry-s3-${uniqueSuffix()}`;
  const tmp = scratchDir('s3it');

  before(async () => {
    standIn = await s3StandIn();
    await createBucket(serviceFor(standIn.endpoint).clients.client(), bucket);
  });
  after(async () => {
    await standIn?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('pages a 5,000-object prefix: 5 pages of 1,000, every key once, with a Load-more token until the end', async () => {
    const s3 = serviceFor(standIn.endpoint);
    const client = s3.clients.client();
    const keys = Array.from({ length: 5000 }, (_, i) => `big/part-${String(i).padStart(5, '0')}.csv`);
    await pool(keys, 16, (Key) => client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'a\n1\n' })));
    const seen = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.listLevel(bucket, 'big/', token, 1000);
      pages++;
      assert.ok(page.objects.length <= 1000);
      for (const o of page.objects) {
        assert.ok(!seen.has(o.key), `duplicate ${o.key}`);
        seen.add(o.key);
        assert.equal(o.size, 4);
      }
      token = page.nextToken;
    } while (token);
    assert.equal(seen.size, 5000);
    assert.equal(pages, 5);
    // The bucket level shows "big/" as one prefix.
    const top = await s3.listLevel(bucket, '', undefined, 1000);
    assert.ok(top.prefixes.includes('big/'));
    // A filter narrows the listing to keys under what was typed.
    const filtered = await s3.listLevel(bucket, 'big/part-0499', undefined, 1000);
    assert.deepEqual(
      filtered.objects.map((o) => o.key),
      Array.from({ length: 10 }, (_, i) => `big/part-0499${i}.csv`),
    );
  });

  it('lists, reads, presigns and deletes hostile keys (spaces, unicode, + % # ?, very long, trailing /)', async () => {
    const s3 = serviceFor(standIn.endpoint);
    for (const key of HOSTILE_KEYS) await s3.putBytes(bucket, key, key.endsWith('/') ? '' : `body of ${key}`);
    const listed = new Set((await s3.keysUnder(bucket, 'hostile/')).map((o) => o.key));
    for (const key of HOSTILE_KEYS) assert.ok(listed.has(key), `not listed: ${key} (got ${[...listed].join(' | ')})`);
    // One level down, the tree shows each name once: objects, and the key ending in '/' as a folder.
    const level = await s3.listLevel(bucket, 'hostile/', undefined, 1000);
    assert.ok(level.prefixes.includes('hostile/ends-with-slash/'));
    assert.ok(level.objects.some((o) => o.key === 'hostile/hash#tag.txt'));
    for (const key of HOSTILE_KEYS.filter((k) => !k.endsWith('/'))) {
      assert.equal(Buffer.from(await s3.getBytes(bucket, key)).toString(), `body of ${key}`);
      const url = await s3.presignGet(bucket, key, 60);
      const res = await fetch(url);
      assert.equal(res.status, 200, `presigned GET for ${key}`);
      assert.equal(await res.text(), `body of ${key}`);
    }
    const out = await s3.deleteKeys(bucket, HOSTILE_KEYS);
    assert.equal(out.errors.length, 0);
    assert.equal(await s3.countKeys(bucket, 'hostile/'), 0);
  });

  it('uploads a 50 MB file as a parallel multipart upload and downloads it back byte for byte', async () => {
    const s3 = serviceFor(standIn.endpoint);
    const file = path.join(tmp, 'fifty.bin');
    writeRandomFile(file, 50 * 1024 * 1024);
    const items = planUpload([file], 'multi/');
    let reports = 0;
    const result = await uploadFiles(s3, bucket, items, { concurrency: 4, partSizeBytes: 8 * 1024 * 1024, onProgress: () => reports++ });
    assert.deepEqual(result.failed, []);
    assert.deepEqual(result.done, ['multi/fifty.bin']);
    assert.ok(reports >= 7, `progress reported ${reports} times`);
    const head = await s3.head(bucket, 'multi/fifty.bin');
    assert.equal(head.size, 50 * 1024 * 1024);
    const target = path.join(tmp, 'down-multi');
    const down = await downloadKeys(s3, bucket, 'multi/', [{ key: 'multi/fifty.bin', size: head.size ?? 0 }], target, { concurrency: 2, partSizeBytes: 0 });
    assert.deepEqual(down.done, ['multi/fifty.bin']);
    assert.equal(md5File(path.join(target, 'fifty.bin')), md5File(file));
  });

  it('uploads a folder with its sub-folders as "/" keys', async () => {
    const s3 = serviceFor(standIn.endpoint);
    const dir = path.join(tmp, 'my data');
    fs.mkdirSync(path.join(dir, 'sub dir'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a.csv'), 'x\n1\n');
    fs.writeFileSync(path.join(dir, 'sub dir', 'b.txt'), 'b');
    const result = await uploadFiles(s3, bucket, planUpload([dir], 'folder-up/'), { concurrency: 4, partSizeBytes: 8 << 20 });
    assert.deepEqual(result.done.sort(), ['folder-up/my data/a.csv', 'folder-up/my data/sub dir/b.txt']);
    const keys = (await s3.keysUnder(bucket, 'folder-up/')).map((o) => o.key).sort();
    assert.deepEqual(keys, ['folder-up/my data/a.csv', 'folder-up/my data/sub dir/b.txt']);
  });

  it('downloads a prefix, refusing keys that would escape the folder and downloading the rest', async () => {
    const s3 = serviceFor(standIn.endpoint);
    const client = s3.clients.client();
    const good = ['dl/a.txt', 'dl/sub/b.txt', 'dl/deep/er/c.txt'];
    for (const Key of good) await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));
    const listed = await s3.keysUnder(bucket, 'dl/');
    // Keys S3 would refuse to store (a leading "../") or that only a hostile listing carries are
    // added to the listing the download acts on, exactly as a ListObjectsV2 page would carry them.
    const hostile = ['dl/../escape.txt', 'dl/sub/../../escape2.txt', 'dl//etc/passwd', 'dl/C:/Windows/evil.txt', 'dl/..\\win-escape.txt'];
    const items = [...listed.map((o) => ({ key: o.key, size: o.size ?? 0 })), ...hostile.map((key) => ({ key, size: 1 }))];
    const target = path.join(tmp, 'down-prefix');
    const result = await downloadKeys(s3, bucket, 'dl/', items, target, { concurrency: 4, partSizeBytes: 0 });
    assert.deepEqual(result.done.sort(), [...good].sort());
    assert.deepEqual(result.failed, []);
    const refusedNames = result.refused.map((r) => r.name);
    for (const h of hostile.slice(0, 4)) assert.ok(refusedNames.includes(h), `not refused: ${h}`);
    assert.equal(fs.readFileSync(path.join(target, 'deep', 'er', 'c.txt'), 'utf8'), 'dl/deep/er/c.txt');
    assert.ok(!fs.existsSync(path.join(tmp, 'escape.txt')));
    assert.ok(!fs.existsSync(path.join(tmp, 'escape2.txt')));
  });

  it('deletes 1,500 objects in batched DeleteObjects (also with WHEN_REQUIRED checksums, sent as Content-MD5)', async () => {
    for (const checksum of ['WHEN_SUPPORTED', 'WHEN_REQUIRED'] as const) {
      const s3 = serviceFor(standIn.endpoint, { checksum });
      const prefix = `del-${checksum}/`;
      const keys = Array.from({ length: 1500 }, (_, i) => `${prefix}k${i}`);
      await pool(keys, 16, (key) => s3.putBytes(bucket, key, 'x'));
      assert.equal(await s3.countKeys(bucket, prefix), 1500);
      let progressCalls = 0;
      const out = await s3.deleteKeys(bucket, keys, () => progressCalls++);
      assert.equal(out.deleted, 1500);
      assert.equal(progressCalls, 2, 'two DeleteObjects batches');
      assert.equal(await s3.countKeys(bucket, prefix), 0);
    }
  });

  it('creates a folder marker that lists as a prefix', async () => {
    const s3 = serviceFor(standIn.endpoint);
    await s3.createFolder(bucket, 'made/new folder');
    const top = await s3.listLevel(bucket, 'made/', undefined, 1000);
    assert.ok(top.prefixes.includes('made/new folder/'));
  });

  it('previews CSV and JSON lines from a stream without reading the whole object', async () => {
    const s3 = serviceFor(standIn.endpoint);
    const lines = ['id,name,score'];
    for (let i = 0; i < 20000; i++) lines.push(`${i},"name, ${i}",${i / 2}`);
    await s3.putBytes(bucket, 'preview/big.csv', lines.join('\n'));
    const csv = await previewS3Object(s3, bucket, 'preview/big.csv', { maxRows: 100 });
    assert.deepEqual(
      csv.columns.map((c) => [c.name, c.type]),
      [
        ['id', 'integer'],
        ['name', 'string'],
        ['score', 'number'],
      ],
    );
    assert.equal(csv.rows.length, 100);
    assert.deepEqual(csv.rows[3], [3, 'name, 3', 1.5]);
    assert.equal(csv.truncated, true);
    await s3.putBytes(bucket, 'preview/x.jsonl', '{"a":1,"b":"x"}\n{"a":2,"c":{"n":1}}\n');
    const jl = await previewS3Object(s3, bucket, 'preview/x.jsonl');
    assert.deepEqual(
      jl.columns.map((c) => c.name),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(jl.rows[1], [2, null, '{"n":1}']);
  });

  // An unknown key id is InvalidAccessKeyId; the right key id with a wrong secret SignatureDoesNotMatch
  // (the stand-in checks SigV4 signatures as S3 does).
  it('gives a clear credentials error for wrong credentials', async () => {
    for (const [accessKeyId, code] of [
      ['AKIAWRONGWRONGWRONG0', 'InvalidAccessKeyId'],
      [standIn.accessKeyId, 'SignatureDoesNotMatch'],
    ]) {
      const s3 = serviceFor(standIn.endpoint, { accessKeyId, secretAccessKey: 'wrong-secret' });
      const err = await s3.listBuckets().then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err, `ListBuckets with a wrong secret succeeded (${accessKeyId})`);
      const classified = classifyError(err);
      assert.equal(classified.kind, 'auth', `classified as ${classified.kind}: ${classified.message}`);
      assert.match(classified.message, new RegExp(`AWS rejected the credentials \\(${code}\\)`));
      assert.ok(classified.actions.some((a) => a.command === 'ferry.aws.selectProfile'));
    }
  });

  it('lists objects through the raw SDK the same as the service (sanity for the stand-in)', async () => {
    const s3 = serviceFor(standIn.endpoint);
    const out = await s3.clients.client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'dl/', Delimiter: '/' }));
    const level = await s3.listLevel(bucket, 'dl/', undefined, 1000);
    assert.deepEqual(
      level.objects.map((o) => o.key),
      (out.Contents ?? []).map((o) => o.Key),
    );
  });
});

describe('S3 explorer: cancelled multipart upload', function () {
  this.timeout(120_000);
  let server: S3Endpoint;
  const bucket = `ferry-mp-${uniqueSuffix()}`;
  const tmp = scratchDir('s3mpf');

  before(async () => {
    server = await s3StandIn();
    await createBucket(serviceFor(server.endpoint).clients.client(), bucket);
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('aborts the multipart upload on cancel: ListMultipartUploads is empty and no object appears', async () => {
    const s3 = serviceFor(server.endpoint);
    const file = path.join(tmp, 'forty.bin');
    writeRandomFile(file, 40 * 1024 * 1024);
    const controller = new AbortController();
    let sawProgress = false;
    const result = await uploadFiles(s3, bucket, planUpload([file], 'cancel/'), {
      concurrency: 2,
      partSizeBytes: 5 * 1024 * 1024,
      signal: controller.signal,
      onProgress: (p) => {
        if (!sawProgress && p.bytesDone > 0) {
          sawProgress = true;
          controller.abort();
        }
      },
    });
    assert.ok(sawProgress, 'the upload never reported progress');
    assert.equal(result.cancelled, true);
    assert.deepEqual(result.done, []);
    const list = await s3.clients.client().send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    assert.deepEqual(list.Uploads ?? [], [], `uploads left: ${JSON.stringify(list.Uploads)}`);
    assert.equal(await s3.countKeys(bucket, 'cancel/'), 0);
  });

  it('the stand-in really reports open uploads, and aborting one removes it (so the check above can fail)', async () => {
    const s3 = serviceFor(server.endpoint);
    const { CreateMultipartUploadCommand } = await import('@aws-sdk/client-s3');
    const created = await s3.clients.client().send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'left/over.bin' }));
    const list = await s3.clients.client().send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    assert.deepEqual(
      (list.Uploads ?? []).map((u) => u.UploadId),
      [created.UploadId],
    );
    const { sweepMultipartUploads } = await import('../../../src/aws/s3/transfer');
    assert.equal((await sweepMultipartUploads(s3.clients.client(), bucket, 'left/over.bin')).aborted, 1);
    const after = await s3.clients.client().send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    assert.deepEqual(after.Uploads ?? [], [], 'the abort removed the upload');
  });
});

describe('S3 explorer: Parquet preview over range requests', function () {
  this.timeout(120_000);
  let standIn: S3Endpoint;
  const bucket = `ferry-pq-${uniqueSuffix()}`;
  const tmp = scratchDir('s3pq');

  before(async () => {
    standIn = await s3StandIn();
    await createBucket(serviceFor(standIn.endpoint).clients.client(), bucket);
  });
  after(async () => {
    await standIn?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reads the footer and the first row group only, not the whole object', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const file = path.join(tmp, 'rows.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(
      `COPY (SELECT i AS id, 'name-' || i AS name, i * 0.5 AS score, i % 2 = 0 AS even, DATE '2024-01-01' + (i % 300)::INTEGER AS day, md5(i::VARCHAR) AS noise FROM range(400000) t(i)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 50000)`,
    );
    conn.closeSync();
    const size = fs.statSync(file).size;
    const s3 = serviceFor(standIn.endpoint);
    await s3.putBytes(bucket, 'pq/rows.parquet', fs.readFileSync(file));
    const { readParquetPreview } = await import('../../../src/aws/preview/parquet');
    const stats = { bytesRead: 0, requests: 0 };
    const table = await readParquetPreview(
      { byteLength: size, read: (start, end) => s3.getBytes(bucket, 'pq/rows.parquet', { start, end: end - 1 }) },
      { maxRows: 100, stats },
    );
    assert.deepEqual(
      table.columns.map((c) => [c.name, c.type]),
      [
        ['id', 'integer'],
        ['name', 'string'],
        ['score', 'number'],
        ['even', 'boolean'],
        ['day', 'date'],
        ['noise', 'string'],
      ],
    );
    assert.equal(table.rows.length, 100);
    assert.equal(table.totalRows, 400000);
    assert.equal(table.truncated, true);
    assert.deepEqual(table.rows[3].slice(0, 4), [3, 'name-3', 1.5, false]);
    assert.ok(stats.bytesRead < size / 3, `read ${stats.bytesRead} of ${size} bytes in ${stats.requests} requests`);
    console.log(`      parquet preview read ${stats.bytesRead.toLocaleString()} of ${size.toLocaleString()} bytes in ${stats.requests} range requests`);
    const viaService = await previewS3Object(s3, bucket, 'pq/rows.parquet', { maxRows: 10 });
    assert.equal(viaService.rows.length, 10);
  });
});
