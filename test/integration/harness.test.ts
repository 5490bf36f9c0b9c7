// Proves the integration runner speaks real HTTP on loopback; service suites sit beside it.
import assert from 'node:assert/strict';
import http from 'node:http';
import { AddressInfo } from 'node:net';

describe('integration runner', () => {
  it('reaches a loopback HTTP server', async () => {
    const server = http.createServer((_req, res) => res.end('pong'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    server.close();
    assert.equal(body, 'pong');
  });
});
