// ferry.catalog.delete: a volume file, or a folder with everything in it, after a confirmation
// that says how many files go.
import { ui } from '../../editor/messages';
import { FerryError } from '../../core/errors';
import { count } from '../../core/text';
import { deleteFromVolume, planVolumeDelete } from '../../databricks/volumeTransfer';
import { FolderNode, VolumeNode } from '../../views/catalog/nodes';
import { reportTransfer, withTransferProgress } from '../s3/context';
import { FerryCommand } from '../types';
import { CatalogCommandContext, volumeItemOf } from './context';
import { VOLUME_CONCURRENCY } from './transfer';

export function deleteCommand(ctx: CatalogCommandContext): FerryCommand {
  return {
    id: 'ferry.catalog.delete',
    run: async (arg?: unknown, confirmed?: unknown) => {
      const item = volumeItemOf(ctx, arg, 'a file or folder');
      if (item instanceof VolumeNode)
        throw new FerryError('invalidInput', `${item.volumePath} is a volume; Ferry deletes files and folders on it, not the volume itself.`);
      const files = await ctx.files();
      const plan = await planVolumeDelete(files, { path: item.volumePath, isDirectory: item.isDirectory });
      const what = item.isDirectory
        ? `${item.volumePath} and everything in it (${count(plan.files.length, 'file')}, ${count(plan.directories.length - 1, 'folder')})`
        : item.volumePath;
      if (confirmed !== true) {
        const choice = await ui.warn(`Delete ${what}? This cannot be undone.`, { modal: true }, 'Delete');
        if (choice !== 'Delete') return;
      }
      const result = await withTransferProgress(`Deleting ${item.volumePath}`, (signal, onProgress) =>
        deleteFromVolume(files, plan, { concurrency: VOLUME_CONCURRENCY, signal, onProgress }),
      );
      const parent = item.parent instanceof FolderNode ? item.parent : undefined;
      if (parent) ctx.tree.refreshFolder(parent);
      if (result.failed.length) {
        throw new FerryError(
          'unknown',
          `${count(result.failed.length, 'item')} could not be deleted (first: ${result.failed[0].name}: ${result.failed[0].reason})`,
        );
      }
      await reportTransfer(ctx, 'Delete', result, 'what was deleted so far is gone');
    },
  };
}
