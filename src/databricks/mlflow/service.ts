// MLflow tracking on a Databricks workspace (REST 2.0, databricks-api.md §7 and services-2026.md
// §6), for the Experiments view, the charts and the run links: experiments and runs a page at a
// time, a run, a metric's whole history, artifact listings and the signed URLs artifact bytes are
// read from. Throttled searches (429) are retried by the client with the server's Retry-After.
import { DatabricksTransport } from '../transport';
import { ArtifactEntry, list, MlflowExperiment, MlflowMetric, MlflowRun, Page, str, toArtifact, toExperiment, toMetric, toRun } from './types';

/** runs/search's documented ceiling; the view asks for much less per page. */
export const MAX_RUNS_PAGE = 50_000;
/** metrics/get-history: Databricks' default page, and its maximum (PY get_history). */
export const HISTORY_PAGE = 25_000;

export interface RunSearch {
  filter?: string;
  /** e.g. ['attributes.start_time DESC']; the service's default order is start_time DESC. */
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
  viewType?: 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
  signal?: AbortSignal;
}

export interface SignedUrl {
  url: string;
  headers: Record<string, string>;
  /** AWS_PRESIGNED_URL, AZURE_SAS_URI, GCP_SIGNED_URL, AZURE_ADLS_GEN2_SAS_URI. */
  type: string;
}

export class MlflowService {
  constructor(readonly transport: DatabricksTransport) {}

  async searchExperiments(
    opts: { pageToken?: string; maxResults?: number; filter?: string; orderBy?: string[]; signal?: AbortSignal } = {},
  ): Promise<Page<MlflowExperiment>> {
    const body = {
      max_results: opts.maxResults ?? 100,
      page_token: opts.pageToken,
      filter: opts.filter || undefined,
      order_by: opts.orderBy,
      view_type: 'ACTIVE_ONLY',
    };
    const res = await this.transport.request<Record<string, unknown>>('POST', '/api/2.0/mlflow/experiments/search', { body, signal: opts.signal });
    return { items: list(res.experiments).map(toExperiment), nextToken: str(res.next_page_token) };
  }

  async getExperiment(id: string, signal?: AbortSignal): Promise<MlflowExperiment> {
    const res = await this.transport.request<Record<string, unknown>>('GET', '/api/2.0/mlflow/experiments/get', { query: { experiment_id: id }, signal });
    return toExperiment((res.experiment ?? {}) as Record<string, unknown>);
  }

  async searchRuns(experimentIds: string[], opts: RunSearch = {}): Promise<Page<MlflowRun>> {
    const body = {
      experiment_ids: experimentIds,
      filter: opts.filter?.trim() || undefined,
      order_by: opts.orderBy,
      max_results: Math.min(MAX_RUNS_PAGE, opts.maxResults ?? 100),
      page_token: opts.pageToken,
      run_view_type: opts.viewType ?? 'ACTIVE_ONLY',
    };
    // Reads nothing back into the server: safe to retry, so the client's retries stay on.
    const res = await this.transport.request<Record<string, unknown>>('POST', '/api/2.0/mlflow/runs/search', { body, signal: opts.signal });
    return { items: list(res.runs).map(toRun), nextToken: str(res.next_page_token) };
  }

  async getRun(runId: string, signal?: AbortSignal): Promise<MlflowRun> {
    const res = await this.transport.request<Record<string, unknown>>('GET', '/api/2.0/mlflow/runs/get', { query: { run_id: runId }, signal });
    return toRun((res.run ?? {}) as Record<string, unknown>);
  }

  /** Every logged value of one metric, in step order (all pages). */
  async metricHistory(runId: string, key: string, signal?: AbortSignal): Promise<MlflowMetric[]> {
    const out: MlflowMetric[] = [];
    let token: string | undefined;
    do {
      const res = await this.transport.request<Record<string, unknown>>('GET', '/api/2.0/mlflow/metrics/get-history', {
        query: { run_id: runId, metric_key: key, max_results: HISTORY_PAGE, page_token: token },
        signal,
      });
      out.push(...list(res.metrics).map(toMetric));
      token = str(res.next_page_token);
    } while (token);
    return out.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
  }

  /** One page of a folder of a run's artifacts (`path` '' is the root). */
  async listArtifacts(runId: string, path: string, pageToken?: string, signal?: AbortSignal): Promise<Page<ArtifactEntry> & { rootUri?: string }> {
    const res = await this.transport.request<Record<string, unknown>>('GET', '/api/2.0/mlflow/artifacts/list', {
      query: { run_id: runId, path: path || undefined, page_token: pageToken },
      signal,
    });
    return { items: list(res.files).map(toArtifact), nextToken: str(res.next_page_token), rootUri: str(res.root_uri) };
  }

  /** Every file below a folder of artifacts (for downloads), folders walked one after another. */
  async listArtifactFiles(runId: string, path: string, signal?: AbortSignal): Promise<ArtifactEntry[]> {
    const files: ArtifactEntry[] = [];
    const dirs = [path];
    while (dirs.length) {
      const dir = dirs.shift() ?? '';
      let token: string | undefined;
      do {
        const page = await this.listArtifacts(runId, dir, token, signal);
        for (const e of page.items) {
          if (e.isDir) dirs.push(e.path);
          else files.push(e);
        }
        token = page.nextToken;
      } while (token);
    }
    return files;
  }

  /** A signed URL to read one artifact (credentials-for-read; the URL expires, so ask again when it does). */
  async readUrl(runId: string, path: string, signal?: AbortSignal): Promise<SignedUrl> {
    const res = await this.transport.request<Record<string, unknown>>('POST', '/api/2.0/mlflow/artifacts/credentials-for-read', {
      body: { run_id: runId, path: [path] },
      signal,
    });
    const info = list(res.credential_infos).find((c) => str(c.path) === path) ?? list(res.credential_infos)[0];
    const url = str(info?.signed_uri);
    if (!url) throw new Error(`The workspace gave no signed URL for artifact ${path} of run ${runId}`);
    const headers: Record<string, string> = {};
    for (const h of list(info.headers)) if (typeof h.name === 'string') headers[h.name] = String(h.value ?? '');
    return { url, headers, type: str(info.type) ?? 'AWS_PRESIGNED_URL' };
  }
}
