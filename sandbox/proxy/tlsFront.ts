// A TLS front for a stand-in: terminates TLS with a certificate from a throwaway CA and pipes the
// bytes, untouched, to the stand-in's plain HTTP port. Untouched matters: S3 and Athena requests
// are signed over their Host header, which stays the front's own. Used by the proxy tests and by
// `npm run sandbox -- --proxy`.
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { KeyPairPem } from './certs';

export interface TlsFront {
  /** https://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Connections accepted (TLS handshakes begun). */
  connections(): number;
  stop(): Promise<void>;
}

export async function startTlsFront(opts: { target: string; pair: KeyPairPem; host?: string }): Promise<TlsFront> {
  const target = new URL(opts.target);
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = tls.createServer({ cert: opts.pair.cert, key: opts.pair.key }, (client) => {
    const upstream = net.connect(Number(target.port) || 80, target.hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    // A stand-in that closes or dies ends the client's connection too (and the reverse).
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (s: net.Socket) => {
    count++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A client that refuses the certificate aborts the handshake: that is the point, not an error here.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://${host}:${port}`,
    port,
    connections: () => count,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
