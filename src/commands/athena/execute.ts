// Runs one statement and shows it in the result viewer: a notification with the state and the
// elapsed time and a Cancel button (StopQueryExecution), then the rows (paged from GetQueryResults
// as the grid scrolls; exported by streaming the CSV result object), data scanned, cost and engine time.
import type { QueryExecution } from '@aws-sdk/client-athena';
import { formatDuration, queryFacts } from '../../aws/athena/cost';
import { QueryFailedError } from '../../aws/athena/service';
import { isCancellation } from '../../core/errors';
import type { ResultFacts, ResultHandle } from '../../results/model';
import { AthenaCommandContext } from './context';
import { withCancellableProgress } from '../../editor/progress';

export function queryTitle(sql: string): string {
  const line = sql
    .replace(/--[^\n]*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'Athena query';
}

function costSettings(ctx: AthenaCommandContext) {
  const s = ctx.settings();
  return { costPerTerabyteUsd: s['athena.costPerTerabyteUsd'], minimumBilledMegabytes: s['athena.minimumBilledMegabytes'] };
}

export function factsOf(ctx: AthenaCommandContext, q: QueryExecution, rowsNote?: string): ResultFacts {
  return queryFacts(q, costSettings(ctx), rowsNote);
}

/** Puts a finished execution into a shown result: its rows (or a line for DDL), facts and end state. */
export async function presentExecution(ctx: AthenaCommandContext, handle: ResultHandle, q: QueryExecution): Promise<void> {
  const state = q.Status?.State;
  if (state !== 'SUCCEEDED') {
    const reason = q.Status?.AthenaError?.ErrorMessage ?? q.Status?.StateChangeReason ?? state ?? 'unknown';
    handle.append({
      kind: 'error',
      summary: `Query ${state === 'CANCELLED' ? 'cancelled' : 'failed'}: ${reason.split('\n')[0]}`,
      traceback: reason,
      frames: [],
    });
    handle.setFacts(factsOf(ctx, q));
    handle.finish(state === 'CANCELLED' ? 'cancelled' : 'failed');
    return;
  }
  const rows = ctx.service.rows(q);
  const columns = await rows.open();
  if (!columns.length) {
    handle.append({ kind: 'text', text: `${q.StatementType === 'DDL' ? 'Statement' : 'Query'} succeeded.` });
  } else {
    handle.append({ kind: 'table', columns, rows });
  }
  const count = rows.rowCount();
  handle.setFacts(factsOf(ctx, q, count !== undefined ? count.toLocaleString('en-US') : `${rows.loadedCount().toLocaleString('en-US')}+ (more on scroll)`));
  handle.finish('succeeded');
}

export interface ExecuteOptions {
  database?: string;
  title?: string;
}

/** Runs one statement with progress and cancel, showing it as it goes. Rethrows failures for the command wrapper. */
export async function executeAndShow(ctx: AthenaCommandContext, sql: string, opts: ExecuteOptions = {}): Promise<QueryExecution> {
  const ctrl = new AbortController();
  const title = opts.title ?? queryTitle(sql);
  const handle = ctx.presenter.show({
    source: 'athena',
    title: `Athena: ${title}`,
    outputs: [],
    facts: [{ label: 'State', value: 'SUBMITTING' }],
    onCancel: () => ctrl.abort(),
  });
  const log = ctx.logger.scoped('athena');
  return withCancellableProgress({ title: `Athena: ${title}`, controller: ctrl }, async (_signal, progress) => {
    try {
      const q = await ctx.service.run(sql, {
        database: opts.database,
        catalog: ctx.settings()['athena.catalog'],
        signal: ctrl.signal,
        onStarted: (id) => log.info(`query ${id} started in ${opts.database ?? '(default)'}`),
        onProgress: (p) => {
          progress.report({ message: `${p.state} · ${formatDuration(p.elapsedMs)}` });
          if (p.execution)
            handle.setFacts([
              { label: 'State', value: p.state },
              { label: 'Elapsed', value: formatDuration(p.elapsedMs) },
            ]);
        },
      });
      log.info(`query ${q.QueryExecutionId} ${q.Status?.State}, scanned ${q.Statistics?.DataScannedInBytes ?? 0} bytes`);
      await presentExecution(ctx, handle, q);
      if (q.StatementType === 'DDL') ctx.tree.refresh();
      return q;
    } catch (err) {
      if (isCancellation(err)) {
        handle.append({ kind: 'text', text: 'Query cancelled.' });
        handle.finish('cancelled');
      } else if (err instanceof QueryFailedError) {
        await presentExecution(ctx, handle, err.execution);
      } else {
        const message = err instanceof Error ? err.message : String(err);
        handle.append({ kind: 'error', summary: message.split('\n')[0], traceback: message, frames: [] });
        handle.finish('failed');
      }
      throw err;
    }
  });
}
