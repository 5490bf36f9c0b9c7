// Small HTTP helpers for the Databricks stand-in: the error type every handler throws, request
// body parsing (JSON of any JSON-ish content type, and multipart/form-data), and typed
// accessors for parameters that arrive either in the query string (GET/DELETE/HEAD) or in the
// JSON body (POST), as the real API sends them.
import http from 'node:http';

/** An error answered as `{error_code, message}` (or the 1.2 form `{error}`) with an HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | number,
    message: string,
    readonly form: 'standard' | 'v12' = 'standard',
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return this.form === 'v12' ? { error: this.message } : { error_code: this.code, message: this.message };
  }
}

export const invalidParam = (message: string): ApiError => new ApiError(400, 'INVALID_PARAMETER_VALUE', message);
export const notFound = (message: string): ApiError => new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', message);
export const alreadyExists = (message: string): ApiError => new ApiError(400, 'RESOURCE_ALREADY_EXISTS', message);

/** A response that is not JSON (raw downloads, HEAD answers). */
export interface RawResponse {
  raw: true;
  status: number;
  headers: Record<string, string>;
  body?: Buffer;
}

export function raw(status: number, headers: Record<string, string>, body?: Buffer): RawResponse {
  return { raw: true, status, headers, body };
}

export function isRaw(v: unknown): v is RawResponse {
  return typeof v === 'object' && v !== null && (v as { raw?: unknown }).raw === true;
}

export interface MultipartPart {
  name: string;
  filename?: string;
  data: Buffer;
}

export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) throw invalidParam('Malformed multipart request: no boundary');
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(boundary);
  while (pos >= 0) {
    const start = pos + boundary.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(boundary, start);
    if (next < 0) break;
    const chunk = body.subarray(start + 2, next - 2); // skip CRLF after boundary and before next
    const headerEnd = chunk.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = chunk.subarray(0, headerEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      parts.push({ name, filename, data: chunk.subarray(headerEnd + 4) });
    }
    pos = next;
  }
  return parts;
}

export function readBody(req: http.IncomingMessage, limit = 64 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new ApiError(400, 'MAX_NOTEBOOK_SIZE_EXCEEDED', 'Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parameters of one request: query values and JSON body fields merged (the body wins). */
export class Params {
  constructor(
    readonly query: URLSearchParams,
    readonly body: Record<string, unknown>,
  ) {}

  private value(name: string): unknown {
    if (name in this.body) return this.body[name];
    return this.query.has(name) ? this.query.get(name) : undefined;
  }

  str(name: string): string | undefined {
    const v = this.value(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw invalidParam(`Invalid value for parameter ${name}: expected a string`);
  }

  reqStr(name: string): string {
    const v = this.str(name);
    if (v === undefined || v === '') throw invalidParam(`Missing required field: ${name}`);
    return v;
  }

  num(name: string): number | undefined {
    const v = this.value(name);
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n)) throw invalidParam(`Invalid value for parameter ${name}: ${String(v)} is not a number`);
    return n;
  }

  reqNum(name: string): number {
    const v = this.num(name);
    if (v === undefined) throw invalidParam(`Missing required field: ${name}`);
    return v;
  }

  bool(name: string): boolean | undefined {
    const v = this.value(name);
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'boolean') return v;
    return String(v).toLowerCase() === 'true';
  }

  /** Repeated query keys (`a=1&a=2`) or a JSON array. */
  list(name: string): string[] {
    const v = this.body[name];
    if (Array.isArray(v)) return v.map(String);
    return this.query.getAll(name);
  }

  obj(name: string): Record<string, unknown> | undefined {
    const v = this.body[name];
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  }

  arr(name: string): unknown[] | undefined {
    const v = this.body[name];
    return Array.isArray(v) ? v : undefined;
  }
}

export function pageToken(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function fromPageToken(token: string | undefined): number {
  if (!token) return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  if (!m) throw invalidParam(`Invalid page token: ${token}`);
  return Number(m[1]);
}
