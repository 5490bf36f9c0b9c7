// A loopback HTTP server that answers every request exactly once. The stand-in's `handle` returns a
// Reply (or throws); `errorReply` renders whatever was thrown in the stand-in's protocol. Admin
// routes are answered first. Client errors (bad requests, resets mid-body) end that connection and
// are never unhandled 'error' events, so no request can take a stand-in down.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { AdminRoutes } from './admin';
import { isReply, Reply } from './reply';

export interface KernelRequest {
  req: http.IncomingMessage;
  method: string;
  /** Parsed against the stand-in's own URL (query in `url.searchParams`). */
  url: URL;
  /** The path exactly as sent, before the query, still percent-encoded (S3 keys need it raw). */
  rawPath: string;
}

export interface KernelServerOptions {
  port?: number;
  host?: string;
  admin?: AdminRoutes;
  handle(r: KernelRequest): Promise<Reply> | Reply;
  errorReply(err: unknown, r: KernelRequest): Reply;
  /** Called for an error no reply could carry (a broken socket, a failing stream); default: ignore. */
  onLost?(err: unknown, r?: KernelRequest): void;
}

export interface KernelServer {
  url: string;
  port: number;
  server: http.Server;
  stop(): Promise<void>;
}

export async function listen(opts: KernelServerOptions): Promise<KernelServer> {
  const server = http.createServer();
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', (err) => opts.onLost?.(err));
  });
  server.on('clientError', (err, socket) => {
    opts.onLost?.(err);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    req.on('error', (err) => opts.onLost?.(err));
    res.on('error', (err) => opts.onLost?.(err));
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    let url: URL;
    try {
      url = new URL(rawUrl.startsWith('/') ? rawUrl : `/${rawUrl}`, base);
    } catch {
      url = new URL('/', base);
    }
    const r: KernelRequest = { req, method: req.method ?? 'GET', url, rawPath };
    void (async () => {
      let answer: Reply;
      try {
        answer = opts.admin && AdminRoutes.matches(url.pathname) ? await opts.admin.handle(req, url.pathname) : await opts.handle(r);
        if (!isReply(answer)) throw new Error('a stand-in handler returned something that is not a Reply');
      } catch (err) {
        try {
          answer = opts.errorReply(err, r);
        } catch (again) {
          opts.onLost?.(again, r);
          res.destroy();
          return;
        }
      }
      write(res, r, answer, opts.onLost);
    })();
  });

  return {
    url: base,
    port,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

function write(res: http.ServerResponse, r: KernelRequest, answer: Reply, onLost?: (err: unknown, r?: KernelRequest) => void): void {
  if (res.headersSent || res.destroyed) return;
  if (answer.reset) {
    r.req.socket.destroy();
    return;
  }
  // A request whose body the handler did not read is drained, so the connection stays usable.
  if (!r.req.readableEnded) r.req.resume();
  res.writeHead(answer.status, answer.headers);
  const body = answer.body;
  if (r.method === 'HEAD' || body === undefined) {
    if (body instanceof Readable) body.destroy();
    res.end();
    return;
  }
  if (body instanceof Readable) {
    body.on('error', (err) => {
      onLost?.(err, r);
      res.destroy();
    });
    body.pipe(res);
    return;
  }
  res.end(body);
}
