// AWS Signature Version 4 as S3 checks it: the Authorization header or a presigned URL's query,
// the canonical request built from the path exactly as sent (S3 neither normalises nor
// double-encodes it), the clock skew window, presigned expiry, and the payload hash. Bodies sent
// aws-chunked (the SDK's streaming uploads with a trailing checksum) are decoded by AwsChunked.
// Unconfirmed / not modelled: per-chunk signatures of STREAMING-AWS4-HMAC-SHA256-PAYLOAD are not
// checked (the seed signature and the trailing checksum are); SigV2 and anonymous access are refused.
import crypto from 'node:crypto';
import type http from 'node:http';
import { Transform, TransformCallback } from 'node:stream';
import { S3Error } from './xml';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface Signed {
  accessKeyId: string;
  region: string;
  /** The declared payload hash: a hex SHA-256, UNSIGNED-PAYLOAD or a STREAMING-… mode. */
  payload: string;
  presigned: boolean;
}

const MAX_SKEW_MS = 15 * 60_000;
const enc = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: crypto.BinaryLike, s: string): Buffer => crypto.createHmac('sha256', key).update(s, 'utf8').digest();
const sha256hex = (s: string): string => crypto.createHash('sha256').update(s, 'utf8').digest('hex');

function amzDate(s: string | undefined): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s ?? '');
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

function canonicalQuery(rawQuery: string, drop?: string): string {
  const pairs = rawQuery
    .split('&')
    .filter(Boolean)
    .map((p) => {
      const i = p.indexOf('=');
      const k = i < 0 ? p : p.slice(0, i);
      const v = i < 0 ? '' : p.slice(i + 1);
      const d = (x: string): string => {
        try {
          return decodeURIComponent(x);
        } catch {
          return x;
        }
      };
      return [d(k), d(v)] as [string, string];
    })
    .filter(([k]) => k !== drop)
    .map(([k, v]) => [enc(k), enc(v)] as [string, string]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** The path as S3 would encode it (each byte outside the unreserved set as %XX, '/' kept), for clients that sent it less encoded. */
function reencodePath(rawPath: string): string {
  try {
    return rawPath
      .split('/')
      .map((s) => enc(decodeURIComponent(s)))
      .join('/');
  } catch {
    return rawPath;
  }
}

function header(req: http.IncomingMessage, name: string): string {
  const v = req.headers[name];
  return (Array.isArray(v) ? v.join(',') : (v ?? '')).trim().replace(/\s+/g, ' ');
}

/** Checks the request's signature; throws S3's error when it is missing, malformed, stale or wrong. */
export function verify(req: http.IncomingMessage, rawPath: string, rawQuery: string, creds: Credentials, now = Date.now()): Signed {
  const query = new URLSearchParams(rawQuery);
  const auth = String(req.headers.authorization ?? '');
  let accessKeyId: string, date: string, region: string, service: string, signedHeaders: string[], signature: string, payload: string, stamp: string;
  let presigned = false;
  if (auth.startsWith('AWS4-HMAC-SHA256 ')) {
    const f = Object.fromEntries(
      auth
        .slice(17)
        .split(',')
        .map((p) => p.trim().split('=') as [string, string]),
    ) as Record<string, string>;
    const cred = (f.Credential ?? '').split('/');
    if (cred.length !== 5 || !f.SignedHeaders || !f.Signature)
      throw new S3Error(
        400,
        'AuthorizationHeaderMalformed',
        'The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
      );
    [accessKeyId, date, region, service] = cred;
    signedHeaders = f.SignedHeaders.split(';');
    signature = f.Signature;
    stamp = header(req, 'x-amz-date') || header(req, 'date');
    payload = header(req, 'x-amz-content-sha256');
    if (!payload) throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  } else if (query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256') {
    presigned = true;
    const cred = (query.get('X-Amz-Credential') ?? '').split('/');
    if (cred.length !== 5)
      throw new S3Error(
        400,
        'AuthorizationQueryParametersError',
        'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
      );
    [accessKeyId, date, region, service] = cred;
    signedHeaders = (query.get('X-Amz-SignedHeaders') ?? 'host').split(';');
    signature = query.get('X-Amz-Signature') ?? '';
    stamp = query.get('X-Amz-Date') ?? '';
    payload = 'UNSIGNED-PAYLOAD';
    const expires = Number(query.get('X-Amz-Expires') ?? '0');
    if (!Number.isInteger(expires) || expires < 1 || expires > 604800)
      throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be less than a week (in seconds) that is 604800 seconds');
    if (now > amzDate(stamp) + expires * 1000)
      throw new S3Error(403, 'AccessDenied', 'Request has expired', {
        'X-Amz-Expires': String(expires),
        Expires: new Date(amzDate(stamp) + expires * 1000).toISOString(),
        ServerTime: new Date(now).toISOString(),
      });
  } else if (auth.startsWith('AWS ')) {
    throw new S3Error(400, 'InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
  } else {
    throw new S3Error(403, 'AccessDenied', 'Access Denied');
  }
  if (accessKeyId !== creds.accessKeyId)
    throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: accessKeyId });
  const t = amzDate(stamp);
  if (Number.isNaN(t)) throw new S3Error(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  if (!presigned && Math.abs(now - t) > MAX_SKEW_MS)
    throw new S3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
      RequestTime: stamp,
      ServerTime: new Date(now).toISOString(),
      MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
    });
  const scope = `${date}/${region}/${service}/aws4_request`;
  const headers = signedHeaders.map((h) => `${h}:${header(req, h)}\n`).join('');
  const cq = canonicalQuery(rawQuery, presigned ? 'X-Amz-Signature' : undefined);
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, date), region), service), 'aws4_request');
  const expected = (uri: string): string => {
    const canonical = [req.method ?? 'GET', uri, cq, headers, signedHeaders.join(';'), payload].join('\n');
    return hmac(key, ['AWS4-HMAC-SHA256', stamp, scope, sha256hex(canonical)].join('\n')).toString('hex');
  };
  const ok = [rawPath, reencodePath(rawPath)].some((uri) => {
    const want = Buffer.from(expected(uri));
    const got = Buffer.from(signature);
    return want.length === got.length && crypto.timingSafeEqual(want, got);
  });
  if (!ok)
    throw new S3Error(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      { AWSAccessKeyId: accessKeyId },
    );
  return { accessKeyId, region, payload, presigned };
}

/**
 * Decodes an aws-chunked body: `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0…\r\n`, then
 * trailer lines (`x-amz-checksum-crc32:…`) and an empty line. The trailers are kept for the caller.
 */
export class AwsChunked extends Transform {
  readonly trailers: Record<string, string> = {};
  private buf: Buffer = Buffer.alloc(0);
  private left = 0;
  private state: 'size' | 'data' | 'crlf' | 'trailer' | 'done' = 'size';

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    try {
      this.drain();
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    if (this.state !== 'done' && !(this.state === 'trailer' && this.buf.length === 0))
      return cb(new S3Error(400, 'IncompleteBody', 'The request body terminated unexpectedly'));
    cb();
  }

  private drain(): void {
    for (;;) {
      if (this.state === 'data') {
        if (!this.buf.length) return;
        const n = Math.min(this.left, this.buf.length);
        this.push(this.buf.subarray(0, n));
        this.buf = this.buf.subarray(n);
        this.left -= n;
        if (this.left === 0) this.state = 'crlf';
        continue;
      }
      if (this.state === 'done') {
        this.buf = Buffer.alloc(0);
        return;
      }
      const nl = this.buf.indexOf('\r\n');
      if (nl < 0) {
        if (this.buf.length > 64 * 1024) throw new S3Error(400, 'InvalidRequest', 'Malformed aws-chunked body');
        return;
      }
      const line = this.buf.subarray(0, nl).toString('latin1');
      this.buf = this.buf.subarray(nl + 2);
      if (this.state === 'crlf') {
        if (line !== '') throw new S3Error(400, 'InvalidRequest', 'Malformed aws-chunked body');
        this.state = 'size';
      } else if (this.state === 'size') {
        const size = parseInt(line.split(';')[0], 16);
        if (!Number.isFinite(size) || size < 0) throw new S3Error(400, 'InvalidRequest', 'Malformed aws-chunked body');
        if (size === 0) this.state = 'trailer';
        else {
          this.left = size;
          this.state = 'data';
        }
      } else if (this.state === 'trailer') {
        if (line === '') this.state = 'done';
        else {
          const i = line.indexOf(':');
          if (i > 0) this.trailers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
        }
      }
    }
  }
}
