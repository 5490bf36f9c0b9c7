// ferry.catalog.download: a volume file, or a folder with everything in it, into a local folder.
import * as vscode from 'vscode';
import { downloadFromVolume } from '../../databricks/volumeTransfer';
import { reportTransfer, withTransferProgress } from '../s3/context';
import { askReplace } from '../s3/download';
import { FerryCommand } from '../types';
import { CatalogCommandContext, volumeItemOf } from './context';
import { VOLUME_CONCURRENCY } from './transfer';

export function downloadCommand(ctx: CatalogCommandContext): FerryCommand {
  return {
    id: 'ferry.catalog.download',
    run: async (arg?: unknown, target?: unknown) => {
      const item = volumeItemOf(ctx, arg, 'a file or folder');
      const dir =
        target instanceof vscode.Uri
          ? [target]
          : await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Download Here' });
      if (!dir?.length) return;
      const files = await ctx.files();
      const result = await withTransferProgress(`Downloading ${item.volumePath}`, (signal, onProgress) =>
        downloadFromVolume(files, { path: item.volumePath, isDirectory: item.isDirectory, size: item.size }, dir[0].fsPath, {
          concurrency: VOLUME_CONCURRENCY,
          signal,
          onProgress,
          // An existing local file is replaced only when the user says so, as an S3 download asks.
          confirmReplace: (file) => askReplace(dir[0].fsPath, file, item.isDirectory, 'the file from the volume'),
        }),
      );
      await reportTransfer(ctx, 'Download', result, 'no partial files were left');
    },
  };
}
