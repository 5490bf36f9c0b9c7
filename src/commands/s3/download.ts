// ferry.s3.download: download an object or a whole prefix into a chosen folder.
import * as vscode from 'vscode';
import { downloadKeys } from '../../aws/s3/transfer';
import { FerryCommand } from '../types';
import { reportTransfer, requireNode, S3CommandContext, withTransferProgress } from './context';

export function downloadCommand(ctx: S3CommandContext): FerryCommand {
  return {
    id: 'ferry.s3.download',
    run: async (arg?: unknown) => {
      const node = requireNode(ctx, arg, 'an object or folder');
      const folder = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Download Here' });
      if (!folder?.length) return;
      const isPrefix = !node.key || node.key.endsWith('/');
      // For a single object, keep only its name; for a prefix, the keys below it keep their folders.
      const base = isPrefix ? node.key : node.key.replace(/[^/]*$/, '');
      const result = await withTransferProgress(`Downloading s3://${node.bucket}/${node.key}`, async (signal, onProgress) => {
        const items = (await ctx.s3.keysUnder(node.bucket, node.key, signal)).map((o) => ({ key: o.key, size: o.size ?? 0 }));
        return downloadKeys(ctx.s3, node.bucket, base, items, folder[0].fsPath, { concurrency: ctx.settings.get('s3.transferConcurrency'), partSizeBytes: 0, signal, onProgress });
      });
      await reportTransfer(ctx, 'Download', result);
    },
  };
}
