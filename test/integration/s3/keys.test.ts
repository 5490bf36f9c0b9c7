// S3 keys are any UTF-8 of up to 1,024 bytes, stored and listed verbatim (reference
// services-2026.md §7): keys that a file-per-key store cannot hold — one 300-character segment,
// `a//b.txt`, `x/../z.txt`, a leading `/`, control characters — round-trip exactly through the
// real SDK client Ferry uses: put, list (plain and with encoding-type=url), get, delete. A key
// that climbs out with a leading `../` gets S3's bare 400, and an over-long key KeyTooLongError;
// neither takes the stand-in down.
import assert from 'node:assert/strict';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { S3Endpoint, s3StandIn, uniqueSuffix } from '../standIns';
import { createBucket } from './helpers';
import { decodeListed, ENCODED_ONLY_KEYS, rawRequest, VERBATIM_KEYS } from './verbatimKeys';

describe('S3 stand-in keys: any UTF-8 up to 1,024 bytes, verbatim', function () {
  this.timeout(60_000);
  let standIn: S3Endpoint;
  let client: S3Client;
  const bucket = `ferry-keys-${uniqueSuffix()}`;

  const body = (key: string) => `body of ${JSON.stringify(key)}`;
  async function listAll(encoded: boolean, Prefix?: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix, ContinuationToken: token, MaxKeys: 3, ...(encoded ? { EncodingType: 'url' } : {}) }),
      );
      for (const o of page.Contents ?? []) keys.push(encoded ? decodeListed(o.Key ?? '') : (o.Key ?? ''));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  before(async () => {
    standIn = await s3StandIn();
    client = new S3Client({
      endpoint: standIn.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: standIn.accessKeyId, secretAccessKey: standIn.secretAccessKey },
    });
    await createBucket(client, bucket);
  });
  after(async () => {
    client?.destroy();
    await standIn?.stop();
  });

  it('puts, lists, gets and deletes every key exactly as given', async () => {
    const byBytes = (list: string[]) => [...list].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const Key of VERBATIM_KEYS) await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: body(Key) }));
    // S3 lists in UTF-8 byte order; keys that XML carries come back as they are.
    assert.deepEqual(await listAll(false), byBytes(VERBATIM_KEYS));
    // With encoding-type=url every key comes back exactly, control characters and newlines too.
    const keys = [...VERBATIM_KEYS, ...ENCODED_ONLY_KEYS];
    for (const Key of ENCODED_ONLY_KEYS) await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: body(Key) }));
    assert.deepEqual(await listAll(true), byBytes(keys));
    for (const Key of keys) {
      const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
      assert.equal(await got.Body?.transformToString(), body(Key), `GetObject ${JSON.stringify(Key)}`);
    }
    for (const Key of keys.slice(0, 8)) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
    const out = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(8).map((Key) => ({ Key })) } }));
    assert.deepEqual((out.Deleted ?? []).map((d) => d.Key).sort(), keys.slice(8).sort());
    assert.deepEqual(out.Errors ?? [], []);
    assert.deepEqual(await listAll(true), []);
  });

  it('groups common prefixes by the delimiter without collapsing empty or dot segments', async () => {
    for (const Key of ['p/a//b.txt', 'p/a/c.txt', 'p//d.txt', 'p/../e.txt', 'p/f.txt'])
      await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'x' }));
    const top = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'p/', Delimiter: '/' }));
    assert.deepEqual(
      (top.CommonPrefixes ?? []).map((c) => c.Prefix),
      ['p/../', 'p//', 'p/a/'],
    );
    assert.deepEqual(
      (top.Contents ?? []).map((c) => c.Key),
      ['p/f.txt'],
    );
    const a = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'p/a/', Delimiter: '/', EncodingType: 'url' }));
    assert.equal(a.EncodingType, 'url');
    assert.deepEqual(
      (a.CommonPrefixes ?? []).map((c) => decodeListed(c.Prefix ?? '')),
      ['p/a//'],
    );
    assert.deepEqual(
      (a.Contents ?? []).map((c) => decodeListed(c.Key ?? '')),
      ['p/a/c.txt'],
    );
  });

  it('takes a key of exactly 1,024 bytes and refuses 1,025 with KeyTooLongError', async () => {
    const exact = `max/${'é'.repeat(510)}`; // 4 + 510 × 2 = 1,024 bytes
    assert.equal(Buffer.byteLength(exact), 1024);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: exact, Body: 'ok' }));
    assert.equal(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: exact }))).Body?.transformToString(), 'ok');
    const err = await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${exact}x`, Body: 'no' })).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof S3ServiceException, `a 1,025-byte key was accepted (${String(err)})`);
    assert.equal(err.name, 'KeyTooLongError');
    assert.equal(err.$metadata.httpStatusCode, 400);
  });

  it('answers a PutObject whose key climbs out with a leading ../ with a bare 400, and keeps serving', async () => {
    for (const key of ['../escape.txt', 'a/../../escape.txt']) {
      const raw = await rawRequest(standIn.endpoint, 'PUT', `/${bucket}/${key}`, 'x');
      assert.equal(raw.status, 400, `PUT ${key}: ${raw.status} ${raw.body}`);
      assert.equal(raw.body, '', 'real S3 answers this 400 with an empty body');
    }
    const err = await client.send(new PutObjectCommand({ Bucket: bucket, Key: '../escape.txt', Body: 'x' })).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err, 'a leading ../ key was stored');
    assert.equal((err as S3ServiceException).$metadata?.httpStatusCode, 400);
    // Still alive and still exact.
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'after/../ok.txt', Body: 'alive' }));
    assert.equal(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'after/../ok.txt' }))).Body?.transformToString(), 'alive');
    assert.deepEqual(await listAll(false, 'after/'), ['after/../ok.txt']);
  });
});
