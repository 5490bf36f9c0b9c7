// Every stand-in's /__admin routes (faults, counters, timings, OAuth settings) need that stand-in's
// own token: the Databricks PAT, and the admin tokens the S3 and Athena stand-ins make at start.
// Without it a local process could read request logs or switch faults on (issue 14, hole 10).
import assert from 'node:assert/strict';
import { athenaStandIn, AthenaEndpoint, databricksStandIn, DatabricksEndpoint, S3Endpoint, s3StandIn } from '../standIns';

describe('stand-in admin routes need the stand-in token', function () {
  this.timeout(60_000);
  let s3: S3Endpoint;
  let athena: AthenaEndpoint;
  let db: DatabricksEndpoint;

  before(async () => {
    s3 = await s3StandIn();
    athena = await athenaStandIn(s3);
    db = await databricksStandIn();
  });
  after(async () => {
    await db?.stop();
    await athena?.stop();
    await s3?.stop();
  });

  const cases = (): Array<{ name: string; root: string; token: string; get: string; post: [string, unknown] }> => [
    {
      name: 'S3',
      root: `${s3.endpoint}/__admin`,
      token: s3.adminToken,
      get: '/requests',
      post: ['/faults', { operation: 'ListBuckets', status: 503, code: 'SlowDown', count: 1 }],
    },
    {
      name: 'Athena',
      root: athena.admin,
      token: athena.adminToken,
      get: '/requests',
      post: ['/faults', [{ operation: 'ListWorkGroups', kind: 'throttle', count: 1 }]],
    },
    { name: 'Databricks', root: db.admin, token: db.token, get: '/requests', post: ['/faults', { rate503: 1 }] },
  ];

  it('refuses admin calls without a token or with a wrong one, with 401 and nothing changed', async () => {
    for (const c of cases()) {
      for (const headers of [{} as Record<string, string>, { Authorization: 'Bearer not-the-token' }, { Authorization: `Bearer ${c.token}x` }]) {
        const read = await fetch(`${c.root}${c.get}`, { headers });
        assert.equal(read.status, 401, `${c.name} GET ${c.get} with ${JSON.stringify(headers)}: ${read.status}`);
        const text = await read.text();
        assert.doesNotMatch(text, /requests|counts/, `${c.name} leaked its log: ${text}`);
        const write = await fetch(`${c.root}${c.post[0]}`, { method: 'POST', headers, body: JSON.stringify(c.post[1]) });
        assert.equal(write.status, 401, `${c.name} POST ${c.post[0]}: ${write.status}`);
      }
      // The refused fault was not installed: the token holder sees none.
      const faults = await fetch(`${c.root}/faults`, { headers: { Authorization: `Bearer ${c.token}` } });
      if (faults.status === 200) {
        const body = (await faults.json()) as Record<string, unknown>;
        const list = (body.faults ?? []) as unknown[];
        assert.equal(Array.isArray(list) ? list.length : 0, 0, `${c.name} installed a refused fault: ${JSON.stringify(body)}`);
        assert.equal(body.rate503, undefined, `${c.name} installed a refused fault: ${JSON.stringify(body)}`);
      }
    }
  });

  it('answers admin calls that carry the token', async () => {
    for (const c of cases()) {
      const res = await fetch(`${c.root}${c.get}`, { headers: { Authorization: `Bearer ${c.token}` } });
      assert.equal(res.status, 200, `${c.name}: ${res.status} ${await res.text()}`);
    }
  });
});
