// Statement Execution 2.0 of the stand-in: POST /api/2.0/sql/statements (wait_timeout, then
// on_wait_timeout CONTINUE or CANCEL), GET …/{id}, GET …/{id}/result/chunks/{n}, POST …/{id}/cancel.
// SQL runs on the warehouse engine (DuckDB); a result is cut into chunks as it streams and kept as
// files until it expires. INLINE chunks carry `data_array`; EXTERNAL_LINKS chunks carry a
// presigned-style link to this server (see links.ts) that needs no token and refuses one.
// Modelled from docs/reference/services-2026.md §4: the 25 MiB INLINE cap fails the statement,
// a failing statement is HTTP 200 with state FAILED, a cancel is asynchronous (poll to CANCELED),
// results are CLOSED after an hour, 0-row results have no chunks and `result: {}`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, Params, invalidParam } from './http';
import type { PresignedLinks } from './links';
import { Cell, ColumnInfo, mapError, SqlError, StatementParameter, WarehouseEngine, EngineSession } from './sqlEngine';
import type { WarehouseRegistry } from './warehouses';

/** The real cap: "Statements executed with disposition=INLINE can have a result size of at most 26214400 bytes". */
export const INLINE_BYTE_LIMIT = 26_214_400;
export const STATEMENT_TEXT_LIMIT = 16 * 1024 * 1024;
const EXTERNAL_DEFAULT_BYTE_LIMIT = 100 * 1024 ** 3;

export interface SqlTimings {
  /** Least time a statement stays RUNNING (makes progress and cancel observable). */
  minRunningMs: number;
  /** How long after a cancel request the state turns CANCELED ("the cancel can fail silently; poll"). */
  cancelLagMs: number;
  /** How long a result can be fetched after success (real: 1 h), then CLOSED. */
  resultTtlMs: number;
  /** Lifetime of an external link (real: at most 15 min). */
  linkTtlMs: number;
}

export interface SqlLimits {
  /** Bytes of JSON per INLINE chunk ([unconfirmed]: the real chunk size is not documented). */
  inlineChunkBytes: number;
  /** Bytes per EXTERNAL_LINKS chunk ([unconfirmed] likewise). */
  externalChunkBytes: number;
  /** Links carry `http_headers` (an SSE-C style decryption key) that the download must send. */
  linkHeaders: boolean;
}

export const DEFAULT_SQL_TIMINGS: SqlTimings = { minRunningMs: 0, cancelLagMs: 300, resultTtlMs: 3_600_000, linkTtlMs: 900_000 };
export const DEFAULT_SQL_LIMITS: SqlLimits = { inlineChunkBytes: 4 * 1024 * 1024, externalChunkBytes: 8 * 1024 * 1024, linkHeaders: true };

type State = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'CLOSED';
const TERMINAL = new Set<State>(['SUCCEEDED', 'FAILED', 'CANCELED', 'CLOSED']);

interface Chunk {
  chunk_index: number;
  row_offset: number;
  row_count: number;
  byte_count: number;
  file: string;
}

interface Statement {
  id: string;
  warehouseId: string;
  text: string;
  catalog?: string;
  schema?: string;
  parameters: StatementParameter[];
  disposition: 'INLINE' | 'EXTERNAL_LINKS';
  format: 'JSON_ARRAY' | 'CSV';
  rowLimit?: number;
  byteLimit: number;
  state: State;
  error?: { error_code: string; message: string };
  sqlState?: string;
  columns: ColumnInfo[];
  chunks: Chunk[];
  totalRows: number;
  totalBytes: number;
  truncated: boolean;
  finishedAt?: number;
  cancelRequested: boolean;
  session?: EngineSession;
  settled: Promise<void>;
}

function waitSeconds(value: string | undefined): number {
  if (value === undefined || value === '') return 10;
  const m = /^(\d+)s$/.exec(value);
  const n = m ? Number(m[1]) : NaN;
  // [unconfirmed] the real message; the documented rule is "0s" or 5s–50s.
  if (!m || (n !== 0 && (n < 5 || n > 50))) throw invalidParam(`wait_timeout must be 0s or between 5s and 50s, got '${value}'`);
  return n;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Statements {
  private readonly statements = new Map<string, Statement>();
  private readonly dir: string;
  timings: SqlTimings = { ...DEFAULT_SQL_TIMINGS };
  limits: SqlLimits = { ...DEFAULT_SQL_LIMITS };
  private stopped = false;

  constructor(
    dataDir: string,
    private readonly warehouses: WarehouseRegistry,
    readonly engine: WarehouseEngine,
    private readonly links: PresignedLinks,
  ) {
    this.dir = path.join(dataDir, 'sql-results');
    fs.mkdirSync(this.dir, { recursive: true });
    warehouses.onStopping = (id) => {
      for (const s of this.statements.values()) {
        if (s.warehouseId === id && !TERMINAL.has(s.state)) {
          s.session?.interrupt();
          this.fail(s, 'CANCELLED', 'The SQL warehouse was stopped while the statement ran.');
        }
      }
    };
  }

  configure(next: { timings?: Partial<SqlTimings>; limits?: Partial<SqlLimits> }): { timings: SqlTimings; limits: SqlLimits } {
    this.timings = { ...this.timings, ...next.timings };
    this.limits = { ...this.limits, ...next.limits };
    return { timings: this.timings, limits: this.limits };
  }

  async execute(p: Params): Promise<Record<string, unknown>> {
    const warehouseId = p.reqStr('warehouse_id');
    const text = p.reqStr('statement');
    if (Buffer.byteLength(text) > STATEMENT_TEXT_LIMIT)
      throw invalidParam(`The statement is ${Buffer.byteLength(text)} bytes; statements can be at most ${STATEMENT_TEXT_LIMIT} bytes.`);
    const state = this.warehouses.state(warehouseId);
    if (state === undefined || state === 'DELETED' || state === 'DELETING')
      throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `SQL warehouse ${warehouseId} does not exist.`);
    const wait = waitSeconds(p.str('wait_timeout'));
    const onWait = (p.str('on_wait_timeout') ?? 'CONTINUE').toUpperCase();
    if (onWait !== 'CONTINUE' && onWait !== 'CANCEL') throw invalidParam(`on_wait_timeout must be CONTINUE or CANCEL, got '${onWait}'`);
    const disposition = (p.str('disposition') ?? 'INLINE').toUpperCase();
    if (disposition !== 'INLINE' && disposition !== 'EXTERNAL_LINKS') throw invalidParam(`Unknown disposition '${disposition}'`);
    const format = (p.str('format') ?? 'JSON_ARRAY').toUpperCase();
    if (format === 'ARROW_STREAM') throw new ApiError(501, 'NOT_IMPLEMENTED', 'This stand-in does not produce ARROW_STREAM results; use JSON_ARRAY or CSV.');
    if (format !== 'JSON_ARRAY' && format !== 'CSV') throw invalidParam(`Unknown format '${format}'`);
    if (disposition === 'INLINE' && format !== 'JSON_ARRAY')
      throw invalidParam(`Format ${format} requires disposition EXTERNAL_LINKS; INLINE results are JSON_ARRAY only.`);
    const parameters = (p.arr('parameters') ?? []).map((x) => {
      const o = x as Record<string, unknown>;
      if (typeof o.name !== 'string' || !o.name) throw invalidParam('Every parameter needs a name');
      return { name: o.name, value: o.value === undefined || o.value === null ? null : String(o.value), type: typeof o.type === 'string' ? o.type : undefined };
    });
    const byteLimit = p.num('byte_limit') ?? (disposition === 'EXTERNAL_LINKS' ? EXTERNAL_DEFAULT_BYTE_LIMIT : INLINE_BYTE_LIMIT);
    const s: Statement = {
      id: crypto.randomUUID(),
      warehouseId,
      text,
      catalog: p.str('catalog'),
      schema: p.str('schema'),
      parameters,
      disposition,
      format: format as Statement['format'],
      rowLimit: p.num('row_limit'),
      byteLimit,
      state: 'PENDING',
      columns: [],
      chunks: [],
      totalRows: 0,
      totalBytes: 0,
      truncated: false,
      cancelRequested: false,
      settled: Promise.resolve(),
    };
    this.statements.set(s.id, s);
    s.settled = this.run(s).catch(() => undefined);
    if (wait > 0) {
      const deadline = Date.now() + wait * 1000;
      while (!TERMINAL.has(s.state) && Date.now() < deadline && !this.stopped) await sleep(20);
      if (!TERMINAL.has(s.state) && onWait === 'CANCEL') {
        this.cancelNow(s);
        while (!TERMINAL.has(s.state) && !this.stopped) await sleep(20);
      }
    }
    return this.view(s);
  }

  private async run(s: Statement): Promise<void> {
    // A stopped warehouse is started by the statement ([unconfirmed]: the reference leaves open whether
    // the real service auto-starts; the client tolerates both). PENDING until it runs.
    if (this.warehouses.state(s.warehouseId) === 'STOPPED') this.warehouses.start(s.warehouseId);
    while (this.warehouses.state(s.warehouseId) !== 'RUNNING') {
      if (s.cancelRequested || this.stopped || TERMINAL.has(s.state)) return;
      const st = this.warehouses.state(s.warehouseId);
      if (st === 'STOPPED' || st === 'DELETED') return this.fail(s, 'CANCELLED', 'The SQL warehouse stopped before the statement could run.');
      await sleep(50);
    }
    if (s.cancelRequested || TERMINAL.has(s.state)) return;
    s.state = 'RUNNING';
    const started = Date.now();
    this.warehouses.sessions(s.warehouseId, 1);
    const session = await this.engine.session();
    s.session = session;
    try {
      const result = await session.run(s.text, { catalog: s.catalog, schema: s.schema, parameters: s.parameters });
      s.columns = result.columns;
      await this.writeChunks(s, result.rows);
      while (Date.now() - started < this.timings.minRunningMs && !s.cancelRequested && !this.stopped) await sleep(20);
      if (s.cancelRequested || TERMINAL.has(s.state)) return;
      s.state = 'SUCCEEDED';
      s.finishedAt = Date.now();
    } catch (err) {
      if (s.cancelRequested || TERMINAL.has(s.state)) return;
      const e = err instanceof SqlError ? err : mapError(err);
      if (e.sqlState === 'INLINE') return this.fail(s, 'BAD_REQUEST', e.message);
      this.fail(s, 'BAD_REQUEST', e.message, e.sqlState);
    } finally {
      session.close();
      s.session = undefined;
      this.warehouses.sessions(s.warehouseId, -1);
    }
  }

  private fail(s: Statement, code: string, message: string, sqlState?: string): void {
    s.state = 'FAILED';
    s.error = { error_code: code, message };
    s.sqlState = sqlState;
    s.finishedAt = Date.now();
    this.dropFiles(s);
  }

  /** Cuts the rows into chunk files of about the chunk size, applying row_limit, byte_limit and the INLINE cap. */
  private async writeChunks(s: Statement, rows: AsyncIterable<Cell[][]>): Promise<void> {
    const target = s.disposition === 'INLINE' ? this.limits.inlineChunkBytes : this.limits.externalChunkBytes;
    const folder = path.join(this.dir, s.id);
    fs.mkdirSync(folder, { recursive: true });
    let parts: string[] = [];
    let bytes = 0;
    let count = 0;
    const csvHeader = s.format === 'CSV' ? `${s.columns.map((c) => csvField(c.name)).join(',')}\n` : '';
    const flush = (): void => {
      if (count === 0) return;
      const index = s.chunks.length;
      const body = s.format === 'CSV' ? `${index === 0 ? csvHeader : ''}${parts.join('')}` : `[${parts.join(',')}]`;
      const file = path.join(folder, `chunk-${index}`);
      fs.writeFileSync(file, body);
      s.chunks.push({ chunk_index: index, row_offset: s.totalRows, row_count: count, byte_count: Buffer.byteLength(body), file });
      s.totalRows += count;
      s.totalBytes += Buffer.byteLength(body);
      parts = [];
      bytes = 0;
      count = 0;
    };
    let seen = 0;
    let seenBytes = 0;
    outer: for await (const batch of rows) {
      for (const row of batch) {
        if (s.cancelRequested || this.stopped) break outer;
        if (s.rowLimit !== undefined && seen >= s.rowLimit) {
          s.truncated = true;
          break outer;
        }
        const text = s.format === 'CSV' ? `${row.map((v) => (v === null ? 'null' : csvField(v))).join(',')}\n` : JSON.stringify(row);
        const size = Buffer.byteLength(text) + 1;
        if (s.disposition === 'INLINE' && seenBytes + size > INLINE_BYTE_LIMIT && s.byteLimit >= INLINE_BYTE_LIMIT) {
          throw new SqlError(
            `Inline byte limit exceeded. Statements executed with disposition=INLINE can have a result size of at most ${INLINE_BYTE_LIMIT} bytes. Please execute the statement with disposition=EXTERNAL_LINKS if you want to download the full result.`,
            'INLINE',
          );
        }
        if (seenBytes + size > s.byteLimit) {
          s.truncated = true;
          break outer;
        }
        parts.push(text);
        bytes += size;
        count++;
        seen++;
        seenBytes += size;
        if (bytes >= target) flush();
      }
    }
    flush();
  }

  private find(id: string): Statement {
    const s = this.statements.get(id);
    // [unconfirmed] the real answer for an unknown id.
    if (!s) throw new ApiError(404, 'NOT_FOUND', `Statement ${id} not found.`);
    if (s.state === 'SUCCEEDED' && s.finishedAt !== undefined && Date.now() - s.finishedAt > this.timings.resultTtlMs) {
      s.state = 'CLOSED';
      this.dropFiles(s);
    }
    return s;
  }

  private dropFiles(s: Statement): void {
    fs.rmSync(path.join(this.dir, s.id), { recursive: true, force: true });
  }

  private manifest(s: Statement): Record<string, unknown> {
    const inline = s.disposition === 'INLINE';
    const m: Record<string, unknown> = {
      format: s.format,
      schema: { column_count: s.columns.length, columns: s.columns },
      total_row_count: s.totalRows,
      total_chunk_count: s.chunks.length,
      chunks: s.chunks.map((c) =>
        inline
          ? { chunk_index: c.chunk_index, row_offset: c.row_offset, row_count: c.row_count }
          : { chunk_index: c.chunk_index, row_offset: c.row_offset, row_count: c.row_count, byte_count: c.byte_count },
      ),
      truncated: s.truncated,
    };
    if (!inline) m.total_byte_count = s.totalBytes;
    return m;
  }

  private chunkData(s: Statement, index: number): Record<string, unknown> {
    const c = s.chunks[index];
    const next =
      index + 1 < s.chunks.length
        ? { next_chunk_index: index + 1, next_chunk_internal_link: `/api/2.0/sql/statements/${s.id}/result/chunks/${index + 1}` }
        : {};
    if (s.disposition === 'INLINE') {
      return {
        chunk_index: c.chunk_index,
        row_offset: c.row_offset,
        row_count: c.row_count,
        data_array: JSON.parse(fs.readFileSync(c.file, 'utf8')) as unknown,
        ...next,
      };
    }
    const link = this.links.issue(s.id, index, this.timings.linkTtlMs, this.limits.linkHeaders);
    return {
      external_links: [
        {
          chunk_index: c.chunk_index,
          row_offset: c.row_offset,
          row_count: c.row_count,
          byte_count: c.byte_count,
          external_link: link.url,
          expiration: link.expiration,
          ...(link.headers ? { http_headers: link.headers } : {}),
          ...next,
        },
      ],
    };
  }

  private view(s: Statement): Record<string, unknown> {
    const status: Record<string, unknown> = { state: s.state };
    if (s.error) status.error = s.error;
    if (s.sqlState) status.sql_state = s.sqlState;
    const out: Record<string, unknown> = { statement_id: s.id, status };
    if (s.state === 'SUCCEEDED') {
      out.manifest = this.manifest(s);
      out.result = s.chunks.length ? this.chunkData(s, 0) : {};
    }
    return out;
  }

  get(id: string): Record<string, unknown> {
    return this.view(this.find(id));
  }

  chunk(id: string, index: number): Record<string, unknown> {
    const s = this.find(id);
    // [unconfirmed] the real status and text for a chunk of a statement whose result is gone or not ready.
    if (s.state === 'CLOSED') throw new ApiError(404, 'NOT_FOUND', `The result of statement ${id} is no longer available (CLOSED); run the statement again.`);
    if (s.state !== 'SUCCEEDED') throw new ApiError(400, 'BAD_REQUEST', `Statement ${id} is ${s.state}; chunks can be fetched once it has SUCCEEDED.`);
    if (!Number.isInteger(index) || index < 0 || index >= s.chunks.length) throw invalidParam(`Chunk index ${index} is out of range [0, ${s.chunks.length})`);
    return this.chunkData(s, index);
  }

  /** The bytes behind an external link, when the statement still holds them. */
  chunkFile(id: string, index: number): { file: string; contentType: string } | undefined {
    const s = this.statements.get(id);
    if (!s) return undefined;
    this.find(id);
    const c = s.state === 'SUCCEEDED' ? s.chunks[index] : undefined;
    if (!c || !fs.existsSync(c.file)) return undefined;
    return { file: c.file, contentType: s.format === 'CSV' ? 'text/csv' : 'application/json' };
  }

  cancel(id: string): Record<string, unknown> {
    const s = this.find(id);
    if (!TERMINAL.has(s.state)) this.cancelNow(s);
    return {};
  }

  private cancelNow(s: Statement): void {
    if (s.cancelRequested) return;
    s.cancelRequested = true;
    s.session?.interrupt();
    setTimeout(() => {
      if (TERMINAL.has(s.state)) return;
      s.state = 'CANCELED';
      s.finishedAt = Date.now();
      this.dropFiles(s);
    }, this.timings.cancelLagMs).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.statements.values()) s.session?.interrupt();
    await Promise.all([...this.statements.values()].map((s) => s.settled));
    await this.engine.stop();
  }
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
