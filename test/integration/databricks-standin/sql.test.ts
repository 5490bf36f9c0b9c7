// The stand-in's SQL warehouses and Statement Execution on the wire (plain fetch, no client):
// wait_timeout answered in one request or left to polling, on_wait_timeout CANCEL, request
// validation, chunk shapes and links, a stopped warehouse started by a statement, and faults on
// the link downloads like on its other routes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_WAREHOUSE_SEEDS } from '../../../sandbox/databricks/warehouses';
import { Api, connect, until } from './http';

const RUNNING_ID = DEFAULT_WAREHOUSE_SEEDS[0].id!;
const STOPPED_ID = DEFAULT_WAREHOUSE_SEEDS[1].id!;

interface Stmt {
  statement_id: string;
  status: { state: string; error?: { error_code: string; message: string } };
  manifest?: {
    total_row_count: number;
    total_chunk_count: number;
    chunks: Array<{ chunk_index: number; row_offset: number; row_count: number; byte_count?: number }>;
    schema: { columns: Array<{ name: string; type_name: string }> };
  };
  result?: {
    data_array?: string[][];
    external_links?: Array<{ external_link: string; expiration: string; http_headers?: Record<string, string>; next_chunk_internal_link?: string }>;
    next_chunk_index?: number;
    next_chunk_internal_link?: string;
  };
}

describe('Databricks stand-in: SQL warehouses and statements on the wire', function () {
  this.timeout(120_000);
  let api: Api;
  before(async () => {
    api = await connect();
  });
  afterEach(async () => {
    await api.admin('POST', '/sql', { timings: { minRunningMs: 0, cancelLagMs: 300, resultTtlMs: 3_600_000, linkTtlMs: 900_000 } });
    await api.admin('POST', '/faults', {});
  });
  after(() => api.db.stop());

  it('answers within wait_timeout in one request, or returns RUNNING for polling with 0s', async () => {
    await api.admin('POST', '/sql', { timings: { minRunningMs: 1200 } });
    const t0 = Date.now();
    const sync = await api.post<Stmt>('/api/2.0/sql/statements', { warehouse_id: RUNNING_ID, statement: 'SELECT 1 AS one', wait_timeout: '5s' });
    assert.equal(sync.status, 200);
    assert.equal(sync.body.status.state, 'SUCCEEDED');
    assert.ok(Date.now() - t0 >= 1100, 'the request waited for the statement');
    assert.deepEqual(sync.body.result?.data_array, [['1']], 'values are strings');
    const async = await api.post<Stmt>('/api/2.0/sql/statements/', { warehouse_id: RUNNING_ID, statement: 'SELECT 2 AS two', wait_timeout: '0s' });
    assert.ok(['PENDING', 'RUNNING'].includes(async.body.status.state), async.text);
    assert.equal(async.body.manifest, undefined);
    const done = await until(async () => {
      const r = await api.get<Stmt>(`/api/2.0/sql/statements/${async.body.statement_id}`);
      return r.body.status.state === 'SUCCEEDED' ? r.body : undefined;
    });
    assert.deepEqual(done.result?.data_array, [['2']]);
  });

  it('cancels at the wait timeout with on_wait_timeout CANCEL', async () => {
    await api.admin('POST', '/sql', { timings: { minRunningMs: 8000 } });
    const r = await api.post<Stmt>('/api/2.0/sql/statements', {
      warehouse_id: RUNNING_ID,
      statement: 'SELECT 1',
      wait_timeout: '5s',
      on_wait_timeout: 'CANCEL',
    });
    assert.equal(r.body.status.state, 'CANCELED');
  });

  it('validates the request: wait_timeout, formats, unknown warehouse, unknown statement', async () => {
    const bad = await api.post('/api/2.0/sql/statements', { warehouse_id: RUNNING_ID, statement: 'SELECT 1', wait_timeout: '3s' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error_code, 'INVALID_PARAMETER_VALUE');
    const csvInline = await api.post('/api/2.0/sql/statements', { warehouse_id: RUNNING_ID, statement: 'SELECT 1', format: 'CSV' });
    assert.equal(csvInline.status, 400);
    const noWh = await api.post('/api/2.0/sql/statements', { warehouse_id: 'nope', statement: 'SELECT 1' });
    assert.equal(noWh.status, 404);
    const noSt = await api.get('/api/2.0/sql/statements/00000000-0000-0000-0000-000000000000');
    assert.equal(noSt.status, 404);
    const noToken = await api.withToken('wrong').get('/api/2.0/sql/warehouses');
    assert.equal(noToken.status, 403);
  });

  it('serves EXTERNAL_LINKS chunks with links that need no token, CSV with the header in chunk 0 only', async () => {
    await api.admin('POST', '/sql', { limits: { externalChunkBytes: 4096 } });
    const r = await api.post<Stmt>('/api/2.0/sql/statements', {
      warehouse_id: RUNNING_ID,
      statement: 'SELECT customer_id, plan FROM workspace.ferry_demo.customers ORDER BY customer_id',
      disposition: 'EXTERNAL_LINKS',
      format: 'CSV',
      wait_timeout: '30s',
    });
    await api.admin('POST', '/sql', { limits: { externalChunkBytes: 8 * 1024 * 1024 } });
    assert.equal(r.body.status.state, 'SUCCEEDED', r.text);
    const m = r.body.manifest!;
    assert.equal(m.total_row_count, 1200);
    assert.ok(m.total_chunk_count > 2 && m.chunks.every((c) => typeof c.byte_count === 'number'));
    const link = r.body.result!.external_links![0];
    assert.ok(Date.parse(link.expiration) > Date.now());
    assert.equal(link.next_chunk_internal_link, `/api/2.0/sql/statements/${r.body.statement_id}/result/chunks/1`);
    const first = await (await fetch(link.external_link, { headers: link.http_headers })).text();
    assert.equal(first.split('\n')[0], 'customer_id,plan');
    const c1 = await api.get<Stmt['result']>(link.next_chunk_internal_link!);
    const second = await (await fetch(c1.body!.external_links![0].external_link, { headers: c1.body!.external_links![0].http_headers })).text();
    assert.doesNotMatch(second.split('\n')[0], /customer_id/);
    const tampered = link.external_link.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`);
    assert.equal((await fetch(tampered, { headers: link.http_headers })).status, 403);
  });

  it('starts a stopped warehouse for a statement (PENDING until it runs)', async () => {
    const r = await api.post<Stmt>('/api/2.0/sql/statements', { warehouse_id: STOPPED_ID, statement: 'SELECT 42 AS answer', wait_timeout: '0s' });
    assert.equal(r.body.status.state, 'PENDING');
    const wh = await api.get<{ state: string }>(`/api/2.0/sql/warehouses/${STOPPED_ID}`);
    assert.equal(wh.body.state, 'STARTING');
    const done = await until(async () => {
      const s = await api.get<Stmt>(`/api/2.0/sql/statements/${r.body.statement_id}`);
      return s.body.status.state === 'SUCCEEDED' ? s.body : undefined;
    });
    assert.deepEqual(done.result?.data_array, [['42']]);
    await api.post(`/api/2.0/sql/warehouses/${STOPPED_ID}/stop`);
    await until(async () => ((await api.get<{ state: string }>(`/api/2.0/sql/warehouses/${STOPPED_ID}`)).body.state === 'STOPPED' ? true : undefined));
  });

  it("runs the sandbox demo's warehouse.sql on the demo customers", async () => {
    const file = path.resolve(__dirname, '../../../../sandbox/demo/workspace/warehouse.sql');
    const sql = fs
      .readFileSync(file, 'utf8')
      .replace(/--[^\n]*\n/g, '')
      .trim();
    const r = await api.post<Stmt>('/api/2.0/sql/statements', { warehouse_id: RUNNING_ID, statement: sql, wait_timeout: '30s' });
    assert.equal(r.body.status.state, 'SUCCEEDED', r.text);
    assert.equal(r.body.manifest!.total_row_count, 12, 'three plans in four regions');
    assert.deepEqual(
      r.body.manifest!.schema.columns.map((c) => c.name),
      ['plan', 'region', 'customers', 'avg_spend', 'churn_rate'],
    );
  });

  it('injects faults on link downloads like on its other routes', async () => {
    const r = await api.post<Stmt>('/api/2.0/sql/statements', { warehouse_id: RUNNING_ID, statement: 'SELECT 1 AS x', disposition: 'EXTERNAL_LINKS' });
    const link = r.body.result!.external_links![0];
    await api.admin('POST', '/faults', { failNext: { count: 1, status: 503, match: '/__ext/sql-results/' } });
    assert.equal((await fetch(link.external_link, { headers: link.http_headers })).status, 503);
    assert.equal((await fetch(link.external_link, { headers: link.http_headers })).status, 200);
  });
});
