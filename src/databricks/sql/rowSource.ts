// The rows of one statement result for the result viewer. The grid's windows are served chunk by
// chunk as the user scrolls (the manifest says which chunk holds which rows, so a jump to row
// 900,000 fetches that chunk only); a few chunks stay cached. INLINE chunks come from the chunk
// API (`data_array`); EXTERNAL_LINKS chunks are downloaded from their link, and a link that has
// expired is renewed by asking for the chunk again (once). Export streams every chunk in order,
// a few downloads ahead, without caching them.
import { CancelledError } from '../../core/errors';
import type { ResultCell, ResultColumn, RowSource } from '../../results/model';
import { DatabricksError } from '../errors';
import { ChunkInfo, ExpiredLinkError, ExternalLink, Manifest, ResultData, StatementApi } from './statementApi';
import { convertRows } from './values';

export interface WarehouseRowSourceOptions {
  /** Chunks kept in memory for the grid (default 6). */
  cachedChunks?: number;
  /** Downloads running ahead while exporting (default 3). */
  exportParallelism?: number;
  /** A link expiring within this margin is renewed before use (default 10 s). */
  expiryMarginMs?: number;
  now?: () => number;
}

type RawRows = Array<Array<string | null>>;

function aborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}

export class WarehouseRowSource implements RowSource {
  private readonly chunks: ChunkInfo[];
  /** Chunks as they arrived (strings): a window is converted when it is shown, not the whole chunk. */
  private readonly cache = new Map<number, RawRows>();
  private readonly loading = new Map<number, Promise<RawRows>>();
  private firstData: ResultData | undefined;
  private readonly opts: Required<Omit<WarehouseRowSourceOptions, 'now'>> & { now: () => number };
  /** Chunk fetches made (API calls for INLINE, downloads for EXTERNAL_LINKS), for tests and the benchmark. */
  chunkLoads = 0;
  /** Links renewed because they had expired. */
  renewedLinks = 0;
  readonly disposition: 'INLINE' | 'EXTERNAL_LINKS';

  constructor(
    private readonly api: StatementApi,
    readonly statementId: string,
    readonly manifest: Manifest,
    first: ResultData | undefined,
    readonly columns: ResultColumn[],
    options: WarehouseRowSourceOptions = {},
  ) {
    this.opts = {
      cachedChunks: options.cachedChunks ?? 6,
      exportParallelism: options.exportParallelism ?? 3,
      expiryMarginMs: options.expiryMarginMs ?? 10_000,
      now: options.now ?? Date.now,
    };
    this.chunks = [...(manifest.chunks ?? [])].sort((a, b) => a.chunk_index - b.chunk_index);
    // A manifest without its chunk list (tolerated): one chunk holding everything, as the first result says.
    if (!this.chunks.length && (manifest.total_row_count ?? 0) > 0 && (manifest.total_chunk_count ?? 1) <= 1)
      this.chunks = [{ chunk_index: 0, row_offset: 0, row_count: manifest.total_row_count ?? 0 }];
    this.firstData = first;
    this.disposition = first?.external_links?.length || manifest.total_byte_count !== undefined ? 'EXTERNAL_LINKS' : 'INLINE';
  }

  rowCount(): number {
    return this.manifest.total_row_count ?? this.chunks.reduce((n, c) => n + c.row_count, 0);
  }

  chunkCount(): number {
    return this.chunks.length;
  }

  /** The chunk holding a row (binary search over row offsets). */
  private chunkAt(row: number): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.chunks[mid].row_offset <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  async getRows(start: number, count: number, signal?: AbortSignal): Promise<ResultCell[][]> {
    const total = this.rowCount();
    const end = Math.min(start + count, total);
    if (start >= end || !this.chunks.length) return [];
    const out: ResultCell[][] = [];
    for (let i = this.chunkAt(start); i < this.chunks.length && this.chunks[i].row_offset < end; i++) {
      aborted(signal);
      const rows = await this.cached(i, signal);
      const c = this.chunks[i];
      out.push(...convertRows(rows.slice(Math.max(0, start - c.row_offset), Math.min(rows.length, end - c.row_offset)), this.columns));
    }
    return out;
  }

  private async cached(index: number, signal?: AbortSignal): Promise<RawRows> {
    const hit = this.cache.get(index);
    if (hit) {
      this.cache.delete(index);
      this.cache.set(index, hit);
      return hit;
    }
    let pending = this.loading.get(index);
    if (!pending) {
      pending = this.load(index, signal).finally(() => this.loading.delete(index));
      this.loading.set(index, pending);
    }
    const rows = await pending;
    this.cache.set(index, rows);
    while (this.cache.size > this.opts.cachedChunks) this.cache.delete(this.cache.keys().next().value as number);
    return rows;
  }

  /** Fetches one chunk's rows: from the first result when it is that chunk, else through the API. */
  private async load(index: number, signal?: AbortSignal): Promise<RawRows> {
    this.chunkLoads++;
    let data = index === 0 && this.firstData ? this.firstData : undefined;
    if (index === 0) this.firstData = undefined; // used once; a later reload asks the API (its link may have expired)
    data ??= await this.fetchChunk(index, signal);
    if (data.data_array) return data.data_array;
    const link = data.external_links?.[0];
    if (!link) return [];
    return this.downloadFresh(index, link, signal);
  }

  private async fetchChunk(index: number, signal?: AbortSignal): Promise<ResultData> {
    try {
      return await this.api.chunk(this.statementId, index, undefined, signal);
    } catch (err) {
      if (err instanceof DatabricksError && (err.status === 404 || /CLOSED|no longer/i.test(err.serverMessage))) {
        throw new DatabricksError({
          errorCode: err.errorCode,
          message:
            'Databricks no longer holds this result (results are kept for about an hour after the statement ends). Run the statement again to see more rows.',
          status: err.status,
          kind: 'notFound',
          verbatim: true,
        });
      }
      throw err;
    }
  }

  private async downloadFresh(index: number, link: ExternalLink, signal?: AbortSignal): Promise<RawRows> {
    let current = link;
    const expires = current.expiration ? Date.parse(current.expiration) : NaN;
    if (Number.isFinite(expires) && expires - this.opts.expiryMarginMs <= this.opts.now()) current = await this.renew(index, signal);
    try {
      return parseChunk(await this.api.download(current, signal));
    } catch (err) {
      if (!(err instanceof ExpiredLinkError)) throw err;
      // Expired (or no longer signed): a fresh link for the same chunk, once.
      current = await this.renew(index, signal);
      return parseChunk(await this.api.download(current, signal));
    }
  }

  private async renew(index: number, signal?: AbortSignal): Promise<ExternalLink> {
    this.renewedLinks++;
    const data = await this.fetchChunk(index, signal);
    const link = data.external_links?.[0];
    if (!link) throw new DatabricksError({ errorCode: 'NO_LINK', message: `Databricks gave no download link for chunk ${index} of the result`, status: 0 });
    return link;
  }

  /** Every row in order, for export: chunks downloaded a few ahead, rows converted per chunk. */
  async *allRows(signal?: AbortSignal): AsyncIterable<ResultCell[][]> {
    const n = this.chunks.length;
    const ahead: Array<Promise<RawRows>> = [];
    let next = 0;
    const start = (i: number): Promise<RawRows> => {
      const hit = this.cache.get(i);
      const p = hit ? Promise.resolve(hit) : this.load(i, signal);
      p.catch(() => undefined);
      return p;
    };
    while (next < n && ahead.length < this.opts.exportParallelism) ahead.push(start(next++));
    for (let i = 0; i < n; i++) {
      aborted(signal);
      const rows = await ahead.shift()!;
      if (next < n) ahead.push(start(next++));
      yield convertRows(rows, this.columns);
    }
  }
}

function parseChunk(text: string): RawRows {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new DatabricksError({ errorCode: 'BAD_CHUNK', message: 'A result chunk was not a JSON array of rows', status: 0 });
  return parsed as RawRows;
}
