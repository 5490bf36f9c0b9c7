// Ferry's Athena service against the stand-in: run with progress and cancel, the row source the
// result viewer pages (GetQueryResults on demand) and exports (one streamed GET of the CSV), the
// failure message a user sees, the workgroup's own output location, and DDL inferred from S3.
import assert from 'node:assert/strict';
import { S3Client } from '@aws-sdk/client-s3';
import { AthenaService, QueryFailedError } from '../../../src/aws/athena/service';
import { createTableDdl } from '../../../src/aws/athena/tableDdl';
import { inferTableFromPrefix } from '../../../src/aws/athena/inferTable';
import { classifyError } from '../../../src/core/errors';
import { athenaFixture, AthenaFixture, peopleCsv } from './fixture';

describe('athena service (Ferry) against the stand-in', function () {
  this.timeout(120_000);
  let fx: AthenaFixture;
  let svc: AthenaService;
  const outputSetting = '';

  before(async () => {
    fx = await athenaFixture();
    svc = new AthenaService(
      () => ({ athena: fx.athenaClient, s3: async () => fx.s3Client }),
      () => ({ workGroup: 'primary', outputLocation: outputSetting || fx.output, catalog: 'AwsDataCatalog' }),
    );
    await fx.put('svc/people.csv', peopleCsv(50));
    const q = await fx.run(
      `CREATE EXTERNAL TABLE people (id bigint, name string, score double) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://${fx.bucket}/svc/' TBLPROPERTIES ('skip.header.line.count'='1')`,
    );
    assert.equal(q.Status?.State, 'SUCCEEDED', q.Status?.StateChangeReason);
  });
  after(async () => fx?.stop());

  it('runs a query with progress and returns typed rows, NULLs kept, header dropped', async () => {
    const states: string[] = [];
    const q = await svc.run('SELECT id, name, score FROM people ORDER BY id', { database: fx.database, onProgress: (p) => states.push(p.state) });
    assert.equal(states.at(-1), 'SUCCEEDED');
    const rows = svc.rows(q);
    const cols = await rows.open();
    assert.deepEqual(
      cols.map((c) => [c.name, c.type]),
      [
        ['id', 'integer'],
        ['name', 'string'],
        ['score', 'number'],
      ],
    );
    const first = await rows.getRows(0, 8);
    assert.deepEqual(first[0], [1, 'name 1', 1.5]);
    assert.deepEqual(first[6], [7, 'name 7', null]);
    assert.equal(rows.rowCount(), 50);
  });

  it('pages 100,000 rows on demand and streams the same rows from the S3 result object', async () => {
    const q = await svc.run("SELECT i AS n, CASE WHEN i % 10 = 0 THEN NULL ELSE 'v' || CAST(i AS VARCHAR) END AS s FROM range(100000) t(i)", {
      database: fx.database,
    });
    const paged = svc.rows(q);
    await paged.open();
    const window = await paged.getRows(2500, 10);
    assert.equal(window[0][0], 2500);
    assert.equal(paged.requests, 3, 'only the pages up to the window were fetched');
    assert.equal(paged.rowCount(), undefined, 'total unknown until the last page');
    const last = await paged.getRows(99_990, 20);
    assert.equal(last.length, 10);
    assert.deepEqual(last.at(-1), [99_999, 'v99999']);
    assert.equal(paged.rowCount(), 100_000);

    const streamed = svc.rows(q);
    await streamed.open();
    let count = 0;
    let nulls = 0;
    let lastRow: unknown[] = [];
    for await (const batch of streamed.allRows!()) {
      count += batch.length;
      nulls += batch.filter((r) => r[1] === null).length;
      lastRow = batch.at(-1)!;
    }
    assert.equal(count, 100_000);
    assert.equal(nulls, 10_000);
    assert.deepEqual(lastRow, [99_999, 'v99999']);
    assert.equal(streamed.requests, 1, 'export made no further GetQueryResults calls');
  });

  it('cancels a running query when the signal aborts (StopQueryExecution)', async () => {
    await fx.admin('/timings', 'POST', { minRunningMs: 10_000 });
    try {
      const ctrl = new AbortController();
      let id = '';
      const running = svc.run('SELECT 1', {
        database: fx.database,
        signal: ctrl.signal,
        pollMs: { first: 50, max: 100 },
        onStarted: (x) => (id = x),
        onProgress: (p) => p.state === 'RUNNING' && ctrl.abort(),
      });
      await assert.rejects(running, (e: unknown) => classifyError(e).kind === 'cancelled');
      assert.equal((await svc.get(id)).Status?.State, 'CANCELLED');
    } finally {
      await fx.admin('/timings', 'POST', {});
    }
  });

  it("shows a failing query's message to the user", async () => {
    const err = await svc.run('SELECT missing_column FROM people', { database: fx.database }).catch((e: unknown) => e);
    assert.ok(err instanceof QueryFailedError);
    const shown = classifyError(err);
    assert.match(shown.message, /^Athena query failed: COLUMN_NOT_FOUND: .*missing_column/);
  });

  it('retries throttled calls and asks for an output location when neither workgroup nor setting has one', async () => {
    await fx.admin('/faults', 'POST', [{ operation: 'GetQueryExecution', kind: 'throttle', count: 2 }]);
    const q = await svc.run('SELECT 2 AS two', { database: fx.database });
    assert.equal(q.Status?.State, 'SUCCEEDED');
    const noOutput = new AthenaService(
      () => ({ athena: fx.athenaClient, s3: async () => fx.s3Client }),
      () => ({ workGroup: 'primary', outputLocation: '', catalog: 'AwsDataCatalog' }),
    );
    const err = await noOutput.run('SELECT 1').catch((e: unknown) => e);
    assert.equal(classifyError(err).kind, 'config');
    assert.match(classifyError(err).message, /ferry\.athena\.outputLocation/);
  });

  it("respects a workgroup's own output location over the setting", async () => {
    const own = `s3://${fx.resultsBucket}/team-results/`;
    await fx.admin('/workgroups', 'POST', { name: 'team', outputLocation: own });
    const team = new AthenaService(
      () => ({ athena: fx.athenaClient, s3: async () => fx.s3Client }),
      () => ({ workGroup: 'team', outputLocation: fx.output, catalog: 'AwsDataCatalog' }),
    );
    const q = await team.run('SELECT 1 AS one');
    assert.equal(q.WorkGroup, 'team');
    assert.equal(q.ResultConfiguration?.OutputLocation, `${own}${q.QueryExecutionId}.csv`);
    const rows = team.rows(q);
    await rows.open();
    const all: unknown[][] = [];
    for await (const batch of rows.allRows()) all.push(...batch);
    assert.deepEqual(all, [[1]]);
  });

  it('infers a table from a CSV prefix, creates it and queries it', async () => {
    await fx.put('infer/year=2024/part-1.csv', 'Order ID,amount,day,ok\n1,2.5,2024-01-01,true\n2,,2024-01-02,false\n');
    const s3: S3Client = fx.s3Client;
    const inferred = await inferTableFromPrefix(s3, { bucket: fx.bucket, prefix: 'infer/', database: fx.database });
    assert.equal(inferred.format, 'csv');
    assert.deepEqual(inferred.partitionKeys, ['year']);
    const ddl = createTableDdl(inferred);
    assert.match(ddl, /`order_id` bigint/);
    assert.match(ddl, /`amount` double/);
    assert.match(ddl, /PARTITIONED BY \(`year` string\)/);
    for (const statement of ddl
      .split(';')
      .map((s) => s.replace(/--[^\n]*/g, '').trim())
      .filter(Boolean)) {
      const q = await svc.run(statement, { database: fx.database });
      assert.equal(q.Status?.State, 'SUCCEEDED');
    }
    const q = await svc.run(`SELECT order_id, amount, year FROM ${inferred.table} ORDER BY order_id`, { database: fx.database });
    const rows = svc.rows(q);
    await rows.open();
    assert.deepEqual(await rows.getRows(0, 5), [
      [1, 2.5, '2024'],
      [2, null, '2024'],
    ]);
  });
});
