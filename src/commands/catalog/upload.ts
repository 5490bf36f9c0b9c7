// ferry.catalog.uploadFiles: local files into a volume or a folder on one (folders: uploadFolder.ts;
// two commands, because Windows and Linux file dialogs pick files or folders, not both).
import * as vscode from 'vscode';
import { FerryCommand } from '../types';
import { CatalogCommandContext, folderOf } from './context';
import { uploadIntoFolder } from './transfer';

/** What both upload commands do: ask for local files (or folders) unless handed them, then upload. */
export function uploadChosen(ctx: CatalogCommandContext, folders: boolean): FerryCommand['run'] {
  return async (arg?: unknown, local?: unknown) => {
    const folder = folderOf(ctx, arg);
    // Tests and other commands may hand the local paths in; a user picks them.
    const chosen =
      Array.isArray(local) && local.every((u) => u instanceof vscode.Uri)
        ? (local as vscode.Uri[])
        : await vscode.window.showOpenDialog({
            canSelectFiles: !folders,
            canSelectFolders: folders,
            canSelectMany: true,
            openLabel: `Upload to ${folder.volumePath}`,
            title: folders ? 'Upload folders to a volume' : 'Upload files to a volume',
          });
    if (!chosen?.length) return;
    await uploadIntoFolder(ctx, folder, chosen);
  };
}

export function uploadFilesCommand(ctx: CatalogCommandContext): FerryCommand {
  return { id: 'ferry.catalog.uploadFiles', run: uploadChosen(ctx, false) };
}
