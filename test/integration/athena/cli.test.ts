// Debian's AWS CLI (/usr/bin/aws) as an independent client of the Athena stand-in: its botocore
// models, signing and paginators, not ours. start-query-execution, get-query-execution and
// get-query-results, all with --endpoint-url.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { athenaFixture, AthenaFixture, peopleCsv } from './fixture';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';

describe('athena stand-in with the AWS CLI', function () {
  this.timeout(120_000);
  let fx: AthenaFixture;
  let env: NodeJS.ProcessEnv;

  async function aws(...args: string[]): Promise<Record<string, unknown>> {
    const { stdout } = await run(AWS, ['athena', ...args, '--endpoint-url', fx.athena.endpoint, '--region', 'us-east-1', '--output', 'json'], {
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  }

  async function query(sql: string): Promise<{ id: string; state: string; reason?: string }> {
    const started = await aws(
      'start-query-execution',
      '--query-string',
      sql,
      '--query-execution-context',
      `Database=${fx.database}`,
      '--result-configuration',
      `OutputLocation=${fx.output}`,
    );
    const id = String(started.QueryExecutionId);
    for (let i = 0; i < 60; i++) {
      const got = (await aws('get-query-execution', '--query-execution-id', id)) as {
        QueryExecution: { Status: { State: string; StateChangeReason?: string } };
      };
      const state = got.QueryExecution.Status.State;
      if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(state)) return { id, state, reason: got.QueryExecution.Status.StateChangeReason };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('query did not finish');
  }

  type Rows = { ResultSet: { Rows: Array<{ Data: Array<{ VarCharValue?: string }> }> }; NextToken?: string };

  before(async () => {
    assert.ok(fs.existsSync(AWS), 'Debian AWS CLI missing: apt-get install awscli');
    fx = await athenaFixture();
    env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: fx.s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: fx.s3.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    };
    await fx.put('cli/people.csv', peopleCsv(2500));
    const created = await fx.run(
      `CREATE EXTERNAL TABLE people (id bigint, name string, score double) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://${fx.bucket}/cli/' TBLPROPERTIES ('skip.header.line.count'='1')`,
    );
    assert.equal(created.Status?.State, 'SUCCEEDED', created.Status?.StateChangeReason);
  });
  after(async () => fx?.stop());

  it('runs a SELECT: header on the first page only, NULLs without VarCharValue, pages with --max-items', async () => {
    const q = await query('SELECT id, score FROM people ORDER BY id');
    assert.equal(q.state, 'SUCCEEDED', q.reason);
    const first = (await aws('get-query-results', '--query-execution-id', q.id, '--max-items', '1000', '--page-size', '1000')) as Rows;
    const rows = first.ResultSet.Rows;
    assert.equal(rows.length, 1000);
    assert.deepEqual(rows[0].Data, [{ VarCharValue: 'id' }, { VarCharValue: 'score' }]);
    assert.deepEqual(rows[7].Data, [{ VarCharValue: '7' }, {}], 'NULL is a Datum without VarCharValue');
    assert.ok(first.NextToken, 'the CLI hands back a token for the next page');
    const second = (await aws(
      'get-query-results',
      '--query-execution-id',
      q.id,
      '--max-items',
      '1000',
      '--page-size',
      '1000',
      '--starting-token',
      first.NextToken!,
    )) as Rows;
    assert.equal(second.ResultSet.Rows[0].Data[0].VarCharValue, '1000', 'no header on the second page');
    const all = (await aws('get-query-results', '--query-execution-id', q.id)) as Rows;
    assert.equal(all.ResultSet.Rows.length, 2501, 'the CLI paginator collects every page');
  });

  it('runs DDL and SHOW with no header row', async () => {
    const q = await query('SHOW TABLES');
    assert.equal(q.state, 'SUCCEEDED', q.reason);
    const res = (await aws('get-query-results', '--query-execution-id', q.id)) as Rows;
    assert.deepEqual(
      res.ResultSet.Rows.map((r) => r.Data[0].VarCharValue),
      ['people'],
    );
    const ddl = await query(`CREATE EXTERNAL TABLE other (a string) LOCATION 's3://${fx.bucket}/other/'`);
    assert.equal(ddl.state, 'SUCCEEDED', ddl.reason);
    const empty = (await aws('get-query-results', '--query-execution-id', ddl.id)) as Rows;
    assert.deepEqual(empty.ResultSet.Rows, []);
  });

  it('reports a failing query with its reason, and cancels with stop-query-execution', async () => {
    const bad = await query('SELECT nope FROM people');
    assert.equal(bad.state, 'FAILED');
    assert.match(bad.reason ?? '', /COLUMN_NOT_FOUND/);
    await fx.admin('/timings', 'POST', { minRunningMs: 5000 });
    try {
      const started = await aws(
        'start-query-execution',
        '--query-string',
        'SELECT 1',
        '--query-execution-context',
        `Database=${fx.database}`,
        '--result-configuration',
        `OutputLocation=${fx.output}`,
      );
      const id = String(started.QueryExecutionId);
      await aws('stop-query-execution', '--query-execution-id', id);
      const got = (await aws('get-query-execution', '--query-execution-id', id)) as { QueryExecution: { Status: { State: string } } };
      assert.equal(got.QueryExecution.Status.State, 'CANCELLED');
    } finally {
      await fx.admin('/timings', 'POST', {});
    }
  });
});
