// ferry.s3.filter: list only the keys under what the user typed, on a bucket or folder.
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';
import { ContainerNode } from '../../views/s3/nodes';
import { FerryCommand } from '../types';
import { S3CommandContext, targetNode } from './context';

/** The bucket or folder a filter applies to (the node itself, or an object's folder). */
export function container(ctx: S3CommandContext, arg: unknown): ContainerNode {
  const node = targetNode(ctx, arg);
  const c = node instanceof ContainerNode ? node : node?.parent;
  if (!(c instanceof ContainerNode)) throw new FerryError('invalidInput', 'Select a bucket or folder in the S3 view to filter.');
  return c;
}

export function filterCommand(ctx: S3CommandContext): FerryCommand {
  return {
    id: 'ferry.s3.filter',
    run: async (arg?: unknown, text?: unknown) => {
      const c = container(ctx, arg);
      const value =
        typeof text === 'string'
          ? text
          : await vscode.window.showInputBox({
              title: `Filter s3://${c.bucket}/${c.key}`,
              prompt: 'Show only keys starting with',
              value: c.filter,
              placeHolder: 'e.g. 2024-05/ or part-',
            });
      if (value === undefined) return;
      c.filter = value;
      c.reset();
      ctx.tree.fire(c);
      await ctx.view?.reveal(c, { expand: true }).then(undefined, () => undefined);
    },
  };
}
