// Requests that are safe to send again are sent again when their answer is cut off mid-body: an
// S3 download (the half-written part file is thrown away, a GET changes nothing) and an Athena
// call (reads, and StartQueryExecution with its ClientRequestToken, which returns the same query).
// Found by the fault suite, where each cut answer failed the user's whole download or query.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { AthenaService } from '../../../src/aws/athena/service';
import { downloadKeys } from '../../../src/aws/s3/transfer';
import { createBucket, serviceFor } from '../s3/helpers';
import { adminCall, AthenaEndpoint, athenaStandIn, S3Endpoint, s3StandIn, scratchDir, uniqueSuffix } from '../standIns';
import { seedHittingOnlyTheFirst } from './seeds';

describe('answers cut off mid-body: sent again when that is safe', function () {
  this.timeout(60_000);
  let s3: S3Endpoint;
  let athena: AthenaEndpoint;
  const bucket = `ferry-cut-${uniqueSuffix()}`;
  const body = crypto.randomBytes(400_000);
  const stats = async (root: string, token: string) =>
    ((await adminCall(root, token, 'GET', '/seeded-faults')) as { stats: { requests: number; injected: Record<string, number> } }).stats;

  before(async () => {
    s3 = await s3StandIn();
    athena = await athenaStandIn(s3);
    const svc = serviceFor(s3.endpoint);
    await createBucket(svc.clients.client(), bucket);
    await svc.putBytes(bucket, 'data/big.bin', body);
  });
  afterEach(async () => {
    await adminCall(`${s3.endpoint}/__admin`, s3.adminToken, 'DELETE', '/seeded-faults');
    await adminCall(athena.admin, athena.adminToken, 'DELETE', '/seeded-faults');
  });
  after(async () => {
    await athena?.stop();
    await s3?.stop();
  });

  it('a download whose body is cut off once is fetched again and lands whole', async () => {
    await adminCall(`${s3.endpoint}/__admin`, s3.adminToken, 'POST', '/seeded-faults', {
      seed: seedHittingOnlyTheFirst(0.5),
      rates: { resetDuring: 0.5 },
      match: `^GET /${bucket}/data/big\\.bin$`,
    });
    const dir = scratchDir('cut-dl');
    const r = await downloadKeys(serviceFor(s3.endpoint), bucket, 'data/', [{ key: 'data/big.bin', size: body.length }], dir, {
      concurrency: 1,
      partSizeBytes: 5 * 1024 * 1024,
    });
    assert.deepEqual(r.failed, []);
    assert.deepEqual(r.done, ['data/big.bin']);
    assert.ok(fs.readFileSync(path.join(dir, 'big.bin')).equals(body), "the bytes are the object's");
    assert.deepEqual(fs.readdirSync(dir), ['big.bin'], 'no part file left');
    const s = await stats(`${s3.endpoint}/__admin`, s3.adminToken);
    assert.deepEqual([s.requests, s.injected.resetDuring], [2, 1], 'one cut answer, then one whole');
  });

  it('an Athena answer cut off once is asked for again, and the query runs once', async () => {
    const client = new AthenaClient({
      endpoint: athena.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      maxAttempts: 2,
    });
    const aws = serviceFor(s3.endpoint);
    const svc = new AthenaService(
      () => ({ athena: client, s3: async () => aws.clients.client() }),
      () => ({ workGroup: 'primary', outputLocation: `s3://${bucket}/results/`, catalog: 'AwsDataCatalog' }),
    );
    const tag = `cut_${uniqueSuffix()}`;
    // The first request is StartQueryExecution: it is carried out, and its answer is cut off.
    await adminCall(athena.admin, athena.adminToken, 'POST', '/seeded-faults', { seed: seedHittingOnlyTheFirst(0.5, 3), rates: { truncated: 0.5 } });
    const q = await svc.run(`SELECT 1 AS ${tag}`, { pollMs: { first: 20, max: 50 } });
    await adminCall(athena.admin, athena.adminToken, 'DELETE', '/seeded-faults');
    assert.equal(q.Status?.State, 'SUCCEEDED');
    const { QueryExecutionIds = [] } = await svc.athena.send(new (await import('@aws-sdk/client-athena')).ListQueryExecutionsCommand({ WorkGroup: 'primary' }));
    const { QueryExecutions = [] } = await svc.athena.send(new (await import('@aws-sdk/client-athena')).BatchGetQueryExecutionCommand({ QueryExecutionIds }));
    assert.equal(QueryExecutions.filter((e) => e.Query?.includes(tag)).length, 1, 'one query on Athena');
    client.destroy();
  });
});
