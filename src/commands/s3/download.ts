// ferry.s3.download: download an object or a whole prefix into a chosen folder.
import * as vscode from 'vscode';
import path from 'node:path';
import { downloadKeys, ReplaceAnswer } from '../../aws/s3/transfer';
import { ui } from '../../editor/messages';
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
      const targetDir = folder[0].fsPath;
      const result = await withTransferProgress(`Downloading s3://${node.bucket}/${node.key}`, async (signal, onProgress) => {
        const items = (await ctx.s3.keysUnder(node.bucket, node.key, signal)).map((o) => ({ key: o.key, size: o.size ?? 0 }));
        return downloadKeys(ctx.s3, node.bucket, base, items, targetDir, {
          concurrency: ctx.settings.get('s3.transferConcurrency'),
          partSizeBytes: 0,
          signal,
          onProgress,
          confirmReplace: (file) => askReplace(targetDir, file, items.length > 1),
        });
      });
      await reportTransfer(ctx, 'Download', result);
    },
  };
}

/** A download's question for a local file it would replace (dismissing it cancels the download). */
export async function askReplace(targetDir: string, file: string, many: boolean, source = 'the object from S3'): Promise<ReplaceAnswer | undefined> {
  const answers: Record<string, ReplaceAnswer> = {
    Replace: 'replace',
    Skip: 'skip',
    ...(many ? { 'Replace All': 'replaceAll' as const, 'Skip All': 'skipAll' as const } : {}),
  };
  const picked = await ui.warn(
    `${path.relative(targetDir, file)} already exists in ${path.basename(targetDir) || targetDir}. Replace it with ${source}?`,
    { modal: true, detail: 'Cancel stops the download; files already downloaded stay.' },
    ...Object.keys(answers),
  );
  return picked === undefined ? undefined : answers[picked];
}
