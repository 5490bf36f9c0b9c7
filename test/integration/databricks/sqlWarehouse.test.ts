// SQL warehouses and Statement Execution through Ferry's client, against the Databricks stand-in
// over real HTTP: warehouses start and stop through their states; a statement with an inline
// result; 1,000,000 rows through external links, paged as a grid pages them and exported, checked
// against what the stand-in's engine holds; cancel (also before the statement id is known); a
// failing statement (HTTP 200 + FAILED) with its message; an expired external link renewed; a
// result the warehouse no longer holds; the INLINE 25 MiB failure; transient faults retried.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { CancelledError } from '../../../src/core/errors';
import { DatabricksClient } from '../../../src/databricks/client';
import { DatabricksError } from '../../../src/databricks/errors';
import { StatementApi, StatementFailedError } from '../../../src/databricks/sql/statementApi';
import { StatementRunner } from '../../../src/databricks/sql/statementRunner';
import { WarehousesService } from '../../../src/databricks/sql/warehouses';
import { csvHeader, csvLines } from '../../../src/results/serialize';
import { TableStore } from '../../../src/results/tableStore';
import { generateCustomers } from '../../../sandbox/demo/data';
import { DEFAULT_WAREHOUSE_SEEDS } from '../../../sandbox/databricks/warehouses';
import { DatabricksEndpoint, databricksStandIn, scratchDir } from '../standIns';

const RUNNING_ID = DEFAULT_WAREHOUSE_SEEDS[0].id!;
const STOPPED_ID = DEFAULT_WAREHOUSE_SEEDS[1].id!;
const EVENTS = 'workspace.ferry_demo.events';

async function admin<T = unknown>(db: DatabricksEndpoint, method: 'GET' | 'POST', p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${db.admin}/${p}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${db.token}` },
  });
  return (await res.json()) as T;
}

async function engine(db: DatabricksEndpoint, sql: string): Promise<Array<Array<string | null>>> {
  return (await admin<{ rows: Array<Array<string | null>> }>(db, 'POST', 'sql/query', { sql })).rows;
}

async function served(db: DatabricksEndpoint, statementId: string): Promise<{ requests: number; bytes: number }> {
  const s = await admin<{ served: Record<string, { requests: number; bytes: number }> }>(db, 'GET', 'sql');
  return s.served[statementId] ?? { requests: 0, bytes: 0 };
}

async function counts(db: DatabricksEndpoint): Promise<Record<string, number>> {
  return (await admin<{ counts: Record<string, number> }>(db, 'GET', 'requests')).counts;
}

const sum = (c: Record<string, number>, part: string): number => Object.entries(c).reduce((n, [k, v]) => n + (k.includes(part) ? v : 0), 0);

describe('SQL warehouses and statements against the stand-in', function () {
  this.timeout(180_000);
  let db: DatabricksEndpoint;
  let client: DatabricksClient;
  let api: StatementApi;
  let runner: StatementRunner;
  const defaults = {
    timings: { minRunningMs: 0, cancelLagMs: 300, resultTtlMs: 3_600_000, linkTtlMs: 900_000 },
    limits: { inlineChunkBytes: 4 * 1024 * 1024, externalChunkBytes: 8 * 1024 * 1024, linkHeaders: true },
  };

  before(async () => {
    db = await databricksStandIn();
    client = new DatabricksClient({ host: db.url, token: db.token, retry: { jitterMs: 20, baseDelayMs: 100 } });
    api = new StatementApi(client);
    runner = new StatementRunner(api);
  });
  afterEach(async () => {
    await admin(db, 'POST', 'sql', defaults);
    await admin(db, 'POST', 'faults', {});
  });
  after(() => db.stop());

  it('lists warehouses and takes a stopped one through STARTING to RUNNING and back through STOPPING to STOPPED', async () => {
    const service = new WarehousesService(client);
    const all = await service.list();
    const stopped = all.find((w) => w.id === STOPPED_ID);
    assert.equal(stopped?.state, 'STOPPED', JSON.stringify(all.map((w) => [w.name, w.state])));
    assert.ok(all.some((w) => w.id === RUNNING_ID && w.state === 'RUNNING' && w.enable_serverless_compute === true));
    await service.start(STOPPED_ID);
    const seen = new Set<string>();
    for (let i = 0; i < 200 && (await service.get(STOPPED_ID)).state !== 'RUNNING'; i++) {
      seen.add(String((await service.get(STOPPED_ID)).state));
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.ok(seen.has('STARTING'), `states seen: ${[...seen].join(',')}`);
    assert.equal((await service.get(STOPPED_ID)).state, 'RUNNING');
    await service.stop(STOPPED_ID);
    assert.equal((await service.get(STOPPED_ID)).state, 'STOPPING');
    for (let i = 0; i < 200 && (await service.get(STOPPED_ID)).state !== 'STOPPED'; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal((await service.get(STOPPED_ID)).state, 'STOPPED');
    await assert.rejects(
      service.require('0000000000000000'),
      (e: unknown) => e instanceof DatabricksError && e.kind === 'notFound' && /no longer exists/.test(e.message),
    );
  });

  it('runs a statement with an inline result: the demo customers, typed', async () => {
    const out = await runner.run('SELECT * FROM customers ORDER BY customer_id', {
      warehouseId: RUNNING_ID,
      catalog: 'workspace',
      schema: 'ferry_demo',
      disposition: 'INLINE',
    });
    const expected = generateCustomers();
    assert.equal(out.totalRows, expected.length);
    assert.equal(out.disposition, 'INLINE');
    assert.deepEqual(
      out.columns.map((c) => `${c.name}:${c.type}`),
      ['customer_id:string', 'region:string', 'plan:string', 'tenure_months:integer', 'monthly_spend:number', 'support_calls:integer', 'churned:integer'],
    );
    const rows = await out.rows!.getRows(0, 3);
    const e = expected[0];
    assert.deepEqual(rows[0], [e.customer_id, e.region, e.plan, e.tenure_months, e.monthly_spend, e.support_calls, e.churned]);
    const last = (await out.rows!.getRows(expected.length - 1, 5))[0];
    assert.equal(last[0], expected[expected.length - 1].customer_id);
    assert.ok((out.totalBytes ?? 0) > 40_000 && (out.totalBytes ?? 0) < 200_000, `a one-chunk INLINE result is measured: ${out.totalBytes}`);
    assert.equal(out.manifest.total_byte_count, undefined, 'INLINE manifests carry no byte count');
  });

  it('AUTO fetches a statement that says it is small INLINE, and any other through external links', async () => {
    const small = await runner.run('SELECT * FROM workspace.ferry_demo.customers ORDER BY customer_id LIMIT 5', { warehouseId: RUNNING_ID });
    assert.equal(small.disposition, 'INLINE');
    assert.equal((await small.rows!.getRows(0, 10)).length, 5);
    const big = await runner.run('SELECT * FROM workspace.ferry_demo.customers ORDER BY customer_id', { warehouseId: RUNNING_ID });
    assert.equal(big.disposition, 'EXTERNAL_LINKS');
    assert.equal(big.totalRows, 1200);
  });

  it('runs a statement with named parameters and a 0-row and a DDL statement', async () => {
    const out = await runner.run('SELECT count(*) AS n FROM workspace.ferry_demo.customers WHERE plan = :plan AND tenure_months >= :months', {
      warehouseId: RUNNING_ID,
      parameters: [
        { name: 'plan', value: 'pro' },
        { name: 'months', value: '12', type: 'INT' },
      ],
    });
    const expected = generateCustomers().filter((c) => c.plan === 'pro' && c.tenure_months >= 12).length;
    assert.deepEqual(await out.rows!.getRows(0, 1), [[expected]]);
    const none = await runner.run(`SELECT * FROM ${EVENTS} WHERE event_id < 0`, { warehouseId: RUNNING_ID });
    assert.equal(none.totalRows, 0);
    assert.deepEqual(await none.rows!.getRows(0, 10), []);
    const ddl = await runner.run('CREATE OR REPLACE TABLE workspace.default.ferry_it_scratch (a INT)', { warehouseId: RUNNING_ID });
    assert.equal(ddl.rows, undefined, 'DDL has no result set');
  });

  it('pages 1,000,000 rows through external links chunk by chunk and exports them, matching what the engine holds', async () => {
    const out = await runner.run(`SELECT * FROM ${EVENTS} ORDER BY event_id`, { warehouseId: RUNNING_ID, waitTimeoutSeconds: 30 });
    assert.equal(out.totalRows, 1_000_000);
    assert.equal(out.disposition, 'EXTERNAL_LINKS');
    const rows = out.rows!;
    assert.ok(rows.chunkCount() > 3, `chunks: ${rows.chunkCount()}`);
    assert.ok((out.totalBytes ?? 0) > 50_000_000, `bytes: ${out.totalBytes}`);
    assert.equal((await served(db, out.statementId)).requests, 0, 'nothing is downloaded before the grid asks');

    // The first screen: one chunk.
    const first = await rows.getRows(0, 100);
    assert.equal(first.length, 100);
    assert.equal((await served(db, out.statementId)).requests, 1);
    // A jump to the end: the last chunk only.
    const end = await rows.getRows(999_950, 100);
    assert.equal(end.length, 50);
    assert.equal(end[49][0], 999_999);
    assert.equal((await served(db, out.statementId)).requests, 2);
    // A window across a chunk boundary, checked against the engine row by row.
    const boundary = rows.manifest.chunks![2].row_offset;
    const across = await rows.getRows(boundary - 2, 4);
    const truth = await engine(
      db,
      `SELECT event_id, customer_id, ts, kind, amount, note FROM ${EVENTS} WHERE event_id BETWEEN ${boundary - 2} AND ${boundary + 1} ORDER BY event_id`,
    );
    assert.deepEqual(
      across.map((r) => [String(r[0]), r[1], r[3], r[4], r[5]]),
      truth.map((r) => [r[0], r[1], r[3], r[4], r[5]]),
    );
    assert.match(String(across[0][2]), /^2026-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    // Export: every row streamed to a CSV file through the viewer's table store.
    const file = path.join(scratchDir('sql-export'), 'events.csv');
    const store = new TableStore({ kind: 'table', columns: out.columns, rows });
    const stream = fs.createWriteStream(file);
    stream.write(csvHeader(out.columns));
    for await (const chunk of store.allRows()) if (!stream.write(csvLines(chunk))) await new Promise<void>((r) => stream.once('drain', () => r()));
    await new Promise<void>((r) => stream.end(() => r()));
    let n = 0;
    let idSum = 0n;
    let cents = 0n;
    let nullNotes = 0;
    let ordered = true;
    const lines = readline.createInterface({ input: fs.createReadStream(file) });
    let header = true;
    for await (const line of lines) {
      if (header) {
        header = false;
        assert.equal(line, 'event_id,customer_id,ts,kind,amount,note');
        continue;
      }
      const cells = line.split(',');
      if (Number(cells[0]) !== n) ordered = false;
      n++;
      idSum += BigInt(cells[0]);
      cents += BigInt(Math.round(Number(cells[4]) * 100));
      if (cells[5] === '') nullNotes++;
    }
    const [[count, ids, amount, nulls]] = await engine(
      db,
      `SELECT count(*), sum(event_id), sum(amount * 100)::BIGINT, count(*) FILTER (WHERE note IS NULL) FROM ${EVENTS}`,
    );
    assert.equal(n, Number(count));
    assert.equal(idSum, BigInt(ids!));
    assert.equal(cents, BigInt(amount!));
    assert.equal(nullNotes, Number(nulls));
    assert.ok(ordered, 'rows come in order');
    const s = await served(db, out.statementId);
    assert.equal(s.requests, rows.chunkCount(), 'each chunk is downloaded once: the ones the grid holds are not fetched again');
  });

  it('cancels a running statement: /cancel, then polls to CANCELED', async () => {
    await admin(db, 'POST', 'sql', { timings: { minRunningMs: 20_000 } });
    const ctrl = new AbortController();
    let id = '';
    const states: string[] = [];
    const before = await counts(db);
    const started = Date.now();
    await assert.rejects(
      runner.run(`SELECT count(*) FROM ${EVENTS}`, {
        warehouseId: RUNNING_ID,
        waitTimeoutSeconds: 0,
        signal: ctrl.signal,
        onStarted: (s) => {
          id = s;
          setTimeout(() => ctrl.abort(), 300);
        },
        onProgress: (p) => states.push(p.state),
      }),
      (e: unknown) => e instanceof CancelledError,
    );
    assert.ok(Date.now() - started < 10_000, 'cancel does not wait for the statement to finish');
    assert.ok(states.includes('CANCELLING'), states.join(','));
    const after = await counts(db);
    assert.equal(
      (after[`POST /api/2.0/sql/statements/${id}/cancel`] ?? 0) - (before[`POST /api/2.0/sql/statements/${id}/cancel`] ?? 0),
      1,
      'one cancel request',
    );
    assert.ok((after[`GET /api/2.0/sql/statements/${id}`] ?? 0) >= 2, 'polled to the terminal state after the cancel');
    const r = await client.request<{ status: { state: string } }>('GET', `/api/2.0/sql/statements/${id}`);
    assert.equal(r.status.state, 'CANCELED');
  });

  it('cancels a statement whose execute request was still waiting, as soon as its id arrives', async () => {
    await admin(db, 'POST', 'sql', { timings: { minRunningMs: 20_000 } });
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 200);
    let id = '';
    await assert.rejects(
      runner.run(`SELECT 1 AS x`, { warehouseId: RUNNING_ID, waitTimeoutSeconds: 5, signal: ctrl.signal, onStarted: (s) => (id = s) }),
      (e: unknown) => e instanceof CancelledError,
    );
    assert.ok(id, 'the statement id was learnt from the execute answer');
    const r = await client.request<{ status: { state: string } }>('GET', `/api/2.0/sql/statements/${id}`);
    assert.equal(r.status.state, 'CANCELED');
  });

  it('reports a failing statement (HTTP 200 with FAILED) with the warehouse message and SQLSTATE', async () => {
    const raw = await fetch(`${db.url}/api/2.0/sql/statements`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${db.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ warehouse_id: RUNNING_ID, statement: 'SELECT * FROM no_such_table' }),
    });
    assert.equal(raw.status, 200);
    assert.equal(((await raw.json()) as { status: { state: string } }).status.state, 'FAILED');
    await assert.rejects(runner.run('SELECT * FROM no_such_table', { warehouseId: RUNNING_ID }), (e: unknown) => {
      assert.ok(e instanceof StatementFailedError, String(e));
      assert.equal(e.state, 'FAILED');
      assert.equal(e.sqlState, '42P01');
      assert.match(e.message, /\[TABLE_OR_VIEW_NOT_FOUND\] The table or view `no_such_table` cannot be found/);
      return true;
    });
  });

  it('fails an INLINE statement over 25 MiB with the real message', async () => {
    await assert.rejects(
      runner.run(`SELECT * FROM ${EVENTS}`, { warehouseId: RUNNING_ID, disposition: 'INLINE', waitTimeoutSeconds: 30 }),
      (e: unknown) => e instanceof StatementFailedError && /Inline byte limit exceeded.*at most 26214400 bytes/.test(e.message),
    );
  });

  it('renews an external link the storage refuses as expired, and refuses a link sent with a token', async () => {
    await admin(db, 'POST', 'sql', { timings: { linkTtlMs: 1000 } });
    // The client's clock says the links are fresh, so it tries them and meets the storage's answer.
    const out = await runner.run(`SELECT * FROM ${EVENTS} WHERE event_id < 300000 ORDER BY event_id`, {
      warehouseId: RUNNING_ID,
      waitTimeoutSeconds: 30,
      rowSource: { expiryMarginMs: 0, now: () => 0 },
    });
    const first = out.rows!;
    await new Promise((r) => setTimeout(r, 2100));
    // Links made from now on live as long as usual, so the renewed one is still good when it is used
    // (on a loaded machine a 1 s link could expire again before its download starts).
    await admin(db, 'POST', 'sql', defaults);
    const before = await counts(db);
    const rows = await first.getRows(0, 5);
    assert.deepEqual(
      rows.map((r) => r[0]),
      [0, 1, 2, 3, 4],
    );
    assert.equal(first.renewedLinks, 1);
    const after = await counts(db);
    assert.equal(
      sum(after, `/__ext/sql-results/${out.statementId}/0`) - sum(before, `/__ext/sql-results/${out.statementId}/0`),
      2,
      'the expired link, then the fresh one',
    );
    assert.equal(
      sum(after, `/api/2.0/sql/statements/${out.statementId}/result/chunks/0`) - sum(before, `/api/2.0/sql/statements/${out.statementId}/result/chunks/0`),
      1,
      'one chunk request for a fresh link',
    );

    const chunk = await api.chunk(out.statementId, 1);
    const link = chunk.external_links![0];
    const fresh = await fetch(link.external_link, { headers: link.http_headers });
    assert.equal(fresh.status, 200, 'a fresh link works without a token');
    const withToken = await fetch(link.external_link, { headers: { ...link.http_headers, Authorization: `Bearer ${db.token}` } });
    assert.equal(withToken.status, 400);
    assert.match(await withToken.text(), /Only one auth mechanism allowed/);
    const noKey = await fetch(link.external_link);
    assert.equal(noKey.status, 400, 'the http_headers the link names are required');
  });

  it('says plainly when the warehouse no longer holds a result', async () => {
    const out = await runner.run(`SELECT * FROM ${EVENTS} ORDER BY event_id`, { warehouseId: RUNNING_ID, waitTimeoutSeconds: 30 });
    await admin(db, 'POST', 'sql', { timings: { resultTtlMs: 1 } });
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(out.rows!.getRows(500_000, 10), (e: unknown) => e instanceof DatabricksError && /no longer holds this result/.test(e.message));
  });

  it('retries a 503 on a chunk and a 429 on execute (neither started anything)', async () => {
    await admin(db, 'POST', 'faults', { failNext: { count: 1, status: 429, match: 'POST /api/2.0/sql/statements' }, retryAfterSeconds: 0 });
    const out = await runner.run(`SELECT * FROM ${EVENTS} ORDER BY event_id`, {
      warehouseId: RUNNING_ID,
      disposition: 'INLINE',
      rowLimit: 200_000,
      waitTimeoutSeconds: 30,
    });
    assert.ok(out.rows!.chunkCount() >= 2, `chunks: ${out.rows!.chunkCount()}`);
    await admin(db, 'POST', 'faults', { failNext: { count: 1, status: 503, match: '/result/chunks/1' }, retryAfterSeconds: 0 });
    const c = out.rows!.manifest.chunks![1];
    const rows = await out.rows!.getRows(c.row_offset, 3);
    assert.deepEqual(
      rows.map((r) => r[0]),
      [c.row_offset, c.row_offset + 1, c.row_offset + 2],
    );
    assert.equal(out.truncated, true, 'row_limit truncates');
    assert.equal(out.totalRows, 200_000);
  });
});
