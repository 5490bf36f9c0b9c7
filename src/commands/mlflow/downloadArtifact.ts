// ferry.mlflow.downloadArtifact (split from artifacts.ts: one command per module).
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';
import { downloadArtifacts } from '../../databricks/mlflow/artifactTransfer';
import { askReplace } from '../s3/download';
import { isArtifactItem } from '../../views/mlflow/nodes';
import { reportTransfer, withTransferProgress } from '../s3/context';
import { FerryCommand } from '../types';
import { MlflowCommandContext, picked } from './context';

export function downloadArtifactCommand(ctx: MlflowCommandContext): FerryCommand {
  return {
    id: 'ferry.mlflow.downloadArtifact',
    run: async (arg?: unknown, target?: unknown) => {
      const node = picked(ctx, arg);
      if (!isArtifactItem(node)) throw new FerryError('invalidInput', 'Choose an artifact file or folder of a run in the Experiments view.');
      const dir =
        target instanceof vscode.Uri
          ? [target]
          : await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Download Here' });
      if (!dir?.length) return;
      const mlflow = await ctx.mlflow();
      const entry = node.entry;
      const what = entry.path || `the artifacts of ${node.runNode.run.name}`;
      const result = await withTransferProgress(`Downloading ${what}`, (signal, onProgress) =>
        downloadArtifacts(mlflow, ctx.agents(), node.runNode.run.id, entry, dir[0].fsPath, {
          concurrency: 4,
          signal,
          onProgress,
          confirmReplace: (file) => askReplace(dir[0].fsPath, file, entry.isDir, 'the artifact from MLflow'),
        }),
      );
      await reportTransfer(ctx, 'Download', result, 'no partial files were left');
    },
  };
}
