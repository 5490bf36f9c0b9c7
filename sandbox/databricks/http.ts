// The Databricks protocol on the stand-in kernel: the error every handler throws (answered as
// `{error_code, message}`, or Command Execution 1.2's `{error}`), raw (non-JSON) answers, and typed
// accessors for parameters that arrive either in the query string (GET/DELETE/HEAD) or in the
// JSON body (POST), as the real API sends them. Body reading and multipart live in the kernel.
import { bytes, HttpError, isReply, reply, Reply } from '../kernel';

export { readBody, parseMultipart } from '../kernel';
export type { MultipartPart } from '../kernel';

/** An error answered as `{error_code, message}` (or the 1.2 form `{error}`) with an HTTP status. */
export class ApiError extends HttpError {
  constructor(
    status: number,
    readonly code: string | number,
    message: string,
    readonly form: 'standard' | 'v12' = 'standard',
    headers: Record<string, string> = {},
  ) {
    super(status, message, headers);
  }

  body(): Record<string, unknown> {
    return this.form === 'v12' ? { error: this.message } : { error_code: this.code, message: this.message };
  }
}

export const invalidParam = (message: string): ApiError => new ApiError(400, 'INVALID_PARAMETER_VALUE', message);
export const notFound = (message: string): ApiError => new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', message);
export const alreadyExists = (message: string): ApiError => new ApiError(400, 'RESOURCE_ALREADY_EXISTS', message);

/** A response that is not JSON (raw downloads, HEAD answers): a kernel Reply. */
export type RawResponse = Reply;

export function raw(status: number, headers: Record<string, string>, body?: Buffer): Reply {
  return body === undefined ? reply(status, headers) : bytes(status, headers, body);
}

export const isRaw = isReply;

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
