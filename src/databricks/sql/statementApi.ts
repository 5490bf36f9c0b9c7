// Statement Execution 2.0 on the wire: execute, poll, cancel, chunks, and the download of an
// external link. The link carries its own credential (a presigned URL), so it is fetched by a
// plain HTTP client that sends no Authorization header, only the `http_headers` the link names;
// the link and those headers are secrets and never reach the log.
// Wire facts: docs/reference/services-2026.md §4.
import { describeNetworkFailure } from '../../core/network';
import { createHttp, DatabricksHttpOptions } from '../http';
import { CancelledError, isCancellation } from '../../core/errors';
import { registerSecret } from '../../core/redact';
import { DatabricksError } from '../errors';
import { DatabricksTransport } from '../transport';

export type StatementState = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'CLOSED';
export const TERMINAL_STATES: ReadonlySet<StatementState> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED', 'CLOSED']);

export interface ColumnSchema {
  name: string;
  position?: number;
  type_name?: string;
  type_text?: string;
  type_precision?: number;
  type_scale?: number;
}

export interface ChunkInfo {
  chunk_index: number;
  row_offset: number;
  row_count: number;
  byte_count?: number;
}

export interface Manifest {
  format?: 'JSON_ARRAY' | 'ARROW_STREAM' | 'CSV';
  schema?: { column_count?: number; columns?: ColumnSchema[] };
  total_row_count?: number;
  total_chunk_count?: number;
  total_byte_count?: number;
  chunks?: ChunkInfo[];
  truncated?: boolean;
}

export interface ExternalLink extends Partial<ChunkInfo> {
  external_link: string;
  expiration?: string;
  http_headers?: Record<string, string>;
  next_chunk_index?: number;
  next_chunk_internal_link?: string;
}

export interface ResultData {
  chunk_index?: number;
  row_offset?: number;
  row_count?: number;
  byte_count?: number;
  data_array?: Array<Array<string | null>>;
  external_links?: ExternalLink[];
  next_chunk_index?: number;
  next_chunk_internal_link?: string;
}

export interface StatementResponse {
  statement_id: string;
  status?: { state?: StatementState; error?: { error_code?: string; message?: string }; sql_state?: string };
  manifest?: Manifest;
  result?: ResultData;
}

export interface ExecuteRequest {
  warehouse_id: string;
  statement: string;
  catalog?: string;
  schema?: string;
  parameters?: Array<{ name: string; value?: string | null; type?: string }>;
  disposition?: 'INLINE' | 'EXTERNAL_LINKS';
  format?: 'JSON_ARRAY' | 'CSV' | 'ARROW_STREAM';
  /** "0s", or "5s" to "50s" (the service's default is 10 s). */
  wait_timeout?: string;
  on_wait_timeout?: 'CONTINUE' | 'CANCEL';
  row_limit?: number;
  byte_limit?: number;
}

/** A link the storage refused because it expired (S3: 403 AccessDenied "Request has expired"; others [unconfirmed]). */
export class ExpiredLinkError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(`The download link of a result chunk was refused (HTTP ${status}${detail ? `: ${detail}` : ''})`);
    this.name = 'ExpiredLinkError';
  }
}

/** Why a link download failed, from the XML error body S3 (or Azure) sends; secret-free. */
function linkFailure(status: number, body: string): Error {
  const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? '';
  const message = /<Message>([^<]+)<\/Message>/.exec(body)?.[1] ?? '';
  const detail = [code, message].filter(Boolean).join(' ');
  // An expired link, or one whose signature no longer holds, is renewed by asking for the chunk again.
  if (status === 403 || status === 401 || /expired/i.test(message)) return new ExpiredLinkError(status, detail);
  return new DatabricksError({
    errorCode: code || `HTTP_${status}`,
    message: `Downloading a result chunk failed: HTTP ${status}${detail ? ` ${detail}` : ''}`,
    status,
    kind: status >= 500 ? 'unknown' : 'invalidInput',
  });
}

export class StatementApi {
  /** Bytes downloaded through external links, for the facts and the benchmark. */
  linkBytes = 0;
  linkRequests = 0;

  constructor(
    private readonly transport: DatabricksTransport,
    private readonly linkTimeoutMs = 120_000,
    /** Proxy and CA agents for the storage behind external links (the network settings). */
    private readonly httpOptions: () => DatabricksHttpOptions = () => ({}),
  ) {}

  get host(): string {
    return this.transport.host;
  }

  /** POST execute. Not retried once it may have reached the server: a statement is never sent twice unasked. */
  execute(req: ExecuteRequest, signal?: AbortSignal): Promise<StatementResponse> {
    return this.transport.request<StatementResponse>('POST', '/api/2.0/sql/statements', { body: req, signal, timeoutMs: 120_000 });
  }

  get(id: string, signal?: AbortSignal): Promise<StatementResponse> {
    return this.transport.request<StatementResponse>('GET', `/api/2.0/sql/statements/${encodeURIComponent(id)}`, { signal });
  }

  async cancel(id: string): Promise<void> {
    await this.transport.request('POST', `/api/2.0/sql/statements/${encodeURIComponent(id)}/cancel`, { body: {} });
  }

  /** A chunk by index, or by the opaque next_chunk_internal_link when the server gave one. */
  chunk(id: string, index: number, internalLink?: string, signal?: AbortSignal): Promise<ResultData> {
    const path = internalLink && internalLink.startsWith('/') ? internalLink : `/api/2.0/sql/statements/${encodeURIComponent(id)}/result/chunks/${index}`;
    return this.transport.request<ResultData>('GET', path, { signal });
  }

  /** Downloads one external link: no Authorization header, only the link's own headers. */
  async download(link: ExternalLink, signal?: AbortSignal): Promise<string> {
    for (const v of Object.values(link.http_headers ?? {})) registerSecret(v);
    let res;
    try {
      res = await createHttp(this.httpOptions()).get<ArrayBuffer>(link.external_link, {
        // Only the link's own headers: an Authorization header makes cloud storage refuse the link.
        headers: { Accept: '*/*', ...(link.http_headers ?? {}) },
        responseType: 'arraybuffer',
        timeout: this.linkTimeoutMs,
        signal,
        maxRedirects: 3,
      });
    } catch (err) {
      if (signal?.aborted || isCancellation(err)) throw new CancelledError();
      const net = describeNetworkFailure(err, new URL(link.external_link).origin);
      if (net)
        throw new DatabricksError({
          errorCode: net.code,
          message: `Downloading a result chunk failed: ${net.message}`,
          status: 0,
          kind: 'network',
          actions: net.actions,
        });
      const code = (err as { code?: string }).code ?? '';
      throw new DatabricksError({
        errorCode: code || 'NETWORK_ERROR',
        message: `Downloading a result chunk failed${code ? ` (${code})` : ''}: the storage behind the external link could not be reached`,
        status: 0,
        kind: 'network',
      });
    }
    const body = Buffer.from(res.data);
    this.linkRequests++;
    if (res.status < 200 || res.status >= 300) throw linkFailure(res.status, body.toString('utf8').slice(0, 2000));
    this.linkBytes += body.length;
    return body.toString('utf8');
  }
}

/** A statement that ended FAILED (HTTP 200): the service's message, with its error code and SQLSTATE. */
export class StatementFailedError extends DatabricksError {
  constructor(
    readonly statementId: string,
    readonly state: StatementState,
    message: string,
    readonly sqlState?: string,
    code = 'BAD_REQUEST',
  ) {
    super({ errorCode: code, message, status: 200, kind: 'invalidInput', verbatim: true });
    this.name = 'StatementFailedError';
  }
}
