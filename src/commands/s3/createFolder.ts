// ferry.s3.createFolder: create an empty "name/" marker under a bucket or prefix.
import * as vscode from 'vscode';
import { ContainerNode } from '../../views/s3/nodes';
import { FerryCommand } from '../types';
import { requireNode, S3CommandContext } from './context';

export function createFolderCommand(ctx: S3CommandContext): FerryCommand {
  return {
    id: 'ferry.s3.createFolder',
    run: async (arg?: unknown) => {
      const node = requireNode(ctx, arg, 'a bucket or folder');
      const parent = node instanceof ContainerNode ? node : node.parent;
      const base = parent?.key ?? '';
      const name = await vscode.window.showInputBox({
        title: `New folder in s3://${node.bucket}/${base}`,
        prompt: 'Folder name (use / for nested folders)',
        validateInput: (v) => (!v.trim() || v.split('/').some((s) => s === '..') ? 'Enter a name without ".."' : undefined),
      });
      if (!name) return;
      await ctx.s3.createFolder(node.bucket, base + name.replace(/^\/+/, '').replace(/\/*$/, '/'));
      ctx.tree.refresh(parent);
    },
  };
}
