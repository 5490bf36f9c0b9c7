// ferry.s3.upload: upload local files and folders (Explorer context menu, view title, drag and drop)
// to a bucket or prefix.
import * as vscode from 'vscode';
import { parseS3Uri } from '../../aws/s3/keys';
import { planUpload, uploadFiles } from '../../aws/s3/transfer';
import { FerryCommand } from '../types';
import { reportTransfer, S3CommandContext, targetNode, withTransferProgress } from './context';
import { count } from '../../core/text';
import { ui } from '../../editor/messages';

async function pickTarget(ctx: S3CommandContext): Promise<{ bucket: string; key: string } | undefined> {
  const selected = targetNode(ctx, undefined);
  const suggestion = selected?.bucket
    ? `s3://${selected.bucket}/${selected.key.endsWith('/') || !selected.key ? selected.key : selected.key.replace(/[^/]*$/, '')}`
    : 's3://';
  const text = await vscode.window.showInputBox({
    title: 'Upload to S3',
    prompt: 'Destination bucket and prefix',
    value: suggestion,
    validateInput: (v) => (parseS3Uri(v) ? undefined : 'Enter s3://bucket/prefix/'),
  });
  if (!text) return undefined;
  const loc = parseS3Uri(text)!;
  return { bucket: loc.bucket, key: loc.key && !loc.key.endsWith('/') ? `${loc.key}/` : loc.key };
}

export async function uploadTo(ctx: S3CommandContext, target: { bucket: string; key: string }, files: vscode.Uri[]): Promise<void> {
  const prefix = target.key && !target.key.endsWith('/') ? target.key.replace(/[^/]*$/, '') : target.key;
  const items = planUpload(
    files.map((f) => f.fsPath),
    prefix,
  );
  if (!items.length) {
    void ui.info('Nothing to upload: the folders are empty.');
    return;
  }
  // The PII guard: data files whose first rows hold personal data are named before they go.
  if (
    !(await ctx.piiWarning.confirm(
      items.map((i) => i.localPath),
      { verb: 'Upload', destination: `s3://${target.bucket}/${prefix}` },
    ))
  )
    return;
  const s = ctx.settings.value;
  const result = await withTransferProgress(`Uploading ${count(items.length, 'file')} to s3://${target.bucket}/${prefix}`, (signal, onProgress) =>
    uploadFiles(ctx.s3, target.bucket, items, {
      concurrency: s['s3.transferConcurrency'],
      partSizeBytes: s['s3.partSizeMB'] * 1024 * 1024,
      signal,
      onProgress,
    }),
  );
  ctx.tree.refresh();
  await reportTransfer(ctx, 'Upload', result);
}

export function uploadCommand(ctx: S3CommandContext): FerryCommand {
  return {
    id: 'ferry.s3.upload',
    run: async (arg?: unknown, all?: unknown) => {
      // From the Explorer: (uri, uris[]); from the S3 view: (node).
      let files: vscode.Uri[] | undefined;
      let target: { bucket: string; key: string } | undefined;
      if (arg instanceof vscode.Uri) files = Array.isArray(all) && all.every((u) => u instanceof vscode.Uri) ? (all as vscode.Uri[]) : [arg];
      else if (arg && typeof arg === 'object') {
        // Only a node passed in (context menu, inline button) fixes the target; from the palette
        // or the view title, ask, suggesting the selection.
        const node = targetNode(ctx, arg);
        if (node?.bucket) target = { bucket: node.bucket, key: node.key };
      }
      if (!files) {
        files = await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectFolders: true, canSelectMany: true, openLabel: 'Upload' });
        if (!files?.length) return;
      }
      target ??= await pickTarget(ctx);
      if (!target) return;
      await uploadTo(ctx, target, files);
    },
  };
}
