// The stand-in is never kinder than a real cluster: the output caps, the context cap with its
// eviction, the moment after RUNNING when contexts/create answers ClusterNotReadyException, and
// commands in different contexts running at the same time (docs/reference/services-2026.md §1).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { uniqueSuffix } from '../standIns';
import { Api, connect, until } from './http';

interface Results {
  resultType: string;
  data?: unknown;
  truncated?: boolean;
  summary?: string;
  cause?: string;
}

async function cluster(api: Api, spec: Record<string, unknown>): Promise<string> {
  const r = await api.post<{ cluster_id: string }>('/api/2.1/clusters/create', {
    cluster_name: `limits-${uniqueSuffix()}`,
    spark_version: '14.3.x-scala2.12',
    node_type_id: 'i3.xlarge',
    num_workers: 0,
    ...spec,
  });
  assert.equal(r.status, 200, r.text);
  const id = r.body.cluster_id;
  await until(async () => ((await api.get<{ state: string }>('/api/2.1/clusters/get', { cluster_id: id })).body.state === 'RUNNING' ? true : undefined));
  return id;
}

async function context(api: Api, clusterId: string): Promise<string> {
  const r = await until(async () => {
    const c = await api.post<{ id: string }>('/api/1.2/contexts/create', { clusterId, language: 'python' });
    return c.status !== 200 && /ClusterNotReadyException/.test(c.text) ? undefined : c;
  });
  assert.equal(r.status, 200, r.text);
  await until(async () =>
    (await api.get<{ status: string }>('/api/1.2/contexts/status', { clusterId, contextId: r.body.id })).body.status === 'Running' ? true : undefined,
  );
  return r.body.id;
}

async function execute(api: Api, clusterId: string, contextId: string, command: string): Promise<string> {
  const r = await api.post<{ id: string }>('/api/1.2/commands/execute', { clusterId, contextId, language: 'python', command });
  assert.equal(r.status, 200, r.text);
  return r.body.id;
}

async function finished(api: Api, clusterId: string, contextId: string, commandId: string): Promise<Results> {
  return until(async () => {
    const s = await api.get<{ status: string; results?: Results }>('/api/1.2/commands/status', { clusterId, contextId, commandId });
    return s.body.status === 'Finished' ? s.body.results : undefined;
  });
}

describe('Databricks stand-in: the limits of a real cluster', function () {
  this.timeout(180_000);
  let api: Api;
  const made: string[] = [];

  before(async () => {
    api = await connect();
  });
  after(async () => {
    for (const id of made) await api.post('/api/2.1/clusters/permanent-delete', { cluster_id: id });
    await api?.db.stop();
  });

  const make = async (spec: Record<string, unknown> = {}) => {
    const id = await cluster(api, spec);
    made.push(id);
    return id;
  };

  it('caps a text result at 50,000 characters on runtime 14.3, with the inline marker', async () => {
    const c = await make();
    const ctx = await context(api, c);
    const r = await finished(api, c, ctx, await execute(api, c, ctx, 'print("x" * 80000)'));
    assert.equal(r.resultType, 'text');
    const data = String(r.data);
    assert.ok(data.startsWith('x'.repeat(50_000)));
    assert.match(data.slice(50_000), /^\n\*\*\* WARNING: skipped \d+ bytes of output \*\*\*\n$/);
  });

  it('raises the cap by spark.databricks.driver.maxReplOutputLength, and to 10 MB on runtime 17', async () => {
    const conf = await make({ spark_conf: { 'spark.databricks.driver.maxReplOutputLength': '120000' } });
    let ctx = await context(api, conf);
    let r = await finished(api, conf, ctx, await execute(api, conf, ctx, 'print("y" * 150000)'));
    assert.equal(String(r.data).indexOf('*** WARNING'), 120_001);
    const v17 = await make({ spark_version: '17.3.x-scala2.13' });
    ctx = await context(api, v17);
    r = await finished(api, v17, ctx, await execute(api, v17, ctx, 'print("z" * 3000000)'));
    assert.equal(String(r.data), `${'z'.repeat(3_000_000)}\n`);
  });

  it('caps a table result at 10,000 rows, or 2 MB, with truncated: true', async () => {
    const c = await make();
    const ctx = await context(api, c);
    let r = await finished(api, c, ctx, await execute(api, c, ctx, 'import pandas as pd\ndisplay(pd.DataFrame({"n": range(12000)}))'));
    assert.equal(r.resultType, 'table');
    assert.equal((r.data as unknown[]).length, 10_000);
    assert.equal(r.truncated, true);
    r = await finished(api, c, ctx, await execute(api, c, ctx, 'import pandas as pd\ndisplay(pd.DataFrame({"s": ["w" * 1000] * 5000}))'));
    const rows = r.data as unknown[];
    assert.ok(rows.length < 5000 && rows.length > 1000, `${rows.length} rows`);
    assert.ok(JSON.stringify(rows).length <= 2 * 1024 * 1024);
    assert.equal(r.truncated, true);
  });

  it('answers ClusterNotReadyException to contexts/create for a moment after the cluster reaches RUNNING', async () => {
    const c = await make();
    const first = await api.post('/api/1.2/contexts/create', { clusterId: c, language: 'python' });
    assert.equal(first.status, 400);
    assert.match(first.text, /ClusterNotReadyException/);
    await context(api, c);
  });

  it('holds at most 145 contexts per cluster, evicting the least recently used idle one; its commands then answer "is disconnected"', async () => {
    const c = await make();
    const ids: string[] = [];
    for (let i = 0; i < 145; i++) ids.push(await context(api, c));
    // Use the oldest so that the second oldest is now the least recently used.
    await finished(api, c, ids[0], await execute(api, c, ids[0], 'a = 1'));
    const extra = await context(api, c);
    const log = await api.admin<{ contexts: Array<{ id: string; clusterId: string; gone: boolean }> }>('GET', '/execution');
    const live = log.contexts.filter((x) => x.clusterId === c && !x.gone);
    assert.equal(live.length, 145);
    assert.ok(log.contexts.find((x) => x.id === ids[1])?.gone, 'the least recently used idle context was evicted');
    assert.ok(!log.contexts.find((x) => x.id === ids[0])?.gone);
    const r = await api.post('/api/1.2/commands/execute', { clusterId: c, contextId: ids[1], language: 'python', command: '1' });
    assert.equal(r.status, 400);
    assert.match(r.text, new RegExp(`Context ExecutionContextId\\(${ids[1]}\\) is disconnected\\.`));
    assert.ok(extra);
  });

  it('runs commands in different contexts of one cluster at the same time', async () => {
    const c = await make();
    const [a, b] = [await context(api, c), await context(api, c)];
    // A file name relative to the driver's working folder (shared by the contexts of one cluster),
    // not a path of the machine running the tests (they may run under Windows Node).
    const flag = `ferry-concurrent-${crypto.randomUUID()}`;
    // A waits for a file that only B's command creates: run one after the other, A would time out.
    const waiting = await execute(
      api,
      c,
      a,
      `import os, time\nfor _ in range(200):\n    if os.path.exists(${JSON.stringify(flag)}): break\n    time.sleep(0.05)\nprint("seen" if os.path.exists(${JSON.stringify(flag)}) else "timed out")`,
    );
    await finished(api, c, b, await execute(api, c, b, `open(${JSON.stringify(flag)}, "w").write("x")`));
    const r = await finished(api, c, a, waiting);
    assert.equal(String(r.data).trim(), 'seen');
  });

  it('ends a command running in a torn-down context as CommandCancelledException', async () => {
    const c = await make();
    const ctx = await context(api, c);
    const id = await execute(api, c, ctx, 'import time\ntime.sleep(30)');
    await until(async () =>
      (await api.get<{ status: string }>('/api/1.2/commands/status', { clusterId: c, contextId: ctx, commandId: id })).body.status === 'Running'
        ? true
        : undefined,
    );
    assert.deepEqual(await api.admin('POST', '/contexts/evict', { contextId: ctx }), { evicted: true });
    const r = await finished(api, c, ctx, id);
    assert.equal(r.resultType, 'error');
    assert.match(String(r.cause), /CommandCancelledException[\s\S]*ExecContextState\.shutdown/);
  });
});
