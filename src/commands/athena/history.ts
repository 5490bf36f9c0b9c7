// Athena: Query History — the workgroup's recent queries (ListQueryExecutions +
// BatchGetQueryExecution) with state, time and data scanned; choosing one reopens its result
// from Athena without running it again.
import * as vscode from 'vscode';
import type { QueryExecution } from '@aws-sdk/client-athena';
import { formatBytes } from '../../aws/athena/cost';
import type { FerryCommand } from '../types';
import { AthenaCommandContext } from './context';
import { presentExecution, queryTitle } from './execute';
import { ui } from '../../editor/messages';

const ICONS: Record<string, string> = { SUCCEEDED: '$(pass)', FAILED: '$(error)', CANCELLED: '$(circle-slash)', RUNNING: '$(sync~spin)', QUEUED: '$(clock)' };

export function historyItem(q: QueryExecution): vscode.QuickPickItem & { execution: QueryExecution } {
  const state = q.Status?.State ?? 'UNKNOWN';
  const when = q.Status?.SubmissionDateTime ? new Date(q.Status.SubmissionDateTime).toLocaleString() : '';
  return {
    label: `${ICONS[state] ?? ''} ${queryTitle(q.Query ?? '')}`,
    description: `${state} · ${when} · ${formatBytes(q.Statistics?.DataScannedInBytes ?? 0)} scanned`,
    detail: q.QueryExecutionContext?.Database ? `${q.QueryExecutionContext.Database} · ${q.QueryExecutionId}` : q.QueryExecutionId,
    execution: q,
  };
}

/** Shows a past execution's result (or why it has none) in the result viewer. */
export async function reopenExecution(ctx: AthenaCommandContext, id: string): Promise<void> {
  const q = await ctx.service.get(id);
  const handle = ctx.presenter.show({ source: 'athena', title: `Athena: ${queryTitle(q.Query ?? '')}`, outputs: [] });
  await presentExecution(ctx, handle, q);
}

export function showHistoryCommand(ctx: AthenaCommandContext): FerryCommand {
  return {
    id: 'ferry.athena.showHistory',
    run: async () => {
      const items = ctx.service.history(50).then((page) => page.items.map(historyItem));
      const picked = await ui.pick(items, {
        title: 'Athena: Query History',
        placeHolder: 'Reopen a past query result',
        matchOnDescription: true,
        matchOnDetail: true,
      });
      if (!picked?.execution.QueryExecutionId) return;
      await reopenExecution(ctx, picked.execution.QueryExecutionId);
    },
  };
}
