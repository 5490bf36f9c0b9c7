// What a user reads when an answer is cut off or a proxy answers instead of the service: the
// kernel's seeded faults at rate 1 on one route, met through Ferry's S3 and Athena services. Found
// by the fault suite (faults.linux.test.ts), where these came out as "aborted", "UnknownError" or
// the SDK's "Deserialization error: to see the raw response, inspect the hidden field…".
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AthenaService } from '../../../src/aws/athena/service';
import { downloadKeys, planUpload, uploadFiles } from '../../../src/aws/s3/transfer';
import { classifyError } from '../../../src/core/errors';
import { createBucket, serviceFor } from '../s3/helpers';
import { adminCall, AthenaEndpoint, athenaStandIn, S3Endpoint, s3StandIn, scratchDir, uniqueSuffix } from '../standIns';
import { isClearMessage } from './audit';

describe('messages when an answer is cut off or a proxy answers instead', function () {
  this.timeout(60_000);
  let s3: S3Endpoint;
  let athena: AthenaEndpoint;
  const bucket = `ferry-messages-${uniqueSuffix()}`;
  const s3Faults = (rates: Record<string, number>, match: string) =>
    adminCall(`${s3.endpoint}/__admin`, s3.adminToken, 'POST', '/seeded-faults', { seed: 1, rates, match });
  const opts = { concurrency: 2, partSizeBytes: 5 * 1024 * 1024 };

  before(async () => {
    s3 = await s3StandIn();
    athena = await athenaStandIn(s3);
    const svc = serviceFor(s3.endpoint);
    await createBucket(svc.clients.client(), bucket);
    await svc.putBytes(bucket, 'data/big.bin', Buffer.alloc(300_000, 7));
  });
  afterEach(async () => {
    await adminCall(`${s3.endpoint}/__admin`, s3.adminToken, 'DELETE', '/seeded-faults');
    await adminCall(athena.admin, athena.adminToken, 'DELETE', '/seeded-faults');
  });
  after(async () => {
    await athena?.stop();
    await s3?.stop();
  });

  it('a download whose body is cut off says the connection was cut, and leaves no file', async () => {
    await s3Faults({ resetDuring: 1 }, `^GET /${bucket}/data/big\\.bin$`);
    const dir = scratchDir('messages-dl');
    const r = await downloadKeys(serviceFor(s3.endpoint), bucket, 'data/', [{ key: 'data/big.bin', size: 300_000 }], dir, opts);
    assert.equal(r.failed.length, 1, JSON.stringify(r));
    const reason = r.failed[0].reason;
    assert.ok(isClearMessage(reason), `not a clear message: ${JSON.stringify(reason)}`);
    assert.match(reason, /connection was cut/i);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it("an upload that meets a proxy's HTML page says a proxy answered, not an XML parse error", async () => {
    await s3Faults({ htmlPage: 1 }, `^PUT /${bucket}/up/`);
    const dir = scratchDir('messages-up');
    fs.writeFileSync(path.join(dir, 'a.bin'), Buffer.alloc(1000, 1));
    const r = await uploadFiles(serviceFor(s3.endpoint), bucket, planUpload([path.join(dir, 'a.bin')], 'up/'), opts);
    assert.equal(r.failed.length, 1, JSON.stringify(r));
    const reason = r.failed[0].reason;
    assert.ok(isClearMessage(reason), `not a clear message: ${JSON.stringify(reason)}`);
    assert.match(reason, /proxy or gateway answered instead of the service \(HTTP 502/i);
  });

  it('a HEAD answered by a proxy (no body at all) names the status instead of "UnknownError"', async () => {
    await s3Faults({ htmlPage: 1 }, `^HEAD /${bucket}/data/big\\.bin$`);
    const err = await serviceFor(s3.endpoint)
      .head(bucket, 'data/big.bin')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(err, 'the HEAD succeeded through the fault');
    const message = classifyError(err).message;
    assert.ok(isClearMessage(message), `not a clear message: ${JSON.stringify(message)}`);
    assert.match(message, /HTTP 502/);
  });

  it("an Athena answer cut off mid-body says so, without the SDK's deserialization text", async () => {
    await adminCall(athena.admin, athena.adminToken, 'POST', '/seeded-faults', { seed: 1, rates: { truncated: 1 } });
    const aws = serviceFor(s3.endpoint, {});
    const { AthenaClient } = await import('@aws-sdk/client-athena');
    const client = new AthenaClient({
      endpoint: athena.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      maxAttempts: 2,
    });
    const svc = new AthenaService(
      () => ({ athena: client, s3: async () => aws.clients.client() }),
      () => ({ workGroup: 'primary', outputLocation: `s3://${bucket}/results/`, catalog: 'AwsDataCatalog' }),
    );
    const err = await svc.run('SELECT 1').then(
      () => undefined,
      (e: unknown) => e,
    );
    client.destroy();
    assert.ok(err, 'the query succeeded through the fault');
    const message = classifyError(err).message;
    assert.ok(isClearMessage(message), `not a clear message: ${JSON.stringify(message)}`);
    assert.match(message, /connection was cut|cut off/i);
  });
});
