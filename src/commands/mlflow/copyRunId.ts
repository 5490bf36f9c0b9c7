// ferry.mlflow.copyRunId (split from runs.ts: one command per module).
import * as vscode from 'vscode';
import { FerryCommand } from '../types';
import { MlflowCommandContext, runOf } from './context';

export function copyRunIdCommand(ctx: MlflowCommandContext): FerryCommand {
  return {
    id: 'ferry.mlflow.copyRunId',
    run: async (arg?: unknown) => {
      const run = runOf(ctx, arg).run;
      await vscode.env.clipboard.writeText(run.id);
      vscode.window.setStatusBarMessage(`Copied the run id of ${run.name}`, 3000);
    },
  };
}
