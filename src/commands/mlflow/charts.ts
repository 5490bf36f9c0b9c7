// ferry.mlflow.showMetricChart: one run's metric history as a line chart (several runs on one chart:
// compareRuns.ts). Histories are read with progress and Cancel.
import { CancelledError, FerryError } from '../../core/errors';
import { ui } from '../../editor/messages';
import { MetricSeries, metricChartOutput, metricFacts } from '../../databricks/mlflow/outputs';
import { MlflowRun } from '../../databricks/mlflow/types';
import { MetricNode } from '../../views/mlflow/nodes';
import { FerryCommand } from '../types';
import { MlflowCommandContext, runOf } from './context';
import { withCancellableProgress } from '../../editor/progress';

/** Most histories read at once. */
export const HISTORY_CONCURRENCY = 4;

export async function pickMetric(runs: MlflowRun[], title: string): Promise<string> {
  const counts = new Map<string, number>();
  for (const r of runs) for (const m of r.metrics) counts.set(m.key, (counts.get(m.key) ?? 0) + 1);
  if (!counts.size) throw new FerryError('invalidInput', runs.length === 1 ? `${runs[0].name} logged no metrics.` : 'None of these runs logged a metric.');
  const keys = [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a.localeCompare(b));
  if (keys.length === 1) return keys[0];
  const pick = await ui.pick(
    keys.map((k) => ({ label: k, description: runs.length > 1 ? `${counts.get(k)} of ${runs.length} runs` : undefined })),
    { title, placeHolder: 'Metric to chart' },
  );
  if (!pick) throw new CancelledError();
  return pick.label;
}

export async function readSeries(
  ctx: MlflowCommandContext,
  runs: MlflowRun[],
  key: string,
  signal: AbortSignal,
  report: (m: string) => void,
): Promise<MetricSeries[]> {
  const mlflow = await ctx.mlflow();
  const out: MetricSeries[] = new Array(runs.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < runs.length) {
      const i = next++;
      out[i] = { run: runs[i], key, history: runs[i].metrics.some((m) => m.key === key) ? await mlflow.metricHistory(runs[i].id, key, signal) : [] };
      report(`${++done} of ${runs.length} runs`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(HISTORY_CONCURRENCY, runs.length) }, worker));
  return out;
}

export function showMetricChartCommand(ctx: MlflowCommandContext): FerryCommand {
  return {
    id: 'ferry.mlflow.showMetricChart',
    run: async (arg?: unknown) => {
      const runNode = runOf(ctx, arg);
      const key = arg instanceof MetricNode ? arg.metric.key : await pickMetric([runNode.run], `Chart a metric of ${runNode.run.name}`);
      const series = await withCancellableProgress({ title: `Reading ${key} of ${runNode.run.name}…` }, (signal, progress) =>
        readSeries(ctx, [runNode.run], key, signal, (message) => progress.report({ message })),
      );
      ctx.presenter.show({ source: 'mlflow:chart', title: `${key} of ${runNode.run.name}`, outputs: [metricChartOutput(series)], facts: metricFacts(series) });
    },
  };
}
