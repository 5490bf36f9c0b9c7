// Runs one statement on a SQL warehouse to its end: execute with a short wait_timeout (a quick
// statement is answered in that one request), then poll with a growing interval; a cancel sends
// /cancel and polls on to the terminal state, since the cancel itself may fail silently. A
// statement whose execute request is still on its way when the user cancels is cancelled as soon
// as its id is known: abandoning a statement does not stop it on the warehouse.
// The execute request is never sent twice: once it may have reached the server, a failure goes to
// the user instead of being retried (the client retries only answers that mean "not started").
import { CancelledError } from '../../core/errors';
import { sleep } from '../../core/retry';
import type { ResultColumn } from '../../results/model';
import { DatabricksError } from '../errors';
import { WarehouseRowSource, WarehouseRowSourceOptions } from './rowSource';
import { ExecuteRequest, Manifest, StatementApi, StatementFailedError, StatementResponse, StatementState, TERMINAL_STATES } from './statementApi';
import { statementColumns } from './values';

export interface StatementProgress {
  statementId?: string;
  state: StatementState | 'SUBMITTING' | 'CANCELLING';
  elapsedMs: number;
}

export interface RunStatementOptions {
  warehouseId: string;
  catalog?: string;
  schema?: string;
  parameters?: ExecuteRequest['parameters'];
  /** AUTO (default: see chooseDisposition), EXTERNAL_LINKS (any size, paged from storage) or INLINE (at most 25 MiB, paged through the API). */
  disposition?: 'INLINE' | 'EXTERNAL_LINKS' | 'AUTO';
  /** Seconds the execute request waits for the result: 0, or 5–50 (default 5). */
  waitTimeoutSeconds?: number;
  rowLimit?: number;
  signal?: AbortSignal;
  onStarted?: (statementId: string) => void;
  onProgress?: (p: StatementProgress) => void;
  /** Polling schedule in ms: first wait and cap (default 250 → 2,000). */
  pollMs?: { first: number; max: number };
  rowSource?: WarehouseRowSourceOptions;
}

export interface StatementOutcome {
  statementId: string;
  manifest: Manifest;
  columns: ResultColumn[];
  /** The rows, paged on demand; undefined for a statement without a result set (DDL). */
  rows?: WarehouseRowSource;
  totalRows: number;
  /** Bytes of the result (from the manifest for EXTERNAL_LINKS; measured for a one-chunk INLINE result; else unknown). */
  totalBytes?: number;
  truncated: boolean;
  durationMs: number;
  disposition: 'INLINE' | 'EXTERNAL_LINKS';
}

const CANCEL_WAIT_MS = 60_000;

/** The most rows a statement may LIMIT itself to and still be fetched INLINE by AUTO (25 KB a row before the 25 MiB cap). */
export const AUTO_INLINE_LIMIT = 1000;

/**
 * AUTO: INLINE for a statement whose result is small by its own words (no result set, SHOW,
 * DESCRIBE, EXPLAIN, or a final LIMIT of at most 1,000 rows): its rows come with the answer, with
 * no download. Anything else may be large: EXTERNAL_LINKS, whose chunks are fetched as needed.
 * (The service has no "inline if small" mode, and a statement is never run twice to find out.)
 */
export function chooseDisposition(sql: string): 'INLINE' | 'EXTERNAL_LINKS' {
  const text = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .trim()
    .replace(/;\s*$/, '');
  const word = (/^\(?\s*(\w+)/.exec(text)?.[1] ?? '').toUpperCase();
  if (
    [
      'SHOW',
      'DESCRIBE',
      'DESC',
      'EXPLAIN',
      'USE',
      'SET',
      'CREATE',
      'DROP',
      'ALTER',
      'INSERT',
      'UPDATE',
      'DELETE',
      'MERGE',
      'GRANT',
      'REVOKE',
      'COMMENT',
      'OPTIMIZE',
      'VACUUM',
      'ANALYZE',
      'REFRESH',
      'TRUNCATE',
      'MSCK',
    ].includes(word)
  )
    return 'INLINE';
  const limit = /\bLIMIT\s+(\d+)\s*(?:OFFSET\s+\d+\s*)?\)?\s*$/i.exec(text);
  return limit && Number(limit[1]) <= AUTO_INLINE_LIMIT ? 'INLINE' : 'EXTERNAL_LINKS';
}

export class StatementRunner {
  constructor(readonly api: StatementApi) {}

  async run(sql: string, opts: RunStatementOptions): Promise<StatementOutcome> {
    const started = Date.now();
    const disposition = !opts.disposition || opts.disposition === 'AUTO' ? chooseDisposition(sql) : opts.disposition;
    const wait = opts.waitTimeoutSeconds ?? 5;
    const report = (state: StatementProgress['state'], statementId?: string) => opts.onProgress?.({ state, statementId, elapsedMs: Date.now() - started });
    if (opts.signal?.aborted) throw new CancelledError();
    report('SUBMITTING');
    // The execute request is not aborted with the signal: its answer carries the id we must cancel.
    let res = await this.api.execute({
      warehouse_id: opts.warehouseId,
      statement: sql,
      catalog: opts.catalog || undefined,
      schema: opts.schema || undefined,
      parameters: opts.parameters,
      disposition,
      format: 'JSON_ARRAY',
      wait_timeout: `${wait}s`,
      on_wait_timeout: 'CONTINUE',
      row_limit: opts.rowLimit,
    });
    const id = res.statement_id;
    if (!id)
      throw new DatabricksError({ errorCode: 'NO_STATEMENT_ID', message: 'Databricks accepted the statement but returned no statement_id', status: 200 });
    opts.onStarted?.(id);
    let delay = opts.pollMs?.first ?? 250;
    const cap = opts.pollMs?.max ?? 2000;
    let cancelling = false;
    for (;;) {
      const state = res.status?.state ?? 'PENDING';
      if (TERMINAL_STATES.has(state)) break;
      if (opts.signal?.aborted && !cancelling) {
        cancelling = true;
        report('CANCELLING', id);
        await this.api.cancel(id).catch(() => undefined);
        delay = 200;
      }
      report(cancelling ? 'CANCELLING' : state, id);
      if (cancelling && Date.now() - started > CANCEL_WAIT_MS + wait * 1000) {
        throw new CancelledError(`Cancel requested; statement ${id} had not stopped after ${CANCEL_WAIT_MS / 1000} s (it may still end on the warehouse)`);
      }
      try {
        await sleep(delay, cancelling ? undefined : opts.signal);
      } catch {
        // cancelled while waiting: loop to send the cancel
      }
      delay = Math.min(cap, Math.round(delay * 1.5));
      res = await this.api.get(id);
    }
    report(res.status?.state ?? 'SUCCEEDED', id);
    return this.outcome(res, started, cancelling, opts);
  }

  private outcome(res: StatementResponse, started: number, cancelling: boolean, opts: RunStatementOptions): StatementOutcome {
    const state = res.status?.state;
    const id = res.statement_id;
    if (state === 'CANCELED') {
      if (cancelling) throw new CancelledError('Statement cancelled');
      throw new StatementFailedError(
        id,
        state,
        res.status?.error?.message ?? 'The statement was cancelled on the warehouse.',
        res.status?.sql_state,
        res.status?.error?.error_code ?? 'CANCELLED',
      );
    }
    if (state === 'FAILED') {
      if (cancelling) throw new CancelledError('Statement cancelled');
      throw new StatementFailedError(
        id,
        state,
        res.status?.error?.message ?? 'The statement failed without a message.',
        res.status?.sql_state,
        res.status?.error?.error_code,
      );
    }
    if (state === 'CLOSED') throw new StatementFailedError(id, state, 'The statement succeeded but its result is no longer available (CLOSED). Run it again.');
    const manifest = res.manifest ?? {};
    const columns = statementColumns(manifest.schema?.columns);
    const rows = columns.length ? new WarehouseRowSource(this.api, id, manifest, res.result, columns, opts.rowSource) : undefined;
    return {
      statementId: id,
      manifest,
      columns,
      rows,
      totalRows: manifest.total_row_count ?? 0,
      // INLINE manifests carry no byte count: a result that came whole in the answer is measured here.
      totalBytes:
        manifest.total_byte_count ??
        ((manifest.total_chunk_count ?? 0) <= 1 && res.result?.data_array ? Buffer.byteLength(JSON.stringify(res.result.data_array)) : undefined),
      truncated: !!manifest.truncated,
      durationMs: Date.now() - started,
      disposition: rows?.disposition ?? (!opts.disposition || opts.disposition === 'AUTO' ? 'EXTERNAL_LINKS' : opts.disposition),
    };
  }
}
