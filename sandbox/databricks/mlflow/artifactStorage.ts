// The cloud storage behind the stand-in's MLflow artifacts. On Databricks a client reads and writes
// run artifacts through signed URLs that `POST /api/2.0/mlflow/artifacts/credentials-for-read`
// (and `credentials-for-write`) hand out (mlflow/protos/databricks_artifacts.proto:
// ArtifactCredentialInfo{run_id, path, signed_uri, headers, type}); the URL points at the
// workspace's cloud storage, not at the workspace. This is that storage: a loopback server of its
// own (another host than the workspace, as S3 is), speaking S3's presigned-URL manners — the
// signature and expiry in the query string (X-Amz-*), `Range` reads (206, Content-Range, 416),
// HEAD, PUT of a whole object, and S3's XML error bodies: 403 AccessDenied for an expired or
// forged URL, 404 NoSuchKey.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** How long a signed URL stays valid. Databricks' value is [unconfirmed]; S3 presigned URLs default to 15 minutes in the SDKs. */
export const DEFAULT_SIGNED_URL_TTL_SECONDS = 900;

export interface StorageCounters {
  requests: number;
  /** Body bytes sent, per object path (below the artifact root). */
  bytesSent: Record<string, number>;
  /** Every Range header seen, in order (tests check that previews read by range). */
  ranges: string[];
  bytesReceived: number;
}

function xmlError(res: http.ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${crypto.randomBytes(8).toString('hex').toUpperCase()}</RequestId></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export class ArtifactStorage {
  private server: http.Server | undefined;
  private starting: Promise<string> | undefined;
  private readonly secret = crypto.randomBytes(32);
  private readonly sockets = new Set<import('node:net').Socket>();
  ttlSeconds = DEFAULT_SIGNED_URL_TTL_SECONDS;
  counters: StorageCounters = { requests: 0, bytesSent: {}, ranges: [], bytesReceived: 0 };

  /** `root` is the folder that holds <experiment>/<run>/artifacts/… */
  constructor(private readonly root: string) {}

  /** The storage's base URL, listening from the first call on. */
  url(): Promise<string> {
    this.starting ??= new Promise<string>((resolve, reject) => {
      const server = http.createServer((req, res) => void this.handle(req, res));
      server.on('connection', (s) => {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
      });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        this.server = server;
        resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      });
    });
    return this.starting;
  }

  private signature(method: string, objectPath: string, expires: number): string {
    return crypto.createHmac('sha256', this.secret).update(`${method}\n${objectPath}\n${expires}`).digest('hex');
  }

  /** A URL that lets its holder GET (or PUT) one object until it expires. `objectPath` is `<exp>/<run>/artifacts/<path>`. */
  async sign(method: 'GET' | 'PUT', objectPath: string, now = Date.now()): Promise<string> {
    const base = await this.url();
    const expires = Math.floor(now / 1000) + this.ttlSeconds;
    const encoded = objectPath.split('/').map(encodeURIComponent).join('/');
    const date = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    return `${base}/${encoded}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${date}&X-Amz-Expires=${this.ttlSeconds}&X-Amz-SignedHeaders=host&ferry-expires=${expires}&X-Amz-Signature=${this.signature(method, objectPath, expires)}`;
  }

  private file(objectPath: string): string | undefined {
    const parts = objectPath.split('/');
    if (parts.some((p) => p === '..' || p === '' || p.includes('\0'))) return undefined;
    return path.join(this.root, ...parts);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.counters.requests++;
    const u = new URL(req.url ?? '/', 'http://storage');
    let objectPath: string;
    try {
      objectPath = u.pathname.slice(1).split('/').map(decodeURIComponent).join('/');
    } catch {
      return xmlError(res, 400, 'InvalidURI', "Couldn't parse the specified URI.");
    }
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const expires = Number(u.searchParams.get('ferry-expires'));
    const sig = u.searchParams.get('X-Amz-Signature') ?? '';
    const want = Number.isFinite(expires) ? this.signature(method, objectPath, expires) : '';
    if (!sig || sig.length !== want.length || !crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(want))) {
      return xmlError(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    }
    if (Date.now() / 1000 > expires) return xmlError(res, 403, 'AccessDenied', 'Request has expired');
    const file = this.file(objectPath);
    if (!file) return xmlError(res, 400, 'InvalidURI', "Couldn't parse the specified URI.");
    if (req.method === 'PUT') return this.put(req, res, file);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return xmlError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
      if (!stat.isFile()) throw new Error('not a file');
    } catch {
      return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    }
    const size = stat.size;
    const range = req.headers.range;
    let start = 0;
    let end = size - 1;
    let status = 200;
    if (range) {
      this.counters.ranges.push(range);
      const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      if (!m || (m[1] === '' && m[2] === '')) return xmlError(res, 416, 'InvalidRange', 'The requested range is not satisfiable');
      if (m[1] === '') {
        start = Math.max(0, size - Number(m[2]));
      } else {
        start = Number(m[1]);
        end = m[2] === '' ? size - 1 : Math.min(size - 1, Number(m[2]));
      }
      if (start >= size || start > end) {
        res.setHeader('Content-Range', `bytes */${size}`);
        return xmlError(res, 416, 'InvalidRange', 'The requested range is not satisfiable');
      }
      status = 206;
    }
    const length = size === 0 ? 0 : end - start + 1;
    const headers: Record<string, string> = {
      'Content-Length': String(length),
      'Accept-Ranges': 'bytes',
      'Content-Type': 'application/octet-stream',
      'Last-Modified': stat.mtime.toUTCString(),
      ETag: `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`,
    };
    if (status === 206) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    res.writeHead(status, headers);
    if (req.method === 'HEAD' || length === 0) return void res.end();
    const key = objectPath;
    // Counted as they go out, and the file closed when the client leaves: a 'data' listener on the
    // file would keep it flowing (and counting) after the client dropped the stream.
    const counter = new Transform({
      transform: (c: Buffer, _enc, done) => {
        this.counters.bytesSent[key] = (this.counters.bytesSent[key] ?? 0) + c.length;
        done(null, c);
      },
    });
    pipeline(fs.createReadStream(file, { start, end }), counter, res).catch(() => undefined);
  }

  /** A PUT keeps the object only once its whole body has arrived (S3 never shows half an upload). */
  private put(req: http.IncomingMessage, res: http.ServerResponse, file: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${crypto.randomBytes(4).toString('hex')}.part`;
    const out = fs.createWriteStream(tmp);
    let received = 0;
    req.on('data', (c: Buffer) => (received += c.length));
    req.pipe(out);
    req.on('aborted', () => {
      out.destroy();
      fs.rmSync(tmp, { force: true });
    });
    out.on('finish', () => {
      const expected = Number(req.headers['content-length'] ?? received);
      if (received !== expected) {
        fs.rmSync(tmp, { force: true });
        return xmlError(res, 400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
      }
      fs.renameSync(tmp, file);
      this.counters.bytesReceived += received;
      res.writeHead(200, { ETag: `"${crypto.createHash('md5').update(fs.readFileSync(file)).digest('hex')}"`, 'Content-Length': '0' });
      res.end();
    });
  }

  resetCounters(): void {
    this.counters = { requests: 0, bytesSent: {}, ranges: [], bytesReceived: 0 };
    this.ttlSeconds = DEFAULT_SIGNED_URL_TTL_SECONDS;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }
}
