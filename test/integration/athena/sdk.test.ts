// The Athena stand-in driven by @aws-sdk/client-athena, the client the extension uses: the header
// row rule, NULLs, paging, partitions, catalog calls, idempotency, cancel, failures and faults.
import assert from 'node:assert/strict';
import {
  BatchGetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetQueryResultsCommandOutput,
  GetTableMetadataCommand,
  ListDatabasesCommand,
  ListDataCatalogsCommand,
  ListQueryExecutionsCommand,
  ListTableMetadataCommand,
  ListWorkGroupsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  GetQueryExecutionCommand,
  AthenaClient,
} from '@aws-sdk/client-athena';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { athenaFixture, AthenaFixture, peopleCsv } from './fixture';

function values(out: GetQueryResultsCommandOutput): Array<Array<string | undefined>> {
  return (out.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue));
}

describe('athena stand-in with @aws-sdk/client-athena', function () {
  this.timeout(120_000);
  let fx: AthenaFixture;

  before(async () => {
    fx = await athenaFixture();
    await fx.put('people/part-0.csv', peopleCsv(20));
    const created = await fx.run(
      `CREATE EXTERNAL TABLE people (id bigint, name string, score double)
       ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
       LOCATION 's3://${fx.bucket}/people/'
       TBLPROPERTIES ('skip.header.line.count'='1')`,
    );
    assert.equal(created.Status?.State, 'SUCCEEDED', created.Status?.StateChangeReason);
  });
  after(async () => fx?.stop());

  it('puts the header row only on the first page of a SELECT, with values as strings and NULLs without VarCharValue', async () => {
    const q = await fx.run('SELECT id, name, score FROM people ORDER BY id');
    assert.equal(q.Status?.State, 'SUCCEEDED', q.Status?.StateChangeReason);
    assert.equal(q.StatementType, 'DML');
    assert.ok((q.Statistics?.DataScannedInBytes ?? 0) > 0, 'data scanned is reported');
    const first = await fx.athenaClient.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId, MaxResults: 5 }));
    assert.deepEqual(values(first)[0], ['id', 'name', 'score']);
    assert.deepEqual(values(first)[1], ['1', 'name 1', '1.5']);
    assert.equal(values(first).length, 5);
    assert.deepEqual(
      first.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => [c.Name, c.Type]),
      [
        ['id', 'bigint'],
        ['name', 'varchar'],
        ['score', 'double'],
      ],
    );
    const second = await fx.athenaClient.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId, MaxResults: 5, NextToken: first.NextToken }));
    assert.deepEqual(values(second)[0], ['5', 'name 5', '7.5'], 'no header on page 2');
    const all = await fx.athenaClient.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId }));
    const row7 = all.ResultSet!.Rows![7].Data!;
    assert.equal(row7[0].VarCharValue, '7');
    assert.equal(row7[1].VarCharValue, 'name 7');
    assert.ok(!('VarCharValue' in row7[2]), 'NULL is a Datum without VarCharValue');
    assert.equal(all.NextToken, undefined);
  });

  it('has no header row for DDL, SHOW and DESCRIBE', async () => {
    const show = await fx.run('SHOW TABLES');
    assert.equal(show.StatementType, 'UTILITY');
    const tables = await fx.athenaClient.send(new GetQueryResultsCommand({ QueryExecutionId: show.QueryExecutionId }));
    assert.deepEqual(values(tables), [['people']], 'first row is real data, not a header');
    const desc = await fx.run('DESCRIBE people');
    const d = values(await fx.athenaClient.send(new GetQueryResultsCommand({ QueryExecutionId: desc.QueryExecutionId })));
    assert.equal(d.length, 3);
    assert.match(d[0][0] ?? '', /^id\s+\tbigint/);
    const ddl = await fx.run(`CREATE EXTERNAL TABLE IF NOT EXISTS people (id bigint) LOCATION 's3://${fx.bucket}/people/'`);
    assert.equal(ddl.StatementType, 'DDL');
    const none = await fx.athenaClient.send(new GetQueryResultsCommand({ QueryExecutionId: ddl.QueryExecutionId }));
    assert.deepEqual(values(none), []);
  });

  it('writes <id>.csv and .metadata to the output location', async () => {
    const q = await fx.run(`SELECT id, score, 'say "hi"' AS q FROM people WHERE id IN (6, 7) ORDER BY id`);
    assert.equal(q.ResultConfiguration?.OutputLocation, `${fx.output}${q.QueryExecutionId}.csv`);
    const obj = await fx.s3Client.send(new GetObjectCommand({ Bucket: fx.resultsBucket, Key: `results/${q.QueryExecutionId}.csv` }));
    assert.equal(await obj.Body!.transformToString(), '"id","score","q"\n"6","9.0","say ""hi"""\n"7",,"say ""hi"""\n');
    const meta = await fx.s3Client.send(new GetObjectCommand({ Bucket: fx.resultsBucket, Key: `results/${q.QueryExecutionId}.csv.metadata` }));
    assert.match(await meta.Body!.transformToString(), /"bigint"/);
  });

  it('reads JSON lines with key=value partitions (skipping _SUCCESS) and TSV with a header to skip', async () => {
    await fx.put('events/dt=2024-01-01/a.json', '{"kind":"a","n":1}\n{"kind":"b"}\n');
    await fx.put('events/dt=2024-01-02/b.json', '{"kind":"c","n":3}\n');
    await fx.put('events/_SUCCESS', '');
    const c = await fx.run(`CREATE EXTERNAL TABLE events (kind string, n int) PARTITIONED BY (dt string)
      ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://${fx.bucket}/events/'`);
    assert.equal(c.Status?.State, 'SUCCEEDED', c.Status?.StateChangeReason);
    const q = await fx.run("SELECT dt, kind, n FROM events WHERE dt = '2024-01-01' ORDER BY kind");
    assert.equal(q.Status?.State, 'SUCCEEDED', q.Status?.StateChangeReason);
    const rows = values(await fx.athenaClient.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId })));
    assert.deepEqual(rows, [
      ['dt', 'kind', 'n'],
      ['2024-01-01', 'a', '1'],
      ['2024-01-01', 'b', undefined],
    ]);
    await fx.put('tsv/x.tsv', 'a\tb\n1\tx y\n');
    const t = await fx.run(
      `CREATE EXTERNAL TABLE tabbed (a int, b string) ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' LOCATION 's3://${fx.bucket}/tsv/' TBLPROPERTIES ('skip.header.line.count'='1')`,
    );
    assert.equal(t.Status?.State, 'SUCCEEDED', t.Status?.StateChangeReason);
    const tq = await fx.run(`SELECT * FROM "${fx.database}"."tabbed"`);
    assert.deepEqual(values(await fx.athenaClient.send(new GetQueryResultsCommand({ QueryExecutionId: tq.QueryExecutionId }))), [
      ['a', 'b'],
      ['1', 'x y'],
    ]);
  });

  it('pages a 100,000-row result 1,000 rows at a time and rejects MaxResults over 1000', async () => {
    const q = await fx.run('SELECT i AS n, CAST(i AS VARCHAR) AS s FROM range(100000) t(i)');
    assert.equal(q.Status?.State, 'SUCCEEDED', q.Status?.StateChangeReason);
    let token: string | undefined;
    let rows = 0;
    let pages = 0;
    let last: string | undefined;
    do {
      const out = await fx.athenaClient.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId, NextToken: token }));
      const page = values(out);
      rows += page.length;
      last = page[page.length - 1]?.[0];
      token = out.NextToken;
      pages++;
    } while (token);
    assert.equal(rows, 100_001, '100,000 rows plus one header');
    assert.equal(pages, 101);
    assert.equal(last, '99999');
    await assert.rejects(
      fx.athenaClient.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId, MaxResults: 5000 })),
      (e: Error) => e.name === 'InvalidRequestException' || /MaxResults|maxResults|1000/.test(e.message),
    );
  });

  it('cancels a running query with StopQueryExecution', async () => {
    await fx.admin('/timings', 'POST', { minRunningMs: 5000 });
    try {
      const { QueryExecutionId } = await fx.athenaClient.send(
        new StartQueryExecutionCommand({
          QueryString: 'SELECT 1',
          QueryExecutionContext: { Database: fx.database },
          ResultConfiguration: { OutputLocation: fx.output },
        }),
      );
      let state: string | undefined;
      for (let i = 0; i < 50 && state !== 'RUNNING'; i++) {
        state = (await fx.athenaClient.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution?.Status?.State;
        if (state !== 'RUNNING') await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(state, 'RUNNING');
      await fx.athenaClient.send(new StopQueryExecutionCommand({ QueryExecutionId }));
      const q = (await fx.athenaClient.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution;
      assert.equal(q?.Status?.State, 'CANCELLED');
      await assert.rejects(fx.athenaClient.send(new GetQueryResultsCommand({ QueryExecutionId })), /CANCELLED/);
    } finally {
      await fx.admin('/timings', 'POST', {});
    }
  });

  it('fails a bad query with Athena-style messages', async () => {
    const col = await fx.run('SELECT nope FROM people');
    assert.equal(col.Status?.State, 'FAILED');
    assert.match(col.Status?.StateChangeReason ?? '', /^COLUMN_NOT_FOUND: .*nope/);
    assert.equal(col.Status?.AthenaError?.ErrorCategory, 2);
    const table = await fx.run('SELECT * FROM missing_table');
    assert.match(table.Status?.StateChangeReason ?? '', /TABLE_NOT_FOUND/);
    const syntax = await fx.run('SELEC 1');
    assert.equal(syntax.Status?.State, 'FAILED');
    const noOutput = fx.athenaClient.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1' }));
    await assert.rejects(noOutput, (e: Error) => e.name === 'InvalidRequestException' && /output location/i.test(e.message));
  });

  it('keeps ClientRequestToken idempotent', async () => {
    const token = `tok-${'x'.repeat(40)}-${Date.now()}`;
    const input = {
      QueryString: 'SELECT 42',
      ClientRequestToken: token,
      QueryExecutionContext: { Database: fx.database },
      ResultConfiguration: { OutputLocation: fx.output },
    };
    const a = await fx.athenaClient.send(new StartQueryExecutionCommand(input));
    const b = await fx.athenaClient.send(new StartQueryExecutionCommand(input));
    assert.equal(a.QueryExecutionId, b.QueryExecutionId);
    await assert.rejects(fx.athenaClient.send(new StartQueryExecutionCommand({ ...input, QueryString: 'SELECT 43' })), /Idempotent/);
  });

  it('serves catalogs, databases, paged table metadata, workgroups and history', async () => {
    const cats = await fx.athenaClient.send(new ListDataCatalogsCommand({}));
    assert.equal(cats.DataCatalogsSummary?.[0].CatalogName, 'AwsDataCatalog');
    const dbs = await fx.athenaClient.send(new ListDatabasesCommand({ CatalogName: 'AwsDataCatalog' }));
    assert.ok(dbs.DatabaseList?.some((d) => d.Name === fx.database));
    const p1 = await fx.athenaClient.send(new ListTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: fx.database, MaxResults: 1 }));
    assert.equal(p1.TableMetadataList?.length, 1);
    assert.ok(p1.NextToken);
    const meta = await fx.athenaClient.send(new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: fx.database, TableName: 'events' }));
    assert.deepEqual(
      meta.TableMetadata?.PartitionKeys?.map((k) => k.Name),
      ['dt'],
    );
    assert.ok(meta.TableMetadata?.CreateTime instanceof Date, 'timestamps are epoch seconds the SDK parses');
    await assert.rejects(
      fx.athenaClient.send(new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: fx.database, TableName: 'nope' })),
      /MetadataException|not found/,
    );
    const wgs = await fx.athenaClient.send(new ListWorkGroupsCommand({}));
    assert.ok(wgs.WorkGroups?.some((w) => w.Name === 'primary'));
    const hist = await fx.athenaClient.send(new ListQueryExecutionsCommand({ MaxResults: 5 }));
    assert.equal(hist.QueryExecutionIds?.length, 5);
    const batch = await fx.athenaClient.send(new BatchGetQueryExecutionCommand({ QueryExecutionIds: [...hist.QueryExecutionIds!, 'not-a-query'] }));
    assert.equal(batch.QueryExecutions?.length, 5);
    assert.equal(batch.UnprocessedQueryExecutionIds?.[0].QueryExecutionId, 'not-a-query');
  });

  it('answers throttling and 500 faults as Athena does, and rejects unknown access keys', async () => {
    await fx.admin('/faults', 'POST', [
      { operation: 'GetQueryExecution', kind: 'throttle', count: 1 },
      { operation: 'ListWorkGroups', kind: 'error500', count: 1 },
    ]);
    const q = await fx.run('SELECT 1').catch((e: Error) => e);
    assert.ok(q instanceof Error && q.name === 'TooManyRequestsException', `expected throttling, got ${String(q)}`);
    await assert.rejects(fx.athenaClient.send(new ListWorkGroupsCommand({})), (e: Error) => e.name === 'InternalServerException');
    const stranger = new AthenaClient({
      endpoint: fx.athena.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAWRONG', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await assert.rejects(stranger.send(new ListWorkGroupsCommand({})), (e: Error) => e.name === 'UnrecognizedClientException');
    stranger.destroy();
    const log = (await fx.admin('/requests')) as { requests: Array<{ operation: string }> };
    assert.ok(log.requests.some((r) => r.operation === 'GetQueryResults'));
  });
});
