// The one typed client for a Databricks workspace's REST API: base URL, Bearer auth from a token
// source (renewed once when the workspace refuses a token it should accept), the dotted and
// repeated-key query form Databricks expects, timeouts, cancellation, retries on 429/503 and
// network errors (honouring Retry-After, jittered, with an overall cap) and typed errors.
// The Authorization header is set per request and never logged: only method, path, status and
// duration reach the log, and tokens are registered with the redactor as live secrets.
import { AxiosInstance, AxiosResponse } from 'axios';
import { CancelledError, isCancellation } from '../core/errors';
import { Logger, silentLogger } from '../core/logger';
import { describeNetworkFailure } from '../core/network';
import { parseRetryAfter, RetryDecision, withRetry } from '../core/retry';
import type { Readable } from 'node:stream';
import { TokenSource, toTokenSource } from './credentials';
import { DatabricksError, isInvalidToken, parseErrorBody } from './errors';
import { bodyText, createHttp, DatabricksHttpOptions, headerValue, NetworkFailure, networkFailure } from './http';
import { DatabricksRequestOptions, DatabricksTransport, HttpMethod, StreamBody, StreamResponse } from './transport';

function isStreamBody(body: unknown): body is StreamBody {
  return !!body && typeof body === 'object' && typeof (body as StreamBody).open === 'function' && typeof (body as StreamBody).length === 'number';
}

/** Reads at most `limit` bytes of an error answer's stream (the rest is dropped). */
async function streamText(stream: Readable, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    chunks.push(b);
    size += b.length;
    if (size >= limit) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).toString('utf8');
}

function lowerHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && v !== null) out[k.toLowerCase()] = Array.isArray(v) ? String(v[0]) : String(v);
  return out;
}

export interface RetryPolicy {
  /** Most attempts in all, the first included (default 8). */
  maxAttempts: number;
  /** Give up once this much time has passed since the first attempt (default 5 min, as the SDKs). */
  totalTimeoutMs: number;
  /** Linear backoff step when the server gave no Retry-After (default 1 s). */
  baseDelayMs: number;
  /** Cap of one computed backoff delay (default 10 s). */
  maxDelayMs: number;
  /** Upper bound of the random jitter added to each delay (default 750 ms). */
  jitterMs: number;
  /** A Retry-After longer than this is clamped to it (default 60 s). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 8,
  totalTimeoutMs: 300_000,
  baseDelayMs: 1000,
  maxDelayMs: 10_000,
  jitterMs: 750,
  maxRetryAfterMs: 60_000,
};

export interface DatabricksClientOptions extends DatabricksHttpOptions {
  /** Workspace URL (https://adb-1.2.azuredatabricks.net); a trailing slash is dropped. */
  host: string;
  /** A personal access token, a function that yields a bearer token per request, or a token source that can renew. */
  token: string | (() => Promise<string>) | TokenSource;
  logger?: Logger;
  /** Per-request timeout (default 60 s, as the SDKs). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

/**
 * Writes query parameters the way Databricks reads them: nested objects as dotted keys, arrays as
 * repeated keys, booleans as true/false, undefined and null left out.
 * `{filter_by: {cluster_sources: ['API', 'UI']}}` → `filter_by.cluster_sources=API&filter_by.cluster_sources=UI`.
 */
export function serializeQuery(params: Record<string, unknown> | undefined): string {
  if (!params) return '';
  const parts: string[] = [];
  const add = (key: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) add(key, item);
      return;
    }
    if (value instanceof Date) {
      parts.push(`${encodeURIComponent(key)}=${value.getTime()}`);
      return;
    }
    if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) add(key ? `${key}.${k}` : k, v);
      return;
    }
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  };
  add('', params);
  return parts.join('&');
}

/** Normalises a host as typed by a user: adds https://, drops a trailing slash and any path. */
export function normalizeHost(input: string): string {
  let host = input.trim();
  if (!host) throw new DatabricksError({ errorCode: 'INVALID_HOST', message: 'No Databricks host is configured', status: 0, kind: 'config' });
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) host = `https://${host}`;
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new DatabricksError({
      errorCode: 'INVALID_HOST',
      message: `"${input}" is not a valid workspace URL (expected https://<workspace>.cloud.databricks.com)`,
      status: 0,
      kind: 'config',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DatabricksError({ errorCode: 'INVALID_HOST', message: `"${input}" is not an http(s) URL`, status: 0, kind: 'config' });
  }
  return `${url.protocol}//${url.host}`;
}

/** Messages the SDKs treat as transient whatever the status (a cluster still coming up, and so on). */
const TRANSIENT = [
  /UnknownWorkerEnvironmentException/,
  /does not have any associated worker environments/,
  /There is no worker environment with id/,
  /Unknown worker environment/,
  /ClusterNotReadyException/,
  /worker env .* not found/,
  /Timed out after /,
  /deadline exceeded/,
  /Please try again later or try a faster operation\./,
  /RPC token bucket limit has been exceeded/,
];

/** Network failures that mean the request never reached the server: safe to retry for any method. */
const NOT_SENT = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Failures where the request may have been processed: retried only for idempotent methods. */
const MAYBE_SENT = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'UND_ERR_SOCKET']);
const IDEMPOTENT = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);

export class DatabricksClient implements DatabricksTransport {
  readonly host: string;
  private readonly http: AxiosInstance;
  private readonly logger: Logger;
  private readonly retryPolicy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly auth: TokenSource;

  constructor(options: DatabricksClientOptions) {
    this.host = normalizeHost(options.host);
    this.logger = options.logger ?? silentLogger;
    this.retryPolicy = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.auth = toTokenSource(options.token);
    this.http = createHttp(options, this.host);
  }

  async request<T>(method: HttpMethod, path: string, opts: DatabricksRequestOptions = {}): Promise<T> {
    try {
      return await this.withRetries<T>(method, path, opts);
    } catch (err) {
      // A token the workspace no longer accepts (revoked early, clock skew, rotated elsewhere):
      // renew once and send again. The refused request was not carried out, so this is no repeat.
      if (!this.auth.renew || !(err instanceof DatabricksError) || !isInvalidToken(err.status, err.serverMessage)) throw err;
      this.logger.info(`${method} ${path}: the token was refused; renewing it once`);
      await this.auth.renew(opts.signal);
      try {
        return await this.withRetries<T>(method, path, opts);
      } catch (again) {
        if (!(again instanceof DatabricksError) || !isInvalidToken(again.status, again.serverMessage)) throw again;
        throw this.auth.refusedAfterRenewal?.(again, this.host) ?? again;
      }
    }
  }

  private withRetries<T>(method: HttpMethod, path: string, opts: DatabricksRequestOptions): Promise<T> {
    const retryable = opts.retry !== false;
    const policy = this.retryPolicy;
    return withRetry((attempt) => this.once<T>(method, path, opts, attempt), {
      maxAttempts: retryable ? policy.maxAttempts : 1,
      totalTimeoutMs: policy.totalTimeoutMs,
      baseDelayMs: policy.baseDelayMs,
      maxDelayMs: policy.maxDelayMs,
      jitterMs: policy.jitterMs,
      signal: opts.signal,
      shouldRetry: (err) => this.shouldRetry(err, method),
      onRetry: (err, attempt, delayMs) => {
        const why = err instanceof DatabricksError ? `${err.status || err.errorCode} ${err.errorCode}` : String(err);
        this.logger.info(`${method} ${path}: ${why}; retry ${attempt} in ${delayMs} ms`);
      },
    });
  }

  private shouldRetry(err: unknown, method: HttpMethod): RetryDecision {
    if (!(err instanceof DatabricksError)) return { retry: false };
    if (err instanceof NetworkFailure) {
      return { retry: NOT_SENT.has(err.networkCode) || (MAYBE_SENT.has(err.networkCode) && IDEMPOTENT.has(method)) };
    }
    if (err.status === 429 || err.status === 503) {
      const after = err.retryAfterMs;
      return { retry: true, afterMs: after === undefined ? undefined : Math.min(after, this.retryPolicy.maxRetryAfterMs) };
    }
    if (err.status >= 400 && TRANSIENT.some((re) => re.test(err.serverMessage))) return { retry: true };
    return { retry: false };
  }

  private async once<T>(method: HttpMethod, path: string, opts: DatabricksRequestOptions, attempt: number): Promise<T> {
    if (opts.signal?.aborted) throw new CancelledError();
    const token = await this.auth.token(opts.signal);
    const started = Date.now();
    const hasBody = opts.body !== undefined && method !== 'GET' && method !== 'HEAD';
    const stream = isStreamBody(opts.body) ? opts.body : undefined;
    const raw = opts.body instanceof Uint8Array || opts.body instanceof ArrayBuffer || stream !== undefined;
    let response: AxiosResponse<unknown>;
    try {
      response = await this.http.request({
        method,
        url: path,
        params: opts.query,
        paramsSerializer: { serialize: (params) => serializeQuery(params as Record<string, unknown>) },
        data: hasBody ? (stream ? stream.open() : raw ? opts.body : JSON.stringify(opts.body)) : undefined,
        headers: {
          ...(hasBody ? { 'Content-Type': raw ? 'application/octet-stream' : 'application/json' } : {}),
          ...(stream ? { 'Content-Length': String(stream.length) } : {}),
          ...opts.headers,
          Authorization: `Bearer ${token}`,
        },
        timeout: opts.timeoutMs ?? this.timeoutMs,
        signal: opts.signal,
        responseType: opts.responseType === 'arraybuffer' ? 'arraybuffer' : opts.responseType === 'stream' ? 'stream' : 'text',
        // Files API bodies go up to 5 GiB each way; axios would refuse them at its defaults.
        ...(raw || opts.responseType === 'stream' || opts.responseType === 'arraybuffer' ? { maxBodyLength: Infinity, maxContentLength: Infinity } : {}),
      });
    } catch (err) {
      if (opts.signal?.aborted || isCancellation(err)) throw new CancelledError();
      this.logger.debug(`${method} ${path} failed (${(err as { code?: string }).code || 'network'}) after ${Date.now() - started} ms`);
      throw networkFailure(err, this.host, path, method);
    }
    const ms = Date.now() - started;
    const status = response.status;
    this.logger.debug(`${method} ${path} → ${status} in ${ms} ms${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
    if (status >= 200 && status < 300) {
      if (opts.responseType === 'stream')
        return {
          status,
          headers: lowerHeaders(response.headers as Record<string, unknown>),
          body: response.data as Readable,
        } satisfies StreamResponse as unknown as T;
      return this.parseSuccess<T>(response, opts, path);
    }
    const text = opts.responseType === 'stream' ? await streamText(response.data as Readable) : bodyText(response.data);
    const reason = headerValue(response.headers as Record<string, unknown>, 'x-databricks-reason-phrase') ?? response.statusText;
    if (status >= 300 && status < 400) {
      throw new DatabricksError({
        errorCode: 'UNEXPECTED_REDIRECT',
        message: `${this.host} redirected the request (HTTP ${status}) instead of answering; check that the host is the workspace URL`,
        status,
        kind: 'config',
      });
    }
    // 407 only ever comes from a proxy (forwarding to an http:// host): say so, not "HTTP 407".
    const viaProxy = status === 407 ? describeNetworkFailure({ status }, this.host) : undefined;
    if (viaProxy) throw new DatabricksError({ errorCode: 'PROXY_AUTH_REQUIRED', message: viaProxy.message, status, kind: 'auth', verbatim: true });
    const parsed = parseErrorBody(status, text, reason);
    throw new DatabricksError({
      errorCode: parsed.errorCode,
      message: parsed.message,
      status,
      host: this.host,
      retryAfterMs: parseRetryAfter(headerValue(response.headers as Record<string, unknown>, 'retry-after')),
    });
  }

  private parseSuccess<T>(response: AxiosResponse<unknown>, opts: DatabricksRequestOptions, path: string): T {
    if (opts.responseType === 'arraybuffer') return Buffer.from(response.data as ArrayBuffer) as unknown as T;
    const text = bodyText(response.data).trim();
    if (!text) return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      // A 200 with HTML is a login page or some other server: the host is probably wrong.
      throw new DatabricksError({
        errorCode: 'NOT_A_WORKSPACE',
        message: `${this.host} answered ${path} with something other than JSON; check that the host is a Databricks workspace URL`,
        status: response.status,
        kind: 'config',
        cause,
      });
    }
  }
}
