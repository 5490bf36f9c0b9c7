// The host side of one table: serves windows of rows, and sorts and filters rows it holds.
// Held rows are kept as columns (columns.ts), not row arrays, so a 1,000,000 × 20 result costs
// about its CSV size. Sorting and filtering produce an index permutation (Uint32Array), never row
// copies, and for anything but small tables run on a worker thread (orderWorker.ts): the extension
// host stays responsive, and a new sort or filter cancels the one still running.
// Paged sources (RowSource) are served as they come; they are not sorted or filtered here (their
// origin holds the rows).
import { appendRows, Column, newColumn } from './columns';
import type { ResultCell, ResultColumn, RowSource, TableOutput } from './model';
import { OrderWorker, sharedOrderWorker } from './orderWorker';
import type { SortSpec } from './protocol';
import { Cancelled, OrderJob, OrderResult, runOrderJob } from './tableOps';

export function isRowSource(rows: TableOutput['rows']): rows is RowSource {
  return !Array.isArray(rows);
}

/** Text of a cell as a user reads it (filter, copy, CSV). */
export function cellText(cell: ResultCell): string {
  if (cell === null) return '';
  return typeof cell === 'string' ? cell : String(cell);
}

export interface TableStoreOptions {
  /** The worker sorts and filters run on (default: the one the extension shares). */
  worker?: OrderWorker;
  /** Tables of at most this many cells sort and filter on the host: quicker than a round trip. */
  inlineCells?: number;
  /** Rows converted to columns per turn of the event loop while a big result is taken in. */
  loadChunkRows?: number;
  /**
   * How long a big result is served from the caller's rows before it is converted: the viewer's
   * first windows are answered at once, before the conversion (and the collection of the
   * caller's row arrays it leads to) takes the host's time.
   */
  loadDelayMs?: number;
}

export type StoreBusy = 'loading' | 'sorting' | 'filtering';

const sameSort = (a: SortSpec | undefined, b: SortSpec | undefined) => a?.column === b?.column && a?.direction === b?.direction;

export class TableStore {
  readonly columns: ResultColumn[];
  private readonly cols: Column[] | undefined;
  /** The caller's rows while they are being converted to columns (served as they are meanwhile). */
  private loading: ResultCell[][] | undefined;
  private held = 0;
  private readonly source: RowSource | undefined;
  /** Resolves once held rows are all in columns. */
  readonly ready: Promise<void>;
  /** Rows in display order (after sort and filter); undefined means identity over all rows. */
  private view: Uint32Array | undefined;
  /** The sorted order of all rows, before the filter, and the sort it is for. */
  private sorted: Uint32Array | undefined;
  private sortedFor: SortSpec | undefined;
  private job: AbortController | undefined;
  private jobGeneration = 0;
  sort: SortSpec | undefined;
  filter = '';
  /** Bumped whenever the order of rows changes (sort, filter), so the webview drops stale windows. */
  version = 0;
  /** What the worker is doing for this table, shown in the viewer. */
  busy: StoreBusy | undefined;
  /** Columns the filter does not search (masked personal data: a match would tell what it hides). */
  unsearched: () => number[] = () => [];

  constructor(
    output: TableOutput,
    private readonly options: TableStoreOptions = {},
  ) {
    this.columns = output.columns;
    if (isRowSource(output.rows)) {
      this.source = output.rows;
      this.ready = Promise.resolve();
      return;
    }
    const rows = output.rows;
    this.cols = output.columns.map(() => newColumn(rows.length));
    const chunk = options.loadChunkRows ?? 5_000;
    if (rows.length <= chunk) {
      this.take(rows, 0, rows.length);
      this.ready = Promise.resolve();
    } else {
      this.loading = rows;
      this.busy = 'loading';
      this.ready = this.load(rows, chunk, options.loadDelayMs ?? 250);
    }
  }

  private take(rows: ReadonlyArray<ReadonlyArray<unknown>>, from: number, to: number): void {
    appendRows(this.cols!, rows, from, to);
    this.held += to - from;
  }

  private async load(rows: ResultCell[][], chunk: number, delayMs: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    for (let start = 0; start < rows.length; start += chunk) {
      this.take(rows, start, Math.min(rows.length, start + chunk));
      // Yield between chunks: taking in a million rows must not freeze the extension host.
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (const c of this.cols!) c.trim();
    this.loading = undefined;
    if (this.busy === 'loading') this.busy = undefined;
  }

  get sortable(): boolean {
    return this.cols !== undefined;
  }

  /** Rows before the filter. */
  totalRows(): number | undefined {
    if (this.loading) return this.loading.length;
    return this.cols ? this.held : this.source?.rowCount();
  }

  /** Rows after the filter. */
  rowCount(): number | undefined {
    if (this.view) return this.view.length;
    return this.totalRows();
  }

  /** Bytes of held columns (the memory benchmark and the budget read it). */
  heldBytes(): number {
    return (
      (this.cols ?? []).reduce((n, c) => n + c.bytes(), 0) +
      (this.view?.byteLength ?? 0) +
      (this.sorted && this.sorted !== this.view ? this.sorted.byteLength : 0)
    );
  }

  private rowAt(i: number): ResultCell[] {
    if (this.loading) return this.loading[i];
    const cols = this.cols!;
    const row: ResultCell[] = new Array(cols.length);
    for (let c = 0; c < cols.length; c++) row[c] = cols[c].get(i);
    return row;
  }

  /** Rows [start, start + count) of the current order. */
  async getRows(start: number, count: number, signal?: AbortSignal): Promise<ResultCell[][]> {
    if (this.cols) return this.rowsAt(start, count);
    return this.source ? this.source.getRows(start, count, signal) : [];
  }

  private rowsAt(start: number, count: number): ResultCell[][] {
    const end = Math.min(start + count, this.rowCount() ?? 0);
    const out: ResultCell[][] = [];
    for (let k = start; k < end; k++) out.push(this.rowAt(this.view ? this.view[k] : k));
    return out;
  }

  /**
   * Rows [start, start + count) as columns (what a window message carries), read straight from
   * the held columns.
   */
  async getColumns(start: number, count: number, signal?: AbortSignal): Promise<ResultCell[][]> {
    if (!this.cols || this.loading) {
      const rows = await this.getRows(start, count, signal);
      return this.columns.map((_, c) => rows.map((r) => r[c] ?? null));
    }
    const end = Math.min(start + count, this.rowCount() ?? 0);
    const view = this.view;
    return this.cols.map((col) => {
      const values: ResultCell[] = new Array(Math.max(0, end - start));
      for (let k = start; k < end; k++) values[k - start] = col.get(view ? view[k] : k);
      return values;
    });
  }

  /** At most `limit` rows evenly spread over the current order (the chart's sample), in one pass. */
  async sample(limit: number, signal?: AbortSignal): Promise<{ rows: ResultCell[][]; sampled: boolean }> {
    const count = this.rowCount();
    if (!this.cols && this.source?.allRows && count !== undefined && count > limit) {
      // A paged source that can stream: one pass over it (Athena: one GET of the result object).
      const rows: ResultCell[][] = [];
      const step = count / limit;
      let i = 0;
      for await (const chunk of this.source.allRows(signal)) {
        for (const row of chunk) if (i++ === Math.floor(rows.length * step) && rows.length < limit) rows.push(row);
      }
      return { rows, sampled: true };
    }
    if (!this.cols || count === undefined) {
      // Otherwise its first rows: one window, never a request per row.
      return { rows: await this.getRows(0, limit, signal), sampled: count === undefined || count > limit };
    }
    if (count <= limit) return { rows: this.rowsAt(0, count), sampled: false };
    const rows: ResultCell[][] = [];
    const step = count / limit;
    for (let k = 0; k < limit; k++) {
      const at = Math.floor(k * step);
      rows.push(this.rowAt(this.view ? this.view[at] : at));
    }
    return { rows, sampled: true };
  }

  /** Every row in the current order, for export (streams a paged source from its origin). */
  async *allRows(signal?: AbortSignal, chunk = 10_000): AsyncIterable<ResultCell[][]> {
    const streamed = this.cols ? undefined : this.source?.allRows?.bind(this.source);
    if (streamed) {
      yield* streamed(signal);
      return;
    }
    for (let start = 0; ; start += chunk) {
      if (signal?.aborted) return;
      const rows = await this.getRows(start, chunk, signal);
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < chunk && this.cols) return;
    }
  }

  /**
   * Appends held rows (a result that grows while shown). In the shown order the new rows go to
   * the end; a sorted or filtered table re-sorts so they take their place (true when it did).
   */
  async appendRows(rows: ResultCell[][]): Promise<boolean> {
    if (!this.cols) throw new Error('Rows can only be appended to a table held in memory');
    await this.ready;
    this.take(rows, 0, rows.length);
    if (!this.sort && !this.filter.trim()) return false;
    this.sortedFor = undefined;
    return this.reorder(this.sort ? 'sorting' : 'filtering');
  }

  /**
   * Sorts held rows by one column (nulls last either way); null clears the sort. Resolves true once
   * the new order is in place, false when a later sort or filter superseded it.
   */
  async setSort(sort: SortSpec | null): Promise<boolean> {
    if (!this.cols) throw new Error('Only rows held in memory can be sorted here');
    if (sort && (sort.column < 0 || sort.column >= this.columns.length)) throw new Error(`No column ${sort.column}`);
    this.sort = sort ?? undefined;
    return this.reorder('sorting');
  }

  /** Keeps rows where any cell contains the text (case-insensitive); '' clears the filter. */
  async setFilter(text: string): Promise<boolean> {
    if (!this.cols) throw new Error('Only rows held in memory can be filtered here');
    this.filter = text;
    return this.reorder('filtering');
  }

  private async reorder(busy: StoreBusy): Promise<boolean> {
    this.job?.abort();
    const job = new AbortController();
    this.job = job;
    const generation = ++this.jobGeneration;
    this.busy = busy;
    await this.ready;
    if (generation !== this.jobGeneration) return false;
    const sort = this.sort;
    const order: OrderJob = {
      columns: this.cols!.map((c) => c.data()),
      rows: this.held,
      sort,
      sorted: sort && sameSort(this.sortedFor, sort) ? this.sorted : undefined,
      needle: this.filter.trim().toLowerCase(),
      unsearched: this.unsearched(),
    };
    let result: OrderResult;
    try {
      const inline = (!sort && !order.needle) || this.held * this.columns.length <= (this.options.inlineCells ?? 200_000);
      result = inline ? runOrderJob(order) : await (this.options.worker ?? sharedOrderWorker()).run(order, job.signal);
    } catch (err) {
      if (generation !== this.jobGeneration || err instanceof Cancelled) return false;
      this.busy = undefined;
      this.job = undefined;
      throw err;
    }
    if (generation !== this.jobGeneration) return false;
    this.sorted = result.sorted;
    this.sortedFor = sort;
    this.view = result.view;
    this.version++;
    this.busy = undefined;
    this.job = undefined;
    return true;
  }
}
