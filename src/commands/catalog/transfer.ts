// What the volume transfer commands share: uploads that ask before overwriting, and the progress
// notification with Cancel that every transfer shows.
import * as vscode from 'vscode';
import { ui } from '../../editor/messages';
import { count } from '../../core/text';
import { planVolumeUpload, uploadToVolume, VolumeUploadResult } from '../../databricks/volumeTransfer';
import { FolderNode } from '../../views/catalog/nodes';
import { reportTransfer, withTransferProgress } from '../s3/context';
import { CatalogCommandContext } from './context';

/** Files (and folders) at once on a volume: enough to fill a link, few enough for the service. */
export const VOLUME_CONCURRENCY = 4;

/**
 * Uploads local files and folders into a volume folder. Files that exist there are not
 * overwritten unless the user says so when asked; nothing is sent twice without that.
 */
export async function uploadIntoFolder(ctx: CatalogCommandContext, folder: FolderNode, local: vscode.Uri[]): Promise<void> {
  const items = planVolumeUpload(
    local.map((u) => u.fsPath),
    folder.volumePath,
  );
  if (!items.length) {
    void ui.info('Nothing to upload: the folders are empty.');
    return;
  }
  const files = await ctx.files();
  const run = (title: string, list: typeof items, overwrite: boolean): Thenable<VolumeUploadResult> =>
    withTransferProgress(title, (signal, onProgress) => uploadToVolume(files, list, { concurrency: VOLUME_CONCURRENCY, overwrite, signal, onProgress }));
  const first = await run(`Uploading ${count(items.length, 'file')} to ${folder.volumePath}`, items, false);
  ctx.tree.refreshFolder(folder);
  let result: VolumeUploadResult = first;
  if (!first.cancelled && first.conflicts.length) {
    const names = first.conflicts.slice(0, 3).map((c) => c.remotePath.slice(folder.volumePath.length + 1));
    const more = first.conflicts.length > 3 ? `, and ${count(first.conflicts.length - 3, 'more file')}` : '';
    const choice = await ui.warn(
      `${count(first.conflicts.length, 'file')} already ${first.conflicts.length === 1 ? 'exists' : 'exist'} in ${folder.volumePath}: ${names.join(', ')}${more}. Overwrite ${first.conflicts.length === 1 ? 'it' : 'them'}?`,
      { modal: true },
      'Overwrite',
    );
    if (choice === 'Overwrite') {
      const second = await run(`Overwriting ${count(first.conflicts.length, 'file')} in ${folder.volumePath}`, first.conflicts, true);
      ctx.tree.refreshFolder(folder);
      result = {
        ...second,
        done: [...first.done, ...second.done],
        failed: [...first.failed, ...second.failed],
        refused: [...first.refused, ...second.refused],
      };
    } else {
      result = { ...first, refused: [...first.refused, ...first.conflicts.map((c) => ({ name: c.remotePath, reason: 'already exists (kept)' }))] };
    }
  }
  await reportTransfer(ctx, 'Upload', result, 'nothing partial was left on the volume');
}
