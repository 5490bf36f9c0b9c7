// Parquet through the whole path: a Parquet object (a 1,000-row fixture written by DuckDB) under an S3 prefix,
// its schema inferred by Ferry from the footer (hyparquet range reads), the DDL run on the
// stand-in, and the table read back. Plus hostile input: odd names, bad tokens, a wrong host.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AthenaClient, GetQueryResultsCommand, ListWorkGroupsCommand } from '@aws-sdk/client-athena';
import { inferTableFromPrefix } from '../../../src/aws/athena/inferTable';
import { AthenaService } from '../../../src/aws/athena/service';
import { createTableDdl, previewSql } from '../../../src/aws/athena/tableDdl';
import { classifyError } from '../../../src/core/errors';
import { athenaFixture, AthenaFixture } from './fixture';

/** Source-tree fixture (the tests run from out/test/integration/athena). */
const PARQUET_FIXTURE = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'integration', 'athena', 'fixtures', 'metrics.parquet');

describe('athena: Parquet tables and hostile input', function () {
  this.timeout(120_000);
  let fx: AthenaFixture;
  let svc: AthenaService;

  before(async () => {
    fx = await athenaFixture();
    svc = new AthenaService(
      () => ({ athena: fx.athenaClient, s3: async () => fx.s3Client }),
      () => ({ workGroup: 'primary', outputLocation: fx.output, catalog: 'AwsDataCatalog' }),
    );
    await fx.put('metrics/part-0.parquet', fs.readFileSync(PARQUET_FIXTURE));
  });
  after(async () => fx?.stop());

  it('infers a Parquet schema from the footer, creates the table and reads it', async () => {
    const inferred = await inferTableFromPrefix(fx.s3Client, { bucket: fx.bucket, prefix: 'metrics/', database: fx.database });
    assert.equal(inferred.format, 'parquet');
    const ddl = createTableDdl(inferred);
    assert.match(ddl, /`id` bigint,\n {2}`label` string,\n {2}`ratio` double,\n {2}`even` boolean,\n {2}`day` date/);
    assert.match(ddl, /STORED AS PARQUET/);
    await svc.run(ddl.replace(/;\s*$/, ''), { database: fx.database });
    const q = await svc.run(`SELECT count(*) AS n, sum(id) AS s, max(day) AS last FROM metrics`, { database: fx.database });
    const rows = svc.rows(q);
    await rows.open();
    assert.deepEqual(await rows.getRows(0, 1), [[1000, 499500, '2026-11-25']]);
    assert.ok((q.Statistics?.DataScannedInBytes ?? 0) > 1000);
  });

  it('handles odd table and column names quoted in queries', async () => {
    await fx.put('odd/x.csv', 'a\n1\n');
    await svc.run(
      `CREATE EXTERNAL TABLE \`odd-name\` (\`select\` int) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://${fx.bucket}/odd/' TBLPROPERTIES ('skip.header.line.count'='1')`,
      { database: fx.database },
    );
    const q = await svc.run(previewSql(fx.database, 'odd-name'), { database: fx.database });
    const rows = svc.rows(q);
    assert.deepEqual(
      (await rows.open()).map((c) => c.name),
      ['select'],
    );
    assert.deepEqual(await rows.getRows(0, 5), [[1]]);
  });

  it('rejects a forged NextToken and an unknown query id', async () => {
    const q = await svc.run('SELECT 1 AS one', { database: fx.database });
    await assert.rejects(
      fx.athenaClient.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId, NextToken: 'not-a-token' })),
      (e: Error) => e.name === 'InvalidRequestException',
    );
    const other = Buffer.from(JSON.stringify({ q: 'someone-else', o: 0 })).toString('base64url');
    await assert.rejects(fx.athenaClient.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId, NextToken: other })), /not valid/);
    await assert.rejects(svc.get('00000000-0000-0000-0000-000000000000'), (e: Error) => e.name === 'InvalidRequestException');
  });

  it('reports an unreachable endpoint as a network problem', async () => {
    const dead = new AthenaClient({
      endpoint: 'http://127.0.0.1:1',
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
    const err = await dead.send(new ListWorkGroupsCommand({})).catch((e: unknown) => e);
    dead.destroy();
    assert.equal(classifyError(err).kind, 'network');
  });
});
