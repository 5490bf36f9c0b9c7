// Athena in one region, its result bucket in another (ferry.athena.region eu-west-1, the
// connection's region us-east-1, results in eu-west-1). The S3 stand-in answers a request signed
// for the wrong region as S3 does (301 PermanentRedirect with x-amz-bucket-region). Sorting,
// filtering and exporting a result read the whole CSV result object from S3: through the one
// AWS client factory that read finds the bucket's region, where Athena's own S3 client did not.
import assert from 'node:assert/strict';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { AwsClients } from '../../../src/aws/clients';
import { AwsConnection } from '../../../src/aws/connection';
import { AthenaService } from '../../../src/aws/athena/service';
import { csvHeader, csvLines } from '../../../src/results/serialize';
import { TableStore } from '../../../src/results/tableStore';
import type { ResultCell } from '../../../src/results/model';
import { athenaStandIn, AthenaEndpoint, s3StandIn, S3Endpoint, uniqueSuffix } from '../standIns';

describe('Athena with its result bucket in another region', function () {
  this.timeout(120_000);
  let s3: S3Endpoint;
  let athena: AthenaEndpoint;
  let clients: AwsClients;
  const results = `ferry-results-eu-${uniqueSuffix()}`;

  before(async () => {
    s3 = await s3StandIn();
    athena = await athenaStandIn(s3);
    const credentials = async () => ({ accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey });
    // The bucket is made in eu-west-1, as a user of that region would.
    const eu = new S3Client({ endpoint: s3.endpoint, region: 'eu-west-1', credentials, forcePathStyle: true });
    await eu.send(new CreateBucketCommand({ Bucket: results, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    eu.destroy();
    const conn: AwsConnection = { region: 'us-east-1', athenaRegion: 'eu-west-1', credentials, s3Endpoint: s3.endpoint, athenaEndpoint: athena.endpoint };
    clients = new AwsClients({ current: () => conn, onDidChange: () => ({ dispose() {} }) }, { checksum: 'WHEN_SUPPORTED', forcePathStyle: true });
  });
  after(async () => {
    clients?.dispose();
    await athena?.stop();
    await s3?.stop();
  });

  it('the S3 stand-in answers a request in the wrong region with 301 PermanentRedirect and x-amz-bucket-region', async () => {
    const us = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      forcePathStyle: true,
      followRegionRedirects: false,
    });
    const err = await us.send(new ListObjectsV2Command({ Bucket: results })).then(
      () => assert.fail('a us-east-1 request to an eu-west-1 bucket succeeded'),
      (e: unknown) => e as { name?: string; $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string> } },
    );
    us.destroy();
    assert.equal(err.$metadata?.httpStatusCode, 301);
    assert.equal(err.name, 'PermanentRedirect');
    assert.equal(err.$response?.headers?.['x-amz-bucket-region'], 'eu-west-1');
  });

  it('sorts, filters and exports an Athena result whose object is in the other region', async () => {
    const svc = new AthenaService(
      () => ({ athena: clients.athena(), s3: (bucket) => clients.forBucket(bucket) }),
      () => ({ workGroup: 'primary', outputLocation: `s3://${results}/out/`, catalog: 'AwsDataCatalog' }),
    );
    const q = await svc.run("SELECT i AS n, CASE WHEN i % 3 = 0 THEN 'fizz' ELSE 'n' || CAST(i AS VARCHAR) END AS label FROM range(3000) t(i)", {
      pollMs: { first: 20, max: 100 },
    });
    assert.match(q.ResultConfiguration?.OutputLocation ?? '', new RegExp(`^s3://${results}/`));
    const source = svc.rows(q);
    const columns = await source.open();
    // The whole result, from the CSV object in eu-west-1 (what sort, filter and export read).
    const all: ResultCell[][] = [];
    for await (const batch of source.allRows!()) all.push(...batch);
    assert.equal(all.length, 3000);
    const store = new TableStore({ kind: 'table', columns, rows: all });
    await store.setSort({ column: 0, direction: 'desc' });
    assert.deepEqual(await store.getRows(0, 2), [
      [2999, 'n2999'],
      [2998, 'n2998'],
    ]);
    await store.setFilter('fizz');
    assert.equal(store.rowCount(), 1000);
    assert.deepEqual((await store.getRows(0, 1))[0], [2997, 'fizz']);
    let csv = csvHeader(store.columns);
    for await (const chunk of store.allRows()) csv += csvLines(chunk);
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines.length, 1001);
    assert.equal(lines[0], 'n,label');
    assert.equal(lines[1], '2997,fizz');
  });
});
