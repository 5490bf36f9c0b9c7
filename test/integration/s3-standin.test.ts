import assert from 'node:assert/strict';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3StandIn, S3Endpoint, uniqueSuffix } from './standIns';

describe('S3 stand-in', () => {
  let s3: S3Endpoint;
  let client: S3Client;
  before(async () => {
    s3 = await s3StandIn();
    client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
  });
  after(async () => {
    client?.destroy();
    await s3?.stop();
  });
  it('pages a listing past the first page with continuation tokens', async () => {
    const Bucket = `paging-${uniqueSuffix()}`;
    await client.send(new CreateBucketCommand({ Bucket }));
    for (let i = 0; i < 5; i++) await client.send(new PutObjectCommand({ Bucket, Key: `k${i}`, Body: 'x' }));
    const first = await client.send(new ListObjectsV2Command({ Bucket, MaxKeys: 2 }));
    assert.equal(first.KeyCount, 2);
    assert.ok(first.NextContinuationToken);
    const second = await client.send(new ListObjectsV2Command({ Bucket, MaxKeys: 2, ContinuationToken: first.NextContinuationToken }));
    assert.deepEqual(
      second.Contents?.map((c) => c.Key),
      ['k2', 'k3'],
    );
  });
});
