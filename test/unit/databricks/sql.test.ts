// Databricks SQL, pure parts: column types and values of JSON_ARRAY results, warehouse facts, the
// row source's chunk lookup over a fake API, and the warehouse list's polling (the clusters' policy).
import assert from 'node:assert/strict';
import { WarehouseRowSource } from '../../../src/databricks/sql/rowSource';
import { outcomeFacts, statementTitle } from '../../../src/databricks/sql/showStatement';
import { chooseDisposition } from '../../../src/databricks/sql/statementRunner';
import type { ResultData, StatementApi } from '../../../src/databricks/sql/statementApi';
import { columnTypeOf, convertRows, statementColumns } from '../../../src/databricks/sql/values';
import { describeWarehouse, warehouseActions, Warehouse, WarehousesService } from '../../../src/databricks/sql/warehouses';
import { WarehousesModel } from '../../../src/databricks/sql/warehousesModel';
import { Timers } from '../../../src/databricks/clustersModel';

class FakeTimers implements Timers {
  time = 0;
  queue: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.queue.push({ at: this.time + ms, fn, id });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.queue = this.queue.filter((t) => t.id !== h);
  }
  now(): number {
    return this.time;
  }
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (!next || next.at > end) break;
      this.queue.shift();
      this.time = next.at;
      next.fn();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    }
    this.time = end;
  }
}

describe('Databricks SQL values', () => {
  it('maps type names to viewer types and keeps decimals and big integers exact', () => {
    const cols = statementColumns([
      { name: 'n', position: 1, type_name: 'LONG', type_text: 'BIGINT' },
      { name: 'id', position: 0, type_name: 'INT', type_text: 'INT' },
      { name: 'd', position: 2, type_name: 'DECIMAL', type_text: 'DECIMAL(38,2)' },
      { name: 'b', position: 3, type_name: 'BOOLEAN' },
      { name: 'a', position: 4, type_name: 'ARRAY', type_text: 'ARRAY<STRING>' },
    ]);
    assert.deepEqual(
      cols.map((c) => c.name),
      ['id', 'n', 'd', 'b', 'a'],
      'ordered by position',
    );
    assert.deepEqual(
      convertRows(
        [
          ['1', '9007199254740993', '12345678901234567890.10', 'true', '["x"]'],
          [null, '2', null, 'false', null],
        ],
        cols,
      ),
      [
        [1, '9007199254740993', '12345678901234567890.10', true, '["x"]'],
        [null, 2, null, false, null],
      ],
    );
    assert.equal(columnTypeOf('TIMESTAMP'), 'timestamp');
    assert.equal(columnTypeOf('USER_DEFINED_TYPE'), 'unknown');
  });

  it('describes warehouses and the actions their state allows', () => {
    const w: Warehouse = {
      id: 'a',
      name: 'wh',
      state: 'RUNNING',
      cluster_size: 'Small',
      enable_serverless_compute: true,
      min_num_clusters: 1,
      max_num_clusters: 3,
      num_active_sessions: 2,
    };
    assert.equal(describeWarehouse(w), 'Serverless · Small · 1–3 clusters · 2 sessions active');
    assert.deepEqual(warehouseActions('STOPPED'), { start: true, stop: false });
    assert.deepEqual(warehouseActions('STARTING'), { start: false, stop: true });
    assert.deepEqual(warehouseActions('STOPPING'), { start: false, stop: false });
    assert.equal(statementTitle('-- totals\nSELECT  a,\n b FROM t'), 'SELECT a, b FROM t');
  });
});

describe('AUTO disposition', () => {
  it('is INLINE only for statements that say their result is small', () => {
    for (const sql of [
      'SHOW TABLES',
      'describe table x',
      'CREATE TABLE t (a INT)',
      '-- note\nINSERT INTO t VALUES (1)',
      'SELECT * FROM t LIMIT 10;',
      'select a from t order by a limit 1000',
      '(SELECT 1) LIMIT 1',
    ])
      assert.equal(chooseDisposition(sql), 'INLINE', sql);
    for (const sql of [
      'SELECT * FROM t',
      'SELECT * FROM t LIMIT 1001',
      'SELECT * FROM (SELECT * FROM t LIMIT 5) JOIN u',
      'WITH a AS (SELECT 1) SELECT * FROM a',
      "SELECT 'LIMIT 5' FROM t",
    ])
      assert.equal(chooseDisposition(sql), 'EXTERNAL_LINKS', sql);
  });
});

describe('WarehouseRowSource', () => {
  const manifest = {
    total_row_count: 25,
    total_chunk_count: 3,
    chunks: [0, 10, 20].map((o, i) => ({ chunk_index: i, row_offset: o, row_count: i === 2 ? 5 : 10 })),
    schema: { columns: [{ name: 'x', type_name: 'INT' }] },
  };
  const data = (i: number): ResultData => ({
    chunk_index: i,
    row_offset: i * 10,
    row_count: i === 2 ? 5 : 10,
    data_array: Array.from({ length: i === 2 ? 5 : 10 }, (_, k) => [String(i * 10 + k)]),
  });
  function source(cached = 6) {
    const asked: number[] = [];
    const api = { chunk: async (_id: string, i: number) => (asked.push(i), data(i)) } as unknown as StatementApi;
    return { rows: new WarehouseRowSource(api, 's1', manifest, data(0), statementColumns(manifest.schema.columns), { cachedChunks: cached }), asked };
  }

  it('fetches only the chunks a window covers, the first from the execute answer, and caches them', async () => {
    const { rows, asked } = source();
    assert.deepEqual(await rows.getRows(8, 4), [[8], [9], [10], [11]]);
    assert.deepEqual(asked, [1], 'chunk 0 came with the statement');
    assert.deepEqual(await rows.getRows(22, 10), [[22], [23], [24]]);
    await rows.getRows(0, 25);
    assert.deepEqual(asked, [1, 2], 'cached chunks are not fetched again');
    assert.equal(rows.rowCount(), 25);
  });

  it('evicts the least recently used chunk past its cache size, and exports every row in order', async () => {
    const { rows, asked } = source(1);
    await rows.getRows(15, 1);
    await rows.getRows(0, 1);
    await rows.getRows(15, 1);
    assert.deepEqual(asked, [1, 1], 'chunk 1 again after chunk 0 (from the statement answer) pushed it out');
    const all: unknown[] = [];
    for await (const b of rows.allRows()) all.push(...b.map((r) => r[0]));
    assert.deepEqual(
      all,
      Array.from({ length: 25 }, (_, i) => i),
    );
  });

  it('states rows, bytes and duration in the facts', () => {
    const { rows } = source();
    const facts = outcomeFacts(
      {
        statementId: 's1',
        manifest,
        columns: rows.columns,
        rows,
        totalRows: 1_000_000,
        totalBytes: 80 * 1024 * 1024,
        truncated: false,
        durationMs: 4200,
        disposition: 'EXTERNAL_LINKS',
      },
      { id: 'w', name: 'Starter' },
    );
    const text = facts.map((f) => `${f.label}=${f.value}`).join('|');
    assert.match(text, /Rows=1,000,000\|Bytes=80\.0 MB\|Duration=4\.2 s/);
    assert.match(text, /Chunks=3 \(external links\)/);
  });
});

describe('WarehousesModel polling', () => {
  it('polls quickly while a warehouse it started is STARTING, even while hidden, and stops once it runs', async () => {
    const timers = new FakeTimers();
    let state: Warehouse['state'] = 'STOPPED';
    const calls: string[] = [];
    const service = {
      list: async () => (calls.push('list'), [{ id: 'w1', name: 'wh', state }]),
      start: async () => {
        calls.push('start');
        state = 'STARTING';
      },
      stop: async () => void calls.push('stop'),
    } as unknown as WarehousesService;
    const model = new WarehousesModel(async () => service, timers);
    await model.act('w1', 'start');
    assert.equal(model.find('w1')?.state, 'STARTING');
    const listed = calls.filter((c) => c === 'list').length;
    await timers.advance(1000);
    assert.equal(calls.filter((c) => c === 'list').length, listed + 1, 'polled after 1 s');
    state = 'RUNNING';
    await timers.advance(1500);
    assert.equal(model.find('w1')?.state, 'RUNNING');
    const settled = calls.filter((c) => c === 'list').length;
    await timers.advance(600_000);
    assert.equal(calls.filter((c) => c === 'list').length, settled, 'no polling while hidden once it settled');
    model.dispose();
  });
});
