// ferry.mlflow.compareRuns (split from charts.ts: one command per module).
import { FerryError } from '../../core/errors';
import { comparisonTable, metricChartOutput, metricFacts } from '../../databricks/mlflow/outputs';
import { RunNode } from '../../views/mlflow/nodes';
import { FerryCommand } from '../types';
import { MlflowCommandContext, runsOf } from './context';
import { withCancellableProgress } from '../../editor/progress';
import { pickMetric, readSeries } from './charts';

export function compareRunsCommand(ctx: MlflowCommandContext): FerryCommand {
  return {
    id: 'ferry.mlflow.compareRuns',
    run: async (arg?: unknown, all?: unknown) => {
      const nodes: RunNode[] = runsOf(ctx, arg, all);
      if (nodes.length < 2)
        throw new FerryError('invalidInput', 'Select two or more runs to compare (Ctrl+click or Shift+click them in the Experiments view).');
      const runs = nodes.map((n) => n.run);
      const key = await pickMetric(runs, `Compare ${runs.length} runs`);
      const series = await withCancellableProgress({ title: `Reading ${key} of ${runs.length} runs…` }, (signal, progress) =>
        readSeries(ctx, runs, key, signal, (message) => progress.report({ message })),
      );
      ctx.presenter.show({
        source: 'mlflow:compare',
        title: `${key} across ${runs.length} runs`,
        outputs: [metricChartOutput(series), comparisonTable(runs)],
        facts: metricFacts(series),
      });
    },
  };
}
