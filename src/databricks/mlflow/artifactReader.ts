// Reads one MLflow artifact through the signed URL the workspace hands out
// (credentials-for-read): by range (Parquet footers, the first bytes of a text file) or as a
// stream (downloads, CSV previews), never more than asked for. Signed URLs are cloud-storage URLs
// (an S3 presigned GET): they go through the same proxy and CA agents as every other request, a
// HEAD would not match a GET signature (so the size comes from a one-byte range), and an expired
// URL is asked for again once. The URL's signature never reaches a message or the log.
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { CancelledError, FerryError } from '../../core/errors';
import type { HttpAgents } from '../../core/network';
import { describeNetworkFailure } from '../../core/network';
import { redact } from '../../core/redact';
import type { PreviewByteSource } from '../../aws/preview/byteSource';
import { MlflowService, SignedUrl } from './service';

export interface ArtifactReadOptions {
  signal?: AbortSignal;
  /** Gives up when no byte arrives for this long (default 60 s). */
  timeoutMs?: number;
}

class SignedUrlError extends FerryError {
  constructor(
    readonly status: number,
    readonly storageCode: string | undefined,
    message: string,
  ) {
    super(status === 403 ? 'forbidden' : status === 404 ? 'notFound' : 'unknown', message);
  }

  get expired(): boolean {
    return this.status === 403 && (this.storageCode === 'AccessDenied' || this.storageCode === 'AuthenticationFailed' || this.storageCode === 'ExpiredToken');
  }
}

/** GET of a signed URL; resolves with the open response (2xx), rejects with the storage's error. */
function get(signed: SignedUrl, agents: HttpAgents, headers: Record<string, string>, opts: ArtifactReadOptions): Promise<http.IncomingMessage> {
  const u = new URL(signed.url);
  const shown = redact(`${u.origin}${u.pathname}`);
  const secure = u.protocol === 'https:';
  if (!secure && u.protocol !== 'http:') return Promise.reject(new FerryError('invalidInput', `The artifact's signed URL is not http(s) (${u.protocol})`));
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new CancelledError());
    const req = (secure ? https : http).request(
      u,
      {
        method: 'GET',
        agent: secure ? agents.httpsAgent : agents.httpAgent,
        headers: { ...signed.headers, ...headers },
        timeout: opts.timeoutMs ?? 60_000,
        signal: opts.signal,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve(res);
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.length < 64 && chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
          const why = /<Message>([^<]+)<\/Message>/.exec(body)?.[1];
          reject(new SignedUrlError(status, code, `The artifact store answered HTTP ${status}${code ? ` ${code}` : ''}${why ? `: ${why}` : ''} (${shown})`));
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error(`No answer from ${u.host} in ${Math.round((opts.timeoutMs ?? 60_000) / 1000)} s`), { code: 'ETIMEDOUT' })),
    );
    req.on('error', (err) => {
      if (opts.signal?.aborted) return reject(new CancelledError());
      const net = describeNetworkFailure(err, u.host);
      reject(net ? new FerryError(net.kind, net.message, net.actions, undefined, { cause: err }) : err);
    });
    req.end();
  });
}

async function readAll(res: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export class ArtifactReader implements PreviewByteSource {
  private signed: Promise<SignedUrl> | undefined;
  private knownSize: number | undefined;

  constructor(
    private readonly service: MlflowService,
    private readonly agents: HttpAgents,
    readonly runId: string,
    readonly path: string,
    private readonly opts: ArtifactReadOptions = {},
    size?: number,
  ) {
    this.knownSize = size;
  }

  private url(fresh = false): Promise<SignedUrl> {
    if (fresh || !this.signed) {
      this.signed = this.service.readUrl(this.runId, this.path, this.opts.signal);
      this.signed.catch(() => (this.signed = undefined));
    }
    return this.signed;
  }

  /** A GET with these headers; an expired URL is replaced once (a GET changes nothing, so asking again is safe). */
  private async open(headers: Record<string, string>): Promise<http.IncomingMessage> {
    try {
      return await get(await this.url(), this.agents, headers, this.opts);
    } catch (err) {
      if (!(err instanceof SignedUrlError) || !err.expired) throw err;
      return get(await this.url(true), this.agents, headers, this.opts);
    }
  }

  async size(): Promise<number> {
    if (this.knownSize !== undefined) return this.knownSize;
    const res = await this.open({ Range: 'bytes=0-0' });
    res.resume();
    const total = /\/(\d+)\s*$/.exec(String(res.headers['content-range'] ?? ''))?.[1];
    this.knownSize = total !== undefined ? Number(total) : Number(res.headers['content-length'] ?? 0);
    return this.knownSize;
  }

  /** Bytes [start, end). */
  async readRange(start: number, end: number): Promise<Uint8Array> {
    if (end <= start) return new Uint8Array(0);
    const res = await this.open({ Range: `bytes=${start}-${end - 1}` });
    const body = await readAll(res);
    // A store that ignores Range sends the whole object (200): keep only what was asked for.
    return res.statusCode === 206 ? body : body.subarray(start, end);
  }

  async openStream(): Promise<Readable> {
    return this.open({});
  }
}
