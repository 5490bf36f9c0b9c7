// Not a test file of the integration run (the name does not end in .test): deadStandIn.linux.test.ts runs
// it in a mocha of its own. The S3 stand-in is killed in the middle of the first test; the fixture
// must fail that test with the stand-in's last stderr lines, and every later test at once.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3StandIn, S3Endpoint, uniqueSuffix } from '../standIns';
import { createBucket } from '../s3/helpers';

describe('a suite whose S3 stand-in dies', function () {
  this.timeout(30_000);
  let s3: S3Endpoint;
  let client: S3Client;
  const bucket = `ferry-dead-${uniqueSuffix()}`;
  const marker = process.env.FERRY_DEAD_MARKER ?? 'marker';

  before(async () => {
    s3 = await s3StandIn();
    client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    await createBucket(client, bucket);
  });
  after(() => client?.destroy());

  it('first test: the stand-in is killed while it runs', async () => {
    // The stand-in logs the error it answers; that line must come back in the fixture's report.
    await client.send(new GetObjectCommand({ Bucket: bucket, Key: marker })).catch(() => undefined);
    // Never 0 or negative: process.kill would then signal a whole process group.
    if (!s3.pid || s3.pid <= 0) throw new Error(`the fixture names no stand-in pid (${String(s3.pid)})`);
    process.kill(s3.pid, 'SIGKILL');
    // Wait on the dead stand-in as a careless suite would: only the fixture can end this test.
    await new Promise(() => undefined);
  });

  it('second test: must not run against a dead stand-in', async () => {
    await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'anything' }));
  });
});
