// ferry.mlflow.openRun: what a result header's link to a run does: reveal it in the Experiments
// view and show its params, metrics and tags (copy its id: copyRunId.ts; the MLflow UI: openInBrowser.ts).
import { FerryError } from '../../core/errors';
import { runSummaryTable } from '../../databricks/mlflow/outputs';
import { formatDuration, runSource } from '../../databricks/mlflow/types';
import { FerryCommand } from '../types';
import { MlflowCommandContext, runOf } from './context';

export function isRef(v: unknown): v is { experimentId: string; runId: string } {
  return (
    !!v && typeof v === 'object' && typeof (v as { experimentId?: unknown }).experimentId === 'string' && typeof (v as { runId?: unknown }).runId === 'string'
  );
}

export function openRunCommand(ctx: MlflowCommandContext): FerryCommand {
  return {
    id: 'ferry.mlflow.openRun',
    run: async (arg?: unknown) => {
      const node = isRef(arg) ? await ctx.tree.findRun(arg.experimentId, arg.runId) : runOf(ctx, arg);
      if (!node) throw new FerryError('notFound', 'That MLflow run was not found in this workspace.');
      if (ctx.view) await ctx.view.reveal(node, { select: true, focus: true, expand: true });
      const r = node.run;
      const duration = formatDuration(r.endTime !== undefined && r.startTime !== undefined ? r.endTime - r.startTime : undefined);
      const source = runSource(r);
      ctx.presenter.show({
        source: 'mlflow:run',
        title: `MLflow run ${r.name}`,
        outputs: [runSummaryTable(r)],
        facts: [
          { label: 'Experiment', value: node.parent.experiment.name },
          { label: 'Status', value: r.status },
          ...(r.startTime !== undefined ? [{ label: 'Started', value: new Date(r.startTime).toLocaleString() }] : []),
          ...(duration ? [{ label: 'Duration', value: duration }] : []),
          ...(source ? [{ label: 'Source', value: source }] : []),
          { label: 'Run ID', value: r.id },
        ],
      });
    },
  };
}
