// External links of the stand-in's EXTERNAL_LINKS results, shaped like the S3 presigned URLs a
// workspace on AWS hands out: the credential is in a signed query string (X-Amz-Date,
// X-Amz-Expires, X-Amz-Signature), the link expires, a tampered link fails its signature, and a
// request that also carries an Authorization header is refused, as S3 refuses two auth mechanisms.
// The answers are S3's XML errors. Links may carry `http_headers` (an SSE-C style key) that the
// download must send back. Azure and GCP links differ in shape and error text ([unconfirmed] here).
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import { raw, RawResponse } from './http';

export const LINK_PREFIX = '/__ext/sql-results/';

function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function fromAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : NaN;
}

function s3Error(status: number, code: string, message: string, extra = ''): RawResponse {
  const id = crypto.randomBytes(8).toString('hex').toUpperCase();
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>${id}</RequestId></Error>`;
  return raw(status, { 'Content-Type': 'application/xml', 'Content-Length': String(Buffer.byteLength(body)) }, Buffer.from(body));
}

export class PresignedLinks {
  private readonly secret = crypto.randomBytes(32);
  private readonly keys = new Map<string, string>();
  /** Bytes served per statement id (tests read how much a client downloaded). */
  readonly served = new Map<string, { requests: number; bytes: number }>();

  constructor(private readonly baseUrl: string) {}

  private sign(id: string, chunk: number, date: string, expires: string): string {
    return crypto.createHmac('sha256', this.secret).update(`${id}/${chunk}/${date}/${expires}`).digest('hex');
  }

  private keyFor(id: string): string {
    let k = this.keys.get(id);
    if (!k) {
      k = crypto.randomBytes(32).toString('base64');
      this.keys.set(id, k);
    }
    return k;
  }

  issue(id: string, chunk: number, ttlMs: number, withHeaders: boolean): { url: string; expiration: string; headers?: Record<string, string> } {
    const now = Date.now();
    const date = amzDate(now);
    // X-Amz-Expires is whole seconds; a sub-second lifetime (tests) still expires when it says.
    const expires = String(Math.max(0, Math.floor(ttlMs / 1000)));
    const expiresAt = fromAmzDate(date) + Number(expires) * 1000;
    const q = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `ASIAFERRYSTANDIN/${date.slice(0, 8)}/us-west-2/s3/aws4_request`,
      'X-Amz-Date': date,
      'X-Amz-Expires': expires,
      'X-Amz-SignedHeaders': withHeaders
        ? 'host;x-amz-server-side-encryption-customer-algorithm;x-amz-server-side-encryption-customer-key;x-amz-server-side-encryption-customer-key-md5'
        : 'host',
      'X-Amz-Signature': this.sign(id, chunk, date, expires),
    });
    const url = `${this.baseUrl}${LINK_PREFIX}${id}/${chunk}?${q.toString()}`;
    if (!withHeaders) return { url, expiration: new Date(expiresAt).toISOString() };
    const key = this.keyFor(id);
    const md5 = crypto.createHash('md5').update(Buffer.from(key, 'base64')).digest('base64');
    return {
      url,
      expiration: new Date(expiresAt).toISOString(),
      headers: {
        'x-amz-server-side-encryption-customer-algorithm': 'AES256',
        'x-amz-server-side-encryption-customer-key': key,
        'x-amz-server-side-encryption-customer-key-MD5': md5,
      },
    };
  }

  /** Answers GET on a link: the chunk's bytes, or S3's error. */
  serve(
    rest: string,
    query: URLSearchParams,
    req: http.IncomingMessage,
    file: (id: string, chunk: number) => { file: string; contentType: string } | undefined,
    needsHeaders: boolean,
  ): RawResponse {
    const m = /^([0-9a-f-]+)\/(\d+)$/.exec(rest);
    if (!m) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    const [, id, chunkText] = m;
    const chunk = Number(chunkText);
    if (req.headers.authorization) {
      return s3Error(
        400,
        'InvalidArgument',
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
        '<ArgumentName>Authorization</ArgumentName>',
      );
    }
    const date = query.get('X-Amz-Date') ?? '';
    const expires = query.get('X-Amz-Expires') ?? '';
    const signature = query.get('X-Amz-Signature') ?? '';
    const good = this.sign(id, chunk, date, expires);
    if (signature.length !== good.length || !crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(good))) {
      return s3Error(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      );
    }
    const expiresAt = fromAmzDate(date) + Number(expires) * 1000;
    if (!(Date.now() < expiresAt)) {
      return s3Error(
        403,
        'AccessDenied',
        'Request has expired',
        `<X-Amz-Expires>${expires}</X-Amz-Expires><Expires>${new Date(expiresAt).toISOString()}</Expires><ServerTime>${new Date().toISOString()}</ServerTime>`,
      );
    }
    if (needsHeaders && query.get('X-Amz-SignedHeaders')?.includes('customer-key')) {
      const key = req.headers['x-amz-server-side-encryption-customer-key'];
      if (key !== this.keys.get(id)) {
        return s3Error(
          400,
          'InvalidRequest',
          'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.',
        );
      }
    }
    const found = file(id, chunk);
    if (!found) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    const body = fs.readFileSync(found.file);
    const stat = this.served.get(id) ?? { requests: 0, bytes: 0 };
    stat.requests++;
    stat.bytes += body.length;
    this.served.set(id, stat);
    return raw(200, { 'Content-Type': found.contentType, 'Content-Length': String(body.length) }, body);
  }
}
