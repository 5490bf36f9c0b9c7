// ferry.mlflow.filterRuns: an experiment's runs filtered with MLflow's syntax (metrics.auc > 0.8 and
// params.model = 'rf'), checked as it is typed so a mistake gets a message that says what to write;
// the filter stays on the experiment until it is cleared (clearFilter.ts).
import * as vscode from 'vscode';
import { CancelledError } from '../../core/errors';
import { checkRunFilter } from '../../databricks/mlflow/filter';
import { FerryCommand } from '../types';
import { experimentOf, MlflowCommandContext } from './context';

export function filterRunsCommand(ctx: MlflowCommandContext): FerryCommand {
  return {
    id: 'ferry.mlflow.filterRuns',
    run: async (arg?: unknown) => {
      const exp = experimentOf(ctx, arg);
      const text = await vscode.window.showInputBox({
        title: `Filter the runs of ${exp.experiment.name}`,
        value: exp.filter,
        placeHolder: "metrics.auc > 0.8 and params.model = 'rf'",
        prompt:
          "MLflow's filter: comparisons joined by AND, on metrics.<name> (numbers), params.<name>, tags.<name> (quoted text) or attributes.status / start_time / run_name. Empty shows every run.",
        ignoreFocusOut: true,
        validateInput: (v) => {
          const check = checkRunFilter(v);
          return check.ok ? undefined : { message: check.message, severity: vscode.InputBoxValidationSeverity.Error };
        },
      });
      if (text === undefined) throw new CancelledError();
      exp.setFilter(text);
      ctx.tree.changed(exp);
      if (ctx.view) await ctx.view.reveal(exp, { expand: true, select: true, focus: false });
    },
  };
}
