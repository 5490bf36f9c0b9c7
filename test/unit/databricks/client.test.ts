// The axios client against a tiny local HTTP server: query form, auth header, error mapping,
// retries honouring Retry-After, the overall cap, cancellation, and a log free of the token.
import assert from 'node:assert/strict';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { memoryLogger } from '../../../src/core/logger';
import { CancelledError } from '../../../src/core/errors';
import { DatabricksClient, normalizeHost, serializeQuery } from '../../../src/databricks/client';
import { DatabricksError, parseErrorBody } from '../../../src/databricks/errors';

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

async function serve(
  handler: Handler,
): Promise<{ url: string; close(): Promise<void>; requests: Array<{ method: string; url: string; auth?: string; body: string }> }> {
  const requests: Array<{ method: string; url: string; auth?: string; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const TOKEN = 'dapi0123456789abcdef0123456789abcdef';
const fast = { baseDelayMs: 10, maxDelayMs: 50, jitterMs: 5 };

describe('Databricks client (unit, local server)', () => {
  it('writes nested query objects as dotted keys and arrays as repeated keys', () => {
    assert.equal(
      serializeQuery({ filter_by: { cluster_sources: ['API', 'UI'], is_pinned: true }, page_size: 10, skip: undefined, sort_by: { field: 'CLUSTER_NAME' } }),
      'filter_by.cluster_sources=API&filter_by.cluster_sources=UI&filter_by.is_pinned=true&page_size=10&sort_by.field=CLUSTER_NAME',
    );
    assert.equal(serializeQuery({ path: '/Users/a b/c&d' }), 'path=%2FUsers%2Fa%20b%2Fc%26d');
  });

  it('normalises hosts and rejects what is not a URL', () => {
    assert.equal(normalizeHost('adb-1.2.azuredatabricks.net/'), 'https://adb-1.2.azuredatabricks.net');
    assert.equal(normalizeHost('https://x.cloud.databricks.com/?o=123#job/1'), 'https://x.cloud.databricks.com');
    assert.throws(() => normalizeHost('ftp://x'), DatabricksError);
    assert.throws(() => normalizeHost('   '), DatabricksError);
    assert.throws(() => normalizeHost('https://exa mple.com'), DatabricksError);
  });

  it('parses every error body shape', () => {
    assert.deepEqual(parseErrorBody(400, '{"error_code":"INVALID_STATE","message":"Cluster x is in unexpected state Running."}'), {
      errorCode: 'INVALID_STATE',
      message: 'Cluster x is in unexpected state Running.',
    });
    assert.deepEqual(parseErrorBody(403, '{"error_code":403,"message":"Invalid access token."}'), {
      errorCode: 'PERMISSION_DENIED',
      message: 'Invalid access token.',
    });
    assert.deepEqual(parseErrorBody(400, '{"error":"bad context"}'), { errorCode: 'BAD_REQUEST', message: 'bad context' });
    assert.deepEqual(parseErrorBody(403, '<html><body><pre>Invalid access token.</pre></body></html>'), {
      errorCode: 'PERMISSION_DENIED',
      message: 'Invalid access token.',
    });
    assert.deepEqual(parseErrorBody(400, 'INVALID_PARAMETER_VALUE: nope'), { errorCode: 'INVALID_PARAMETER_VALUE', message: 'nope' });
    assert.equal(parseErrorBody(502, '', 'Bad Gateway').message, 'Bad Gateway');
  });

  it('sends the bearer token, JSON bodies and the dotted query; an empty body is {}', async () => {
    const srv = await serve((req, _body, res) => {
      if (req.method === 'POST') {
        res.writeHead(200);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"clusters":[{"cluster_id":"a"}]}');
    });
    try {
      const client = new DatabricksClient({ host: srv.url, token: TOKEN });
      const list = await client.request<{ clusters: unknown[] }>('GET', '/api/2.1/clusters/list', {
        query: { filter_by: { cluster_states: ['RUNNING', 'PENDING'] } },
      });
      assert.equal(list.clusters.length, 1);
      assert.deepEqual(await client.request('POST', '/api/2.1/clusters/start', { body: { cluster_id: 'a' } }), {});
      assert.equal(srv.requests[0].url, '/api/2.1/clusters/list?filter_by.cluster_states=RUNNING&filter_by.cluster_states=PENDING');
      assert.equal(srv.requests[0].auth, `Bearer ${TOKEN}`);
      assert.equal(srv.requests[1].body, '{"cluster_id":"a"}');
    } finally {
      await srv.close();
    }
  });

  it('retries 429 and 503 honouring Retry-After, and never logs the token', async () => {
    let n = 0;
    const srv = await serve((_req, _body, res) => {
      n++;
      if (n === 1) {
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
        res.end('{"error_code":"TOO_MANY_REQUESTS","message":"slow down"}');
        return;
      }
      if (n === 2) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{"error_code":"TEMPORARILY_UNAVAILABLE","message":"later"}');
        return;
      }
      res.writeHead(200);
      res.end('{"ok":true}');
    });
    const logger = memoryLogger();
    try {
      const client = new DatabricksClient({ host: srv.url, token: TOKEN, logger, retry: fast });
      assert.deepEqual(await client.request('GET', '/api/2.1/clusters/list'), { ok: true });
      assert.equal(n, 3);
      const waits = logger.lines.filter((l) => l.includes('retry')).map((l) => Number(/in (\d+) ms/.exec(l)?.[1]));
      assert.equal(waits.length, 2);
      assert.ok(waits[0] >= 1000, `the first wait honours Retry-After: 1 (was ${waits[0]} ms)`);
      assert.ok(waits[1] < 1000, `the second falls back to the short backoff (was ${waits[1]} ms)`);
      assert.ok(!logger.lines.some((l) => l.includes(TOKEN) || /authorization/i.test(l)), logger.lines.join('\n'));
    } finally {
      await srv.close();
    }
  });

  it('gives up after the attempt cap with a typed DatabricksError', async () => {
    const srv = await serve((_req, _body, res) => {
      res.writeHead(429, { 'content-type': 'application/json' });
      res.end('{"error_code":"REQUEST_LIMIT_EXCEEDED","message":"too many"}');
    });
    try {
      const client = new DatabricksClient({ host: srv.url, token: TOKEN, retry: { ...fast, maxAttempts: 3 } });
      await assert.rejects(
        client.request('GET', '/x'),
        (err: unknown) => err instanceof DatabricksError && err.status === 429 && err.errorCode === 'REQUEST_LIMIT_EXCEEDED' && err.kind === 'throttled',
      );
      assert.equal(srv.requests.length, 3);
    } finally {
      await srv.close();
    }
  });

  it('gives up when Retry-After exceeds the overall cap', async () => {
    const srv = await serve((_req, _body, res) => {
      res.writeHead(503, { 'retry-after': '30' });
      res.end('{"error_code":"TEMPORARILY_UNAVAILABLE","message":"down"}');
    });
    try {
      const client = new DatabricksClient({ host: srv.url, token: TOKEN, retry: { ...fast, totalTimeoutMs: 2000 } });
      await assert.rejects(client.request('GET', '/x'), (err: unknown) => err instanceof DatabricksError && err.status === 503);
      assert.equal(srv.requests.length, 1);
    } finally {
      await srv.close();
    }
  });

  it('maps the numeric 403 invalid-token answer to an auth error with Sign In', async () => {
    const srv = await serve((_req, _body, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end('{"error_code":403,"message":"Invalid access token."}');
    });
    try {
      const client = new DatabricksClient({ host: srv.url, token: 'dapibad' });
      await assert.rejects(
        client.request('GET', '/api/2.1/clusters/list'),
        (err: unknown) =>
          err instanceof DatabricksError && err.kind === 'auth' && err.status === 403 && err.actions.some((a) => a.command === 'ferry.databricks.signIn'),
      );
      assert.equal(srv.requests.length, 1, 'an auth failure is not retried');
    } finally {
      await srv.close();
    }
  });

  it('cancels a request in flight and a retry wait', async () => {
    const srv = await serve((req, _body, res) => {
      if (req.url === '/slow') {
        setTimeout(() => {
          res.writeHead(200);
          res.end('{}');
        }, 5000);
        return;
      }
      res.writeHead(429, { 'retry-after': '20' });
      res.end('{"error_code":"TOO_MANY_REQUESTS","message":"x"}');
    });
    try {
      const client = new DatabricksClient({ host: srv.url, token: TOKEN });
      const a = new AbortController();
      setTimeout(() => a.abort(), 100);
      await assert.rejects(client.request('GET', '/slow', { signal: a.signal }), CancelledError);
      const b = new AbortController();
      setTimeout(() => b.abort(), 200);
      await assert.rejects(client.request('GET', '/throttled', { signal: b.signal }), CancelledError);
    } finally {
      await srv.close();
    }
  });

  it('reports a refused connection and a non-JSON answer as clear errors', async () => {
    const srv = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    });
    try {
      const client = new DatabricksClient({ host: srv.url, token: TOKEN });
      await assert.rejects(client.request('GET', '/api/2.1/clusters/list'), /not a Databricks workspace|other than JSON/);
    } finally {
      await srv.close();
    }
    const dead = new DatabricksClient({ host: srv.url, token: TOKEN, retry: { ...fast, maxAttempts: 2 } });
    await assert.rejects(dead.request('GET', '/x'), (err: unknown) => err instanceof DatabricksError && err.kind === 'network' && /refused/.test(err.message));
  });

  it('times out a request that takes too long', async () => {
    const srv = await serve((_req, _body, res) => {
      setTimeout(() => {
        res.writeHead(200);
        res.end('{}');
      }, 3000);
    });
    try {
      const client = new DatabricksClient({ host: srv.url, token: TOKEN, timeoutMs: 100, retry: { ...fast, maxAttempts: 2 } });
      await assert.rejects(client.request('POST', '/x', { body: {} }), /timed out/);
      assert.equal(srv.requests.length >= 1, true);
    } finally {
      await srv.close();
    }
  });
});
