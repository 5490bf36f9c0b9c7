// The Athena stand-in runs the user's SQL in DuckDB with external access off and its configuration
// locked: a query reads tables only through the S3 stand-in, never the machine's files, and cannot
// write, attach, install or switch the lock off (issue 14, hole 10). Each refused query ends
// FAILED with an Athena-shaped reason ("ERROR_NAME: message") and nothing of the file in it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetQueryResultsCommand } from '@aws-sdk/client-athena';
import { scratchDir } from '../standIns';
import { athenaFixture, AthenaFixture, peopleCsv } from './fixture';

describe('athena stand-in: DuckDB reads nothing but the S3 stand-in', function () {
  this.timeout(120_000);
  let fx: AthenaFixture;
  const dir = scratchDir('athena-lock');
  const marker = `ferry-secret-${Date.now()}`;
  const secret = path.join(dir, 'credentials');
  const written = path.join(dir, 'written.csv');

  before(async () => {
    fs.writeFileSync(secret, `[default]\naws_secret_access_key = ${marker}\n`);
    fs.writeFileSync(path.join(dir, 'secret.csv'), `a,b\n${marker},1\n`);
    fx = await athenaFixture();
    await fx.put('people/people.csv', peopleCsv(3));
    const made = await fx.run(
      `CREATE EXTERNAL TABLE people (id int, name string, score double) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://${fx.bucket}/people/' TBLPROPERTIES ('skip.header.line.count'='1')`,
    );
    assert.equal(made.Status?.State, 'SUCCEEDED', made.Status?.StateChangeReason);
  });
  after(async () => {
    await fx?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const refused = [
    `SELECT * FROM read_text('~/.aws/credentials')`,
    `SELECT * FROM read_text('${secret}')`,
    `SELECT * FROM read_blob('${secret}')`,
    `SELECT * FROM read_csv('${path.join(dir, 'secret.csv')}')`,
    `SELECT * FROM '${path.join(dir, 'secret.csv')}'`,
    `SELECT * FROM glob('${dir}/*')`,
    `SELECT * FROM read_parquet('/etc/passwd')`,
    `SELECT 1; COPY (SELECT 42) TO '${written}'`,
    `SELECT 1; SET enable_external_access = true`,
    `SELECT 1; ATTACH '${path.join(dir, 'x.duckdb')}' AS x`,
    `SELECT 1; INSTALL httpfs`,
    `SELECT 1; LOAD httpfs`,
    `SELECT * FROM duckdb_settings() WHERE name = 'enable_external_access' AND value = 'false' AND (SELECT 1 FROM read_text('${secret}')) = 1`,
  ];

  for (const sql of refused) {
    it(`fails, Athena-shaped: ${sql.replace(dir, '<tmp>').slice(0, 90)}`, async () => {
      const q = await fx.run(sql);
      const reason = q.Status?.StateChangeReason ?? '';
      assert.equal(q.Status?.State, 'FAILED', `ran: ${sql} (${reason})`);
      assert.match(reason, /^[A-Z][A-Z_]+: \S/, `not an Athena reason: ${reason}`);
      assert.ok(q.Status?.AthenaError?.ErrorMessage, 'no AthenaError');
      assert.ok(!reason.includes(marker), `the file's content reached the reason: ${reason}`);
      assert.ok(!fs.existsSync(written), 'COPY wrote a file');
      assert.ok(!fs.existsSync(path.join(dir, 'x.duckdb')), 'ATTACH made a file');
    });
  }

  it('stages a table whose keys climb with ../ without writing outside its staging folder', async () => {
    // S3 stores `t/a/b/../../../x.csv` verbatim (it stays inside the bucket); as a path under the
    // staging folder it would climb three levels, out of the stand-in's own folder.
    const escapeName = `escape-${marker}.csv`;
    await fx.put(`deep/a/b/../../../${escapeName}`, 'x\n');
    await fx.put('deep/a/b/ok.csv', '7\n');
    const made = await fx.run(`CREATE EXTERNAL TABLE deep (n int) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://${fx.bucket}/deep/a/b/'`);
    assert.equal(made.Status?.State, 'SUCCEEDED', made.Status?.StateChangeReason);
    const q = await fx.run('SELECT n FROM deep');
    assert.equal(q.Status?.State, 'SUCCEEDED', q.Status?.StateChangeReason);
    const res = await fx.athenaClient.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId }));
    assert.deepEqual(
      res.ResultSet?.Rows?.slice(1).map((r) => r.Data?.[0]?.VarCharValue),
      ['7'],
    );
    for (const d of [os.tmpdir(), path.dirname(os.tmpdir())])
      assert.ok(!fs.existsSync(path.join(d, escapeName)), `staged outside: ${path.join(d, escapeName)}`);
  });

  it('still answers queries over tables read through the S3 stand-in', async () => {
    const q = await fx.run('SELECT count(*) AS n, max(name) AS top FROM people');
    assert.equal(q.Status?.State, 'SUCCEEDED', q.Status?.StateChangeReason);
    const res = await fx.athenaClient.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId }));
    assert.deepEqual(
      res.ResultSet?.Rows?.[1]?.Data?.map((d) => d.VarCharValue),
      ['3', 'name 3'],
    );
  });
});
