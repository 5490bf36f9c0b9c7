import assert from 'node:assert/strict';
import { Api, connect } from './http';

describe('Databricks stand-in: fault injection and request counters', () => {
  let api: Api;
  before(async () => {
    api = await connect();
  });
  afterEach(async () => {
    await api.admin('POST', '/faults', {});
  });
  after(async () => {
    await api?.db.stop();
  });

  it('answers 429 TOO_MANY_REQUESTS with Retry-After, then serves normally', async () => {
    await api.admin('POST', '/faults', { failNext: { count: 2, status: 429 }, retryAfterSeconds: 7 });
    for (let i = 0; i < 2; i++) {
      const r = await api.get('/api/2.0/preview/scim/v2/Me');
      assert.equal(r.status, 429);
      assert.equal(r.body.error_code, 'TOO_MANY_REQUESTS');
      assert.equal(r.headers.get('retry-after'), '7');
    }
    assert.equal((await api.get('/api/2.0/preview/scim/v2/Me')).status, 200);
  });

  it('answers 503 TEMPORARILY_UNAVAILABLE at rate 1 and only on matching paths', async () => {
    await api.admin('POST', '/faults', { failNext: { count: 1, status: 503, match: 'clusters/list' } });
    assert.equal((await api.get('/api/2.0/preview/scim/v2/Me')).status, 200, 'other paths pass');
    const r = await api.get('/api/2.1/clusters/list');
    assert.equal(r.status, 503);
    assert.equal(r.body.error_code, 'TEMPORARILY_UNAVAILABLE');
    await api.admin('POST', '/faults', { rate503: 1 });
    assert.equal((await api.get('/api/2.1/clusters/list')).status, 503);
    await api.admin('POST', '/faults', { rate429: 1 });
    assert.equal((await api.get('/api/2.1/clusters/list')).status, 429);
  });

  it('resets connections', async () => {
    await api.admin('POST', '/faults', { resetRate: 1 });
    await assert.rejects(fetch(`${api.db.url}/api/2.1/clusters/list`, { headers: { Authorization: `Bearer ${api.db.token}` } }));
    await api.admin('POST', '/faults', { failNext: { count: 1, status: 0 } });
    await assert.rejects(fetch(`${api.db.url}/api/2.1/clusters/list`, { headers: { Authorization: `Bearer ${api.db.token}` } }));
    assert.equal((await api.get('/api/2.1/clusters/list')).status, 200);
  });

  it('adds latency to every request', async () => {
    await api.admin('POST', '/faults', { latencyMs: 300 });
    const t0 = Date.now();
    await api.get('/api/2.0/preview/scim/v2/Me');
    // A lower bound only: the delay is added, never a timing assertion on the machine's speed.
    assert.ok(Date.now() - t0 >= 290);
    assert.equal((await api.admin<{ latencyMs: number }>('GET', '/faults')).latencyMs, 300);
  });

  it('counts requests per METHOD and path, faulted ones included, and resets the counters', async () => {
    await api.admin('POST', '/reset');
    await api.get('/api/2.1/clusters/list');
    await api.get('/api/2.1/clusters/list', { page_size: 1 });
    await api.post('/api/2.1/clusters/events', { cluster_id: 'nope' });
    await api.admin('POST', '/faults', { failNext: { count: 1, status: 429 } });
    await api.get('/api/2.1/clusters/list');
    const { counts, total } = await api.admin<{ counts: Record<string, number>; total: number }>('GET', '/requests');
    assert.equal(counts['GET /api/2.1/clusters/list'], 3);
    assert.equal(counts['POST /api/2.1/clusters/events'], 1);
    assert.equal(total, 4);
    await api.admin('POST', '/reset');
    assert.deepEqual((await api.admin<{ counts: Record<string, number> }>('GET', '/requests')).counts, {});
  });
});
