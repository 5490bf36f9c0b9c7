// A Databricks answer cut off mid-body (the kernel's seeded faults, met through Ferry's client):
// a GET is safe to send again and is retried; a POST may have been carried out and is not, and the
// user is told so in words. Found by the fault suite, where both surfaced as axios's
// "(ERR_BAD_RESPONSE): stream has been aborted" and a cut GET failed a whole cluster start.
import assert from 'node:assert/strict';
import { classifyError } from '../../../src/core/errors';
import { DatabricksClient } from '../../../src/databricks/client';
import { adminCall, DatabricksEndpoint, databricksStandIn } from '../standIns';
import { isClearMessage } from './audit';
import { seedHittingOnlyTheFirst } from './seeds';

describe('Databricks answers cut off mid-body', function () {
  this.timeout(60_000);
  let db: DatabricksEndpoint;
  let client: DatabricksClient;
  const admin = (method: string, p: string, body?: unknown) => adminCall(db.admin, db.token, method, p, body);

  before(async () => {
    db = await databricksStandIn();
    client = new DatabricksClient({ host: db.url, token: db.token, retry: { baseDelayMs: 20, jitterMs: 5 } });
  });
  afterEach(async () => {
    await admin('DELETE', '/seeded-faults');
  });
  after(async () => db?.stop());

  it('a GET whose answer is cut off is sent again and answers', async () => {
    const { clusterIds } = (await admin('GET', '/info')) as { clusterIds: string[] };
    await admin('POST', '/seeded-faults', { seed: seedHittingOnlyTheFirst(0.5), rates: { truncated: 0.5 }, match: '^GET /api/2.1/clusters/get$' });
    const c = await client.request<{ cluster_id: string }>('GET', '/api/2.1/clusters/get', { query: { cluster_id: clusterIds[0] } });
    assert.equal(c.cluster_id, clusterIds[0]);
    const stats = (await admin('GET', '/seeded-faults')) as { stats: { requests: number; injected: Record<string, number> } };
    assert.deepEqual([stats.stats.requests, stats.stats.injected.truncated], [2, 1], 'one cut answer, then one whole');
  });

  it('a POST whose answer is cut off is not sent again, and the message says it may have been carried out', async () => {
    await admin('POST', '/reset');
    await admin('POST', '/seeded-faults', { seed: 3, rates: { resetDuring: 1 }, match: '^POST /api/2.0/workspace/mkdirs$' });
    const err = await client.request('POST', '/api/2.0/workspace/mkdirs', { body: { path: '/Workspace/Users/sandbox@ferry.dev/cut-test' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err, 'the POST succeeded through the fault');
    const message = classifyError(err).message;
    assert.ok(isClearMessage(message), `not a clear message: ${JSON.stringify(message)}`);
    assert.match(message, /cut before the answer was complete/);
    assert.match(message, /may have been carried out/);
    const { counts } = (await admin('GET', '/requests')) as { counts: Record<string, number> };
    assert.equal(counts['POST /api/2.0/workspace/mkdirs'], 1, 'sent once');
  });
});
