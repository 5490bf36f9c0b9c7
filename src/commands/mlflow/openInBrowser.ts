// ferry.mlflow.openInBrowser (split from runs.ts: one command per module).
import * as vscode from 'vscode';
import { FerryCommand } from '../types';
import { experimentOf, MlflowCommandContext, picked, runOf } from './context';

export function openInBrowserCommand(ctx: MlflowCommandContext): FerryCommand {
  return {
    id: 'ferry.mlflow.openInBrowser',
    run: async (arg?: unknown) => {
      const node = picked(ctx, arg);
      const host = (await ctx.mlflow()).transport.host;
      let url: string;
      try {
        const run = runOf(ctx, node);
        url = `${host}/ml/experiments/${encodeURIComponent(run.run.experimentId)}/runs/${encodeURIComponent(run.run.id)}`;
      } catch {
        url = `${host}/ml/experiments/${encodeURIComponent(experimentOf(ctx, node).experiment.id)}`;
      }
      await vscode.env.openExternal(vscode.Uri.parse(url));
    },
  };
}
