// "Run this SQL on a warehouse and show it": one statement in the result viewer, with its state
// and elapsed time while it runs, Cancel, then the grid (paged chunk by chunk from the warehouse),
// rows, bytes and duration; a failure shows the warehouse's message. Plain Node: the editor hands
// in the presenter; the SQL file commands, %sql cells and the Catalog view all come through here.
import { formatBytes, formatDuration } from '../../aws/athena/cost';
import { isCancellation } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { ResultFacts, ResultHandle, ResultPresenter } from '../../results/model';
import { StatementFailedError } from './statementApi';
import { RunStatementOptions, StatementOutcome, StatementProgress, StatementRunner } from './statementRunner';

/** The result viewer panel that warehouse results share. */
export const SQL_RESULT_SOURCE = 'databricks:sql';

export interface WarehouseRef {
  id: string;
  name?: string;
}

export interface ShowStatementOptions extends Omit<RunStatementOptions, 'warehouseId' | 'onProgress'> {
  title?: string;
  onProgress?: (p: StatementProgress) => void;
}

export function statementTitle(sql: string): string {
  const line = sql
    .replace(/--[^\n]*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'SQL statement';
}

export function outcomeFacts(o: StatementOutcome, warehouse: WarehouseRef): ResultFacts {
  const facts: ResultFacts = [
    { label: 'State', value: 'SUCCEEDED' },
    { label: 'Warehouse', value: warehouse.name ?? warehouse.id },
    { label: 'Rows', value: `${o.totalRows.toLocaleString('en-US')}${o.truncated ? ' (truncated by the row or byte limit)' : ''}` },
    { label: 'Bytes', value: o.totalBytes !== undefined ? formatBytes(o.totalBytes) : 'not reported for multi-chunk INLINE results' },
    { label: 'Duration', value: formatDuration(o.durationMs) },
  ];
  if (o.rows)
    facts.push({
      label: 'Chunks',
      value: `${o.rows.chunkCount().toLocaleString('en-US')} (${o.disposition === 'EXTERNAL_LINKS' ? 'external links' : 'inline'})`,
    });
  facts.push({ label: 'Statement ID', value: o.statementId });
  return facts;
}

function progressFacts(p: StatementProgress, warehouse: WarehouseRef): ResultFacts {
  return [
    { label: 'State', value: p.state },
    { label: 'Warehouse', value: warehouse.name ?? warehouse.id },
    { label: 'Elapsed', value: formatDuration(p.elapsedMs) },
    ...(p.statementId ? [{ label: 'Statement ID', value: p.statementId }] : []),
  ];
}

/** Puts a finished statement into a shown result. */
export function presentOutcome(handle: ResultHandle, o: StatementOutcome, warehouse: WarehouseRef): void {
  if (o.rows)
    handle.append({
      kind: 'table',
      columns: o.columns,
      rows: o.rows,
      truncated: o.truncated,
      truncationNote: o.truncated ? 'The warehouse cut this result at its row or byte limit.' : undefined,
    });
  else handle.append({ kind: 'text', text: 'Statement succeeded.' });
  handle.setFacts(outcomeFacts(o, warehouse));
  handle.finish('succeeded');
}

export class StatementPresenter {
  constructor(
    private readonly presenter: ResultPresenter,
    private readonly logger: Logger,
  ) {}

  /** Runs `sql` on the warehouse and shows it; rethrows a failure (already shown) for the command wrapper. */
  async runAndShow(runner: StatementRunner, sql: string, warehouse: WarehouseRef, opts: ShowStatementOptions = {}): Promise<StatementOutcome> {
    const ctrl = new AbortController();
    const onAbort = () => ctrl.abort();
    opts.signal?.addEventListener('abort', onAbort);
    const title = opts.title ?? statementTitle(sql);
    const handle = this.presenter.show({
      source: SQL_RESULT_SOURCE,
      title: `${warehouse.name ?? 'SQL warehouse'}: ${title}`,
      outputs: [],
      facts: [{ label: 'State', value: 'SUBMITTING' }],
      onCancel: () => ctrl.abort(),
    });
    const log = this.logger.scoped('sql');
    try {
      const outcome = await runner.run(sql, {
        ...opts,
        warehouseId: warehouse.id,
        signal: ctrl.signal,
        onStarted: (id) => {
          log.info(`statement ${id} started on warehouse ${warehouse.id}`);
          opts.onStarted?.(id);
        },
        onProgress: (p) => {
          handle.setFacts(progressFacts(p, warehouse));
          opts.onProgress?.(p);
        },
      });
      log.info(`statement ${outcome.statementId} SUCCEEDED: ${outcome.totalRows} rows in ${outcome.rows?.chunkCount() ?? 0} chunks, ${outcome.durationMs} ms`);
      presentOutcome(handle, outcome, warehouse);
      return outcome;
    } catch (err) {
      if (isCancellation(err)) {
        handle.append({ kind: 'text', text: err instanceof Error && err.message !== 'Cancelled' ? err.message : 'Statement cancelled.' });
        handle.finish('cancelled');
      } else {
        const message = err instanceof Error ? err.message : String(err);
        const state = err instanceof StatementFailedError ? err.state : 'FAILED';
        const first = message.split('\n')[0];
        handle.append({
          kind: 'error',
          summary: `Statement ${state === 'CANCELED' ? 'was cancelled' : 'failed'}: ${first}`,
          traceback: `${message}${err instanceof StatementFailedError && err.sqlState ? `\nSQLSTATE: ${err.sqlState}` : ''}`,
          frames: [],
        });
        handle.setFacts([
          { label: 'State', value: state },
          { label: 'Warehouse', value: warehouse.name ?? warehouse.id },
          ...(err instanceof StatementFailedError ? [{ label: 'Statement ID', value: err.statementId }] : []),
        ]);
        handle.finish('failed');
        log.warn(`statement failed on warehouse ${warehouse.id}: ${first}`);
      }
      throw err;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }
}
