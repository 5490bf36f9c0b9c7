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
  /** EXTERNAL_LINKS (default: any size, paged from storage) or INLINE (at most 25 MiB, paged through the API). */
  disposition?: 'INLINE' | 'EXTERNAL_LINKS';
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
  /** Bytes of the result (known for EXTERNAL_LINKS; INLINE manifests do not carry it). */
  totalBytes?: number;
  truncated: boolean;
  durationMs: number;
  disposition: 'INLINE' | 'EXTERNAL_LINKS';
}

const CANCEL_WAIT_MS = 60_000;

export class StatementRunner {
  constructor(readonly api: StatementApi) {}

  async run(sql: string, opts: RunStatementOptions): Promise<StatementOutcome> {
    const started = Date.now();
    const disposition = opts.disposition ?? 'EXTERNAL_LINKS';
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
    if (!id) throw new DatabricksError({ errorCode: 'NO_STATEMENT_ID', message: 'Databricks accepted the statement but returned no statement_id', status: 200 });
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
      throw new StatementFailedError(id, state, res.status?.error?.message ?? 'The statement was cancelled on the warehouse.', res.status?.sql_state, res.status?.error?.error_code ?? 'CANCELLED');
    }
    if (state === 'FAILED') {
      if (cancelling) throw new CancelledError('Statement cancelled');
      throw new StatementFailedError(id, state, res.status?.error?.message ?? 'The statement failed without a message.', res.status?.sql_state, res.status?.error?.error_code);
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
      totalBytes: manifest.total_byte_count,
      truncated: !!manifest.truncated,
      durationMs: Date.now() - started,
      disposition: rows?.disposition ?? opts.disposition ?? 'EXTERNAL_LINKS',
    };
  }
}
