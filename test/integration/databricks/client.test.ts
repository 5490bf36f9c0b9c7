// The axios client against the Databricks stand-in over real HTTP: retries on injected 429 and
// 503 honouring Retry-After, giving up after the cap, cancellation, an invalid token, a wrong host.
import assert from 'node:assert/strict';
import { CancelledError } from '../../../src/core/errors';
import { memoryLogger } from '../../../src/core/logger';
import { DatabricksClient } from '../../../src/databricks/client';
import { DatabricksError } from '../../../src/databricks/errors';
import { DatabricksEndpoint, databricksStandIn } from '../standIns';

async function admin(db: DatabricksEndpoint, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${db.admin}/${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json', Authorization: `Bearer ${db.token}` },
  });
  return res.json();
}

async function count(db: DatabricksEndpoint, key: string): Promise<number> {
  const r = (await admin(db, 'GET', 'requests')) as { counts: Record<string, number> };
  return r.counts[key] ?? 0;
}

describe('Databricks client against the stand-in', function () {
  this.timeout(60_000);
  let db: DatabricksEndpoint;
  before(async () => {
    db = await databricksStandIn();
  });
  after(async () => {
    await admin(db, 'POST', 'faults', {});
    await db.stop();
  });
  beforeEach(async () => {
    await admin(db, 'POST', 'faults', {});
  });

  it('lists clusters with the token and the dotted filter query', async () => {
    const client = new DatabricksClient({ host: db.url, token: db.token });
    const res = await client.request<{ clusters: Array<{ cluster_id: string; state: string }> }>('GET', '/api/2.1/clusters/list', {
      query: { filter_by: { cluster_states: ['RUNNING', 'TERMINATED', 'PENDING'] } },
    });
    assert.ok(res.clusters.length >= 2, JSON.stringify(res));
  });

  it('retries injected 429s honouring Retry-After, then succeeds', async () => {
    await admin(db, 'POST', 'faults', { retryAfterSeconds: 1, failNext: { count: 2, status: 429, match: 'clusters/list' } });
    const before = await count(db, 'GET /api/2.1/clusters/list');
    const logger = memoryLogger();
    const client = new DatabricksClient({ host: db.url, token: db.token, logger, retry: { jitterMs: 50 } });
    const res = await client.request<{ clusters: unknown[] }>('GET', '/api/2.1/clusters/list');
    assert.ok(res.clusters.length >= 2);
    assert.equal((await count(db, 'GET /api/2.1/clusters/list')) - before, 3, 'two throttled attempts and one that succeeded');
    const waits = logger.lines.filter((l) => /retry \d+ in/.test(l)).map((l) => Number(/in (\d+) ms/.exec(l)?.[1]));
    assert.equal(waits.length, 2);
    for (const w of waits) assert.ok(w >= 1000, `each wait honours Retry-After: 1 (was ${w} ms)`);
    assert.ok(!logger.lines.some((l) => l.includes(db.token)), 'the token never reaches the log');
  });

  it('retries an injected 503 on a POST (the server did not act on it)', async () => {
    const info = (await admin(db, 'GET', 'info')) as { clusterIds: string[] };
    await admin(db, 'POST', 'faults', { retryAfterSeconds: 0, failNext: { count: 1, status: 503, match: 'clusters/events' } });
    const client = new DatabricksClient({ host: db.url, token: db.token, retry: { jitterMs: 10 } });
    const res = await client.request<{ events?: unknown[] }>('POST', '/api/2.1/clusters/events', { body: { cluster_id: info.clusterIds[0] } });
    assert.ok(Array.isArray(res.events ?? []));
  });

  it('gives up after the attempt cap with the last typed error', async () => {
    await admin(db, 'POST', 'faults', { retryAfterSeconds: 0, failNext: { count: 10, status: 503, match: 'jobs/list' } });
    const before = await count(db, 'GET /api/2.1/jobs/list');
    const client = new DatabricksClient({ host: db.url, token: db.token, retry: { maxAttempts: 3, jitterMs: 10 } });
    await assert.rejects(
      client.request('GET', '/api/2.1/jobs/list'),
      (err: unknown) => err instanceof DatabricksError && err.status === 503 && err.errorCode === 'TEMPORARILY_UNAVAILABLE',
    );
    assert.equal((await count(db, 'GET /api/2.1/jobs/list')) - before, 3);
  });

  it('gives up at once when Retry-After would pass the overall time cap', async () => {
    await admin(db, 'POST', 'faults', { retryAfterSeconds: 30, failNext: { count: 5, status: 429, match: 'jobs/list' } });
    const before = await count(db, 'GET /api/2.1/jobs/list');
    const client = new DatabricksClient({ host: db.url, token: db.token, retry: { totalTimeoutMs: 5000 } });
    await assert.rejects(
      client.request('GET', '/api/2.1/jobs/list'),
      (err: unknown) => err instanceof DatabricksError && err.status === 429 && err.kind === 'throttled',
    );
    assert.equal((await count(db, 'GET /api/2.1/jobs/list')) - before, 1);
  });

  it('retries a reset connection for a GET', async () => {
    await admin(db, 'POST', 'faults', { failNext: { count: 1, status: 0, match: 'clusters/list' } });
    const client = new DatabricksClient({ host: db.url, token: db.token, retry: { baseDelayMs: 50, jitterMs: 10 } });
    const res = await client.request<{ clusters: unknown[] }>('GET', '/api/2.1/clusters/list');
    assert.ok(res.clusters.length >= 2);
  });

  it('cancels while waiting out a Retry-After', async () => {
    await admin(db, 'POST', 'faults', { retryAfterSeconds: 20, failNext: { count: 5, status: 429, match: 'clusters/list' } });
    const client = new DatabricksClient({ host: db.url, token: db.token });
    const abort = new AbortController();
    const started = Date.now();
    setTimeout(() => abort.abort(), 300);
    await assert.rejects(client.request('GET', '/api/2.1/clusters/list', { signal: abort.signal }), CancelledError);
    assert.ok(Date.now() - started < 15_000, 'cancellation does not wait out the 20 s Retry-After');
  });

  it('cancels a slow request in flight', async () => {
    await admin(db, 'POST', 'faults', { latencyMs: 3000 });
    const client = new DatabricksClient({ host: db.url, token: db.token });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    await assert.rejects(client.request('GET', '/api/2.1/clusters/list', { signal: abort.signal }), CancelledError);
  });

  it('maps an invalid token to an auth error with a way forward, without retrying', async () => {
    const before = await count(db, 'GET /api/2.1/clusters/list');
    const client = new DatabricksClient({ host: db.url, token: 'dapi0000000000000000000000000000bad' });
    await assert.rejects(client.request('GET', '/api/2.1/clusters/list'), (err: unknown) => {
      assert.ok(err instanceof DatabricksError);
      assert.equal(err.status, 403);
      assert.equal(err.kind, 'auth');
      assert.match(err.message, /Invalid access token/);
      assert.match(err.message, /sign in again/);
      assert.ok(err.actions.some((a) => a.command === 'ferry.databricks.signIn'));
      return true;
    });
    assert.equal((await count(db, 'GET /api/2.1/clusters/list')) - before, 1);
  });

  it('reports an unknown cluster with the server message', async () => {
    const client = new DatabricksClient({ host: db.url, token: db.token });
    await assert.rejects(
      client.request('GET', '/api/2.1/clusters/get', { query: { cluster_id: 'nope-nope' } }),
      (err: unknown) => err instanceof DatabricksError && err.status >= 400 && /does not exist/i.test(err.serverMessage),
    );
  });

  it('explains a wrong host (nothing listening, or not a workspace)', async () => {
    const dead = new DatabricksClient({ host: 'http://127.0.0.1:9', token: db.token, retry: { maxAttempts: 2, baseDelayMs: 10, jitterMs: 5 } });
    await assert.rejects(
      dead.request('GET', '/api/2.1/clusters/list'),
      (err: unknown) => err instanceof DatabricksError && err.kind === 'network' && /127\.0\.0\.1:9/.test(err.message),
    );
    const unresolvable = new DatabricksClient({ host: 'https://no-such-workspace.invalid', token: db.token, retry: { maxAttempts: 1 } });
    await assert.rejects(
      unresolvable.request('GET', '/api/2.1/clusters/list'),
      (err: unknown) => err instanceof DatabricksError && /resolve|no-such-workspace/.test(err.message),
    );
  });
});
