// The contract every Databricks service (clusters, jobs, workspace, execution, run-on-cluster)
// uses to talk to a workspace. Implemented by the axios client in this folder.

import type { Readable } from 'node:stream';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/**
 * A raw body read from a stream (a Files API upload). `open()` makes a fresh stream for every
 * attempt, so that a retry sends the whole body again instead of a drained stream.
 */
export interface StreamBody {
  open(): Readable;
  length: number;
}

/** What a request with `responseType: 'stream'` resolves to: a 2xx answer with its body unread. */
export interface StreamResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Readable;
}

export interface DatabricksRequestOptions {
  /** Query parameters (GET/DELETE/HEAD); nested objects become dotted keys, arrays repeated keys. */
  query?: Record<string, unknown>;
  /** JSON body (POST/PATCH/PUT), or raw bytes or a StreamBody for the Files API. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Set false for a request that must not be retried automatically. */
  retry?: boolean;
  /** 'json' (default), 'arraybuffer' for raw downloads, 'stream' for a StreamResponse. */
  responseType?: 'json' | 'arraybuffer' | 'stream';
}

export interface DatabricksTransport {
  /** The workspace URL, without a trailing slash (https://adb-123.4.azuredatabricks.net). */
  readonly host: string;
  request<T>(method: HttpMethod, path: string, opts?: DatabricksRequestOptions): Promise<T>;
}
