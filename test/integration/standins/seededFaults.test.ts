// The kernel's seeded fault injector (sandbox/kernel/faults.ts), on a bare kernel server: each kind
// does what it says to a real HTTP client, the same seed gives the same faults, and only the
// stand-in's admin token can switch it on.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { AdminRoutes, bytes, HttpError, InjectedFault, json, KernelServer, listen, newAdminToken, reply } from '../../../sandbox/kernel';

describe('seeded fault injector on the stand-in kernel', function () {
  this.timeout(30_000);
  let server: KernelServer;
  const token = newAdminToken();
  let handled = 0;
  const big = JSON.stringify({ rows: Array.from({ length: 200 }, (_, i) => `row ${i}`) });

  before(async () => {
    server = await listen({
      admin: new AdminRoutes(token),
      handle: (r) => {
        handled++;
        if (r.url.pathname === '/stream')
          return reply(
            200,
            { 'Content-Type': 'application/octet-stream', 'Content-Length': String(64 * 1024) },
            Readable.from([Buffer.alloc(16 * 1024, 1), Buffer.alloc(16 * 1024, 2), Buffer.alloc(32 * 1024, 3)]),
          );
        return json(200, JSON.parse(big));
      },
      errorReply: (err) =>
        err instanceof InjectedFault
          ? json(err.status, { code: `PROTO_${err.status}`, kind: err.kind }, err.headers)
          : bytes(err instanceof HttpError ? err.status : 500, {}, String(err)),
    });
  });
  after(async () => server?.stop());

  const configure = async (body: unknown, auth = token) =>
    fetch(`${server.url}/__admin/seeded-faults`, { method: 'POST', headers: { Authorization: `Bearer ${auth}` }, body: JSON.stringify(body) });
  const off = () => fetch(`${server.url}/__admin/seeded-faults`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
  /** What one GET met, as a client sees it. */
  async function outcome(p = '/json'): Promise<string> {
    try {
      const res = await fetch(`${server.url}${p}`);
      const text = await res.text();
      return res.status === 200 && (p !== '/json' || text === big)
        ? 'ok'
        : `${res.status} ${res.headers.get('content-type')} ${res.headers.get('retry-after') ?? ''} ${text.slice(0, 40)}`;
    } catch (err) {
      return `error ${(err as Error).message}`;
    }
  }
  afterEach(async () => {
    await off();
  });

  it('only the admin token switches it on, and a bad configuration is refused', async () => {
    assert.equal((await configure({ seed: 1, rates: { error500: 1 } }, 'wrong')).status, 401);
    assert.equal(await outcome(), 'ok', 'no fault after a refused call');
    assert.equal((await configure({ seed: 1, rates: { error500: 0.7, htmlPage: 0.7 } })).status, 400, 'rates adding up to more than 1');
    assert.equal((await configure({ seed: 1, rates: { meteor: 0.1 } })).status, 400, 'unknown kind');
    assert.equal((await configure({ rates: {} })).status, 400, 'no seed');
  });

  it("429 and 503 carry Retry-After in the stand-in's own error shape; 500 too; a proxy page is HTML", async () => {
    await configure({ seed: 1, rates: { throttle429: 1 }, retryAfterSeconds: 3 });
    assert.match(await outcome(), /^429 application\/json 3 \{"code":"PROTO_429","kind":"throttle429"/);
    await configure({ seed: 1, rates: { unavailable503: 1 } });
    assert.match(await outcome(), /^503 application\/json 1 /);
    await configure({ seed: 1, rates: { error500: 1 } });
    assert.match(await outcome(), /^500 application\/json {2}\{"code":"PROTO_500"/);
    await configure({ seed: 1, rates: { htmlPage: 1 } });
    assert.match(await outcome(), /^502 text\/html; charset=utf-8 {2}<!DOCTYPE html>/);
  });

  it('resets before the handler runs, or after it ran part-way through the body; truncates with a clean close', async () => {
    await configure({ seed: 1, rates: { resetBefore: 1 } });
    handled = 0;
    assert.match(await outcome(), /^error fetch failed/);
    assert.equal(handled, 0, 'a reset before: the request was never handled');
    for (const kind of ['resetDuring', 'truncated']) {
      for (const p of ['/json', '/stream']) {
        await configure({ seed: 1, rates: { [kind]: 1 } });
        handled = 0;
        assert.match(await outcome(p), /^error (terminated|fetch failed)/, `${kind} on ${p}`);
        assert.equal(handled, 1, `${kind}: the request was handled before its answer was cut`);
      }
    }
  });

  it('adds latency from the configured range', async () => {
    await configure({ seed: 1, rates: { latency: 1 }, latencyMs: [150, 200] });
    const t = Date.now();
    assert.equal(await outcome(), 'ok');
    assert.ok(Date.now() - t >= 140, `answered after ${Date.now() - t} ms`);
  });

  it('the same seed meets the same faults, request by request; another seed does not; match and skip choose the routes', async () => {
    const rates = { throttle429: 0.15, error500: 0.15, htmlPage: 0.15, resetBefore: 0.1 };
    const run = async (seed: number) => {
      await configure({ seed, rates, match: '^GET /json$' });
      const seen: string[] = [];
      for (let i = 0; i < 40; i++) seen.push((await outcome()).slice(0, 3));
      const stats = (await (await fetch(`${server.url}/__admin/seeded-faults`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
        stats: { requests: number; injected: Record<string, number> };
      };
      return { seen: seen.join(','), stats: stats.stats };
    };
    const a = await run(42);
    const b = await run(42);
    const c = await run(43);
    assert.equal(a.seen, b.seen);
    assert.notEqual(a.seen, c.seen);
    assert.equal(a.stats.requests, 40);
    assert.equal(
      a.seen.split(',').filter((x) => x !== 'ok').length,
      Object.values(a.stats.injected).reduce((n, v) => n + v, 0),
      'the stats count what the client met',
    );
    await configure({ seed: 42, rates: { error500: 1 }, match: '^GET /json$' });
    assert.equal(await outcome('/stream'), 'ok', 'a route outside match');
    await configure({ seed: 42, rates: { error500: 1 }, skip: '^GET /json$' });
    assert.equal(await outcome('/json'), 'ok', 'a skipped route');
  });
});
