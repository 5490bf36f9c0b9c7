import assert from 'node:assert/strict';
import { uniqueSuffix } from '../standIns';
import { Api, connect, until } from './http';

interface Cluster {
  cluster_id: string;
  cluster_name: string;
  state: string;
  state_message: string;
  spark_version: string;
  node_type_id: string;
  creator_user_name: string;
  start_time: number;
  num_workers?: number;
  autoscale?: { min_workers: number; max_workers: number };
  termination_reason?: { code: string; type: string };
  spec?: Record<string, unknown>;
}

describe('Databricks stand-in: clusters, identity and auth', () => {
  let api: Api;
  let own: string;
  before(async () => {
    api = await connect();
  });
  after(async () => {
    if (own) await api.post('/api/2.1/clusters/permanent-delete', { cluster_id: own });
    await api?.db.stop();
  });

  const state = async (id: string): Promise<string> => (await api.get<Cluster>('/api/2.1/clusters/get', { cluster_id: id })).body.state;
  const waitState = (id: string, s: string): Promise<true> => until(async () => ((await state(id)) === s ? true : undefined));

  it('lists seeded clusters with realistic ClusterDetails on 2.0 and 2.1, one running and one terminated', async () => {
    const v20 = await api.get<{ clusters: Cluster[] }>('/api/2.0/clusters/list');
    const v21 = await api.get<{ clusters: Cluster[] }>('/api/2.1/clusters/list');
    assert.equal(v20.status, 200);
    assert.equal(v21.status, 200);
    const states = v21.body.clusters.map((c) => c.state);
    assert.ok(states.includes('RUNNING') && states.includes('TERMINATED'), states.join());
    for (const c of v21.body.clusters) {
      assert.match(c.cluster_id, /^\d{4}-\d{6}-[a-z0-9]{8}$/);
      assert.ok(c.cluster_name && c.spark_version && c.node_type_id && c.creator_user_name);
      assert.equal(typeof c.start_time, 'number');
      assert.ok(c.num_workers !== undefined || c.autoscale !== undefined);
      assert.equal(c.spec, undefined, 'list items carry no spec');
    }
    assert.deepEqual(v20.body.clusters.map((c) => c.cluster_id).sort(), v21.body.clusters.map((c) => c.cluster_id).sort());
    const terminated = v21.body.clusters.find((c) => c.state === 'TERMINATED');
    assert.ok(terminated?.termination_reason?.code);
  });

  it('pages the 2.1 list and filters by state', async () => {
    const first = await api.get<{ clusters: Cluster[]; next_page_token?: string }>('/api/2.1/clusters/list', { page_size: 1 });
    assert.equal(first.body.clusters.length, 1);
    assert.ok(first.body.next_page_token);
    const second = await api.get<{ clusters: Cluster[]; prev_page_token?: string }>('/api/2.1/clusters/list', {
      page_size: 1,
      page_token: first.body.next_page_token!,
    });
    assert.equal(second.body.clusters.length, 1);
    assert.notEqual(second.body.clusters[0].cluster_id, first.body.clusters[0].cluster_id);
    assert.ok(second.body.prev_page_token);
    const running = await api.call<{ clusters: Cluster[] }>('GET', '/api/2.1/clusters/list?filter_by.cluster_states=RUNNING&filter_by.cluster_states=PENDING');
    assert.ok(running.body.clusters.length >= 1);
    assert.ok(running.body.clusters.every((c) => c.state === 'RUNNING' || c.state === 'PENDING'));
  });

  it('answers an unknown cluster id with 400 INVALID_PARAMETER_VALUE', async () => {
    const r = await api.get('/api/2.1/clusters/get', { cluster_id: '0000-000000-nothere0' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, { error_code: 'INVALID_PARAMETER_VALUE', message: 'Cluster 0000-000000-nothere0 does not exist' });
  });

  it('walks create → PENDING → RUNNING, refuses start while running, restarts, terminates and starts again', async () => {
    const created = await api.post<{ cluster_id: string }>('/api/2.1/clusters/create', {
      cluster_name: `standin-${uniqueSuffix()}`,
      spark_version: '14.3.x-scala2.12',
      node_type_id: 'i3.xlarge',
      num_workers: 2,
    });
    assert.equal(created.status, 200);
    own = created.body.cluster_id;
    assert.equal(await state(own), 'PENDING');
    await waitState(own, 'RUNNING');
    const got = await api.get<Cluster>('/api/2.0/clusters/get', { cluster_id: own });
    assert.equal(got.body.num_workers, 2);
    assert.equal(got.body.spec?.num_workers, 2);

    const again = await api.post('/api/2.1/clusters/start', { cluster_id: own });
    assert.equal(again.status, 400);
    assert.equal(again.body.error_code, 'INVALID_STATE');
    assert.equal(again.body.message, `Cluster ${own} is in unexpected state Running.`);

    assert.equal((await api.post('/api/2.1/clusters/restart', { cluster_id: own })).status, 200);
    assert.equal(await state(own), 'RESTARTING');
    await waitState(own, 'RUNNING');

    assert.deepEqual((await api.post('/api/2.1/clusters/delete', { cluster_id: own })).body, {});
    assert.equal(await state(own), 'TERMINATING');
    await waitState(own, 'TERMINATED');
    const term = await api.get<Cluster>('/api/2.1/clusters/get', { cluster_id: own });
    assert.deepEqual(term.body.termination_reason?.code, 'USER_REQUEST');
    const restartTerminated = await api.post('/api/2.1/clusters/restart', { cluster_id: own });
    assert.equal(restartTerminated.body.error_code, 'INVALID_STATE');

    assert.equal((await api.post('/api/2.0/clusters/start', { cluster_id: own })).status, 200);
    assert.equal(await state(own), 'PENDING');
    const pending = await api.post('/api/2.1/clusters/start', { cluster_id: own });
    assert.equal(pending.body.message, `Cluster ${own} is in unexpected state Pending.`);
    await waitState(own, 'RUNNING');

    const events = await api.post<{ events: Array<{ type: string; timestamp: number }>; total_count: number }>('/api/2.1/clusters/events', {
      cluster_id: own,
      order: 'ASC',
    });
    const types = events.body.events.map((e) => e.type);
    for (const t of ['CREATING', 'STARTING', 'RUNNING', 'RESTARTING', 'TERMINATING']) assert.ok(types.includes(t), `${t} in ${types.join()}`);
    assert.equal(events.body.total_count, types.length);
    const paged = await api.post<{ events: unknown[]; next_page?: { offset: number } }>('/api/2.1/clusters/events', { cluster_id: own, limit: 2 });
    assert.equal(paged.body.events.length, 2);
    assert.equal(paged.body.next_page?.offset, 2);

    assert.equal((await api.post('/api/2.1/clusters/permanent-delete', { cluster_id: own })).status, 200);
    assert.equal((await api.get('/api/2.1/clusters/get', { cluster_id: own })).status, 400);
    const listed = await api.get<{ clusters: Cluster[] }>('/api/2.1/clusters/list');
    assert.ok(!listed.body.clusters.some((c) => c.cluster_id === own));
    own = '';
  });

  it('serves the user identity, spark versions and the unauthenticated well-known config', async () => {
    const me = await api.get<{ userName: string; emails: Array<{ value: string }> }>('/api/2.0/preview/scim/v2/Me');
    assert.equal(me.status, 200);
    assert.match(me.body.userName, /@/);
    const versions = await api.get<{ versions: Array<{ key: string }> }>('/api/2.1/clusters/spark-versions');
    assert.ok(versions.body.versions.some((v) => v.key === '14.3.x-scala2.12'));
    const wk = await fetch(`${api.db.url}/.well-known/databricks-config`);
    assert.equal(wk.status, 200);
    assert.ok(((await wk.json()) as { workspace_id: string }).workspace_id);
  });

  it('answers a wrong token with the observed 403 body, and no token with 401', async () => {
    const bad = await api.withToken('dapiWRONG').get('/api/2.1/clusters/list');
    assert.equal(bad.status, 403);
    assert.deepEqual(bad.body, { error_code: 403, message: 'Invalid access token.' });
    assert.equal(bad.headers.get('x-databricks-reason-phrase'), 'Invalid access token.');
    const none = await fetch(`${api.db.url}/api/2.1/clusters/list`);
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as { error_code: string }).error_code, 'UNAUTHENTICATED');
  });

  it('answers unknown endpoints and malformed JSON with {error_code, message}', async () => {
    const unknown = await api.get('/api/2.1/clusters/no-such-op');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error_code, 'ENDPOINT_NOT_FOUND');
    const malformed = await api.call('POST', '/api/2.1/clusters/start', '{not json', { 'Content-Type': 'text/json' });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error_code, 'MALFORMED_REQUEST');
  });
});
