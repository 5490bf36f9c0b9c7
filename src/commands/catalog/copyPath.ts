// ferry.catalog.copyPath: a volume file's or folder's /Volumes/… path, as Spark, SQL and the CLI take it.
import * as vscode from 'vscode';
import { FerryCommand } from '../types';
import { CatalogCommandContext, volumeItemOf } from './context';

export function copyPathCommand(ctx: CatalogCommandContext): FerryCommand {
  return {
    id: 'ferry.catalog.copyPath',
    run: async (arg?: unknown) => {
      const item = volumeItemOf(ctx, arg, 'a file or folder');
      await vscode.env.clipboard.writeText(item.volumePath);
      vscode.window.setStatusBarMessage(`Copied ${item.volumePath}`, 3000);
      return item.volumePath;
    },
  };
}
