// The contract every Databricks service (clusters, jobs, workspace, execution, run-on-cluster)
// uses to talk to a workspace. Implemented by the axios client in this folder.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface DatabricksRequestOptions {
  /** Query parameters (GET/DELETE/HEAD); nested objects become dotted keys, arrays repeated keys. */
  query?: Record<string, unknown>;
  /** JSON body (POST/PATCH/PUT), or raw bytes for the Files API. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Set false for a request that must not be retried automatically. */
  retry?: boolean;
  /** 'json' (default), 'arraybuffer' for raw downloads. */
  responseType?: 'json' | 'arraybuffer';
}

export interface DatabricksTransport {
  /** The workspace URL, without a trailing slash (https://adb-123.4.azuredatabricks.net). */
  readonly host: string;
  request<T>(method: HttpMethod, path: string, opts?: DatabricksRequestOptions): Promise<T>;
}
