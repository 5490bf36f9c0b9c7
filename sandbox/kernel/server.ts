// A loopback HTTP server that answers every request exactly once. The stand-in's `handle` returns a
// Reply (or throws); `errorReply` renders whatever was thrown in the stand-in's protocol. Admin
// routes are answered first. Client errors (bad requests, resets mid-body) end that connection and
// are never unhandled 'error' events, so no request can take a stand-in down.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { AdminRoutes } from './admin';
import { InjectedFault, PROXY_PAGE, SeededFaults } from './faults';
import { bytes, isReply, Reply } from './reply';

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
  /** The seeded fault injector (also at /__admin/seeded-faults when the stand-in has admin routes). */
  faults: SeededFaults;
  stop(): Promise<void>;
}

type Cut = 'resetDuring' | 'truncated';

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
  const seeded = new SeededFaults();
  opts.admin
    ?.add('POST /seeded-faults', (body) => seeded.configure(body))
    .add('GET /seeded-faults', () => seeded.describe())
    .add('DELETE /seeded-faults', () => seeded.off());

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
      let cut: Cut | undefined;
      try {
        const isAdmin = opts.admin && AdminRoutes.matches(url.pathname);
        const fault = isAdmin ? undefined : seeded.decide(`${r.method} ${url.pathname}`, String(req.headers['user-agent'] ?? ''));
        if (fault?.latencyMs) await new Promise((res) => setTimeout(res, fault.latencyMs));
        if (fault?.kind === 'resetBefore') {
          req.socket.destroy();
          return;
        }
        if (fault?.kind === 'resetDuring' || fault?.kind === 'truncated') cut = fault.kind;
        const retryAfter = { 'Retry-After': String(seeded.retryAfterSeconds) };
        if (fault?.kind === 'htmlPage') answer = bytes(502, { 'Content-Type': 'text/html; charset=utf-8' }, PROXY_PAGE);
        else if (fault?.kind === 'throttle429') answer = opts.errorReply(new InjectedFault(429, fault.kind, 'Too many requests (injected)', retryAfter), r);
        else if (fault?.kind === 'unavailable503')
          answer = opts.errorReply(new InjectedFault(503, fault.kind, 'Service unavailable (injected)', retryAfter), r);
        else if (fault?.kind === 'error500') answer = opts.errorReply(new InjectedFault(500, fault.kind, 'Internal error (injected)'), r);
        else answer = isAdmin ? await opts.admin!.handle(req, url.pathname) : await opts.handle(r);
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
      if (cut) cutShort(res, r, answer, cut);
      else write(res, r, answer, opts.onLost);
    })();
  });

  return {
    url: base,
    port,
    server,
    faults: seeded,
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

/**
 * Writes the answer's headers (promising the whole body) and part of its body, then ends the
 * connection: destroyed (resetDuring) or closed cleanly (truncated). An answer without a body is
 * lost whole: the connection goes before any byte.
 */
function cutShort(res: http.ServerResponse, r: KernelRequest, answer: Reply, cut: Cut): void {
  if (res.headersSent || res.destroyed) return;
  const socket = r.req.socket;
  const finish = (): void => {
    if (cut === 'resetDuring') socket.destroy();
    else socket.end();
  };
  const body = answer.body;
  if (!r.req.readableEnded) r.req.resume();
  if (answer.reset || r.method === 'HEAD' || body === undefined || (!(body instanceof Readable) && Buffer.byteLength(body) === 0)) {
    if (body instanceof Readable) body.destroy();
    socket.destroy();
    return;
  }
  if (!(body instanceof Readable)) {
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const headers = { ...answer.headers };
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-length')) headers['Content-Length'] = String(buf.length);
    res.writeHead(answer.status, headers);
    res.write(buf.subarray(0, Math.max(1, Math.floor(buf.length / 2))), finish);
    return;
  }
  const declared = Number(Object.entries(answer.headers).find(([k]) => k.toLowerCase() === 'content-length')?.[1] ?? NaN);
  const limit = Number.isFinite(declared) && declared > 1 ? Math.floor(declared / 2) : 1;
  res.writeHead(answer.status, answer.headers);
  let sent = 0;
  let done = false;
  const stopAt = (chunk?: Buffer): void => {
    if (done) return;
    done = true;
    body.destroy();
    if (chunk?.length) res.write(chunk, finish);
    else finish();
  };
  body.on('data', (chunk: Buffer) => {
    if (done) return;
    if (sent + chunk.length >= limit) return stopAt(chunk.subarray(0, Math.max(0, limit - sent)));
    sent += chunk.length;
    res.write(chunk);
  });
  body.on('end', () => stopAt());
  body.on('error', () => stopAt());
}
