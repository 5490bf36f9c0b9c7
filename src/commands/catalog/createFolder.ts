// ferry.catalog.createFolder: a new folder (nested ones with "/") in a volume or a folder on one.
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';
import { joinVolumePath } from '../../databricks/volumeFiles';
import { FerryCommand } from '../types';
import { CatalogCommandContext, folderOf } from './context';

/** Why a typed folder name cannot be used, or undefined. */
export function folderNameProblem(value: string): string | undefined {
  const segs = value.split('/').filter((s) => s !== '');
  if (!segs.length) return 'Enter a folder name';
  if (segs.some((s) => s === '.' || s === '..')) return 'Enter a name without "." or ".." segments';
  if (/[\\\0]/.test(value)) return 'Enter a name without backslashes';
  return undefined;
}

export function createFolderCommand(ctx: CatalogCommandContext): FerryCommand {
  return {
    id: 'ferry.catalog.createFolder',
    run: async (arg?: unknown, given?: unknown) => {
      const folder = folderOf(ctx, arg);
      const name =
        typeof given === 'string'
          ? given
          : await vscode.window.showInputBox({
              title: `New folder in ${folder.volumePath}`,
              prompt: 'Folder name (use / for nested folders)',
              validateInput: folderNameProblem,
            });
      if (!name) return;
      const problem = folderNameProblem(name);
      if (problem) throw new FerryError('invalidInput', problem);
      const target = joinVolumePath(folder.volumePath, name.split('/').filter(Boolean).join('/'));
      await (await ctx.files()).createDirectory(target);
      ctx.tree.refreshFolder(folder);
      return target;
    },
  };
}
