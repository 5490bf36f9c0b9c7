// ferry.s3.goTo: "Go to s3://bucket/prefix…" reveals (and selects) that place in the tree.
import * as vscode from 'vscode';
import { parseS3Uri } from '../../aws/s3/keys';
import { FerryError } from '../../core/errors';
import { FerryCommand } from '../types';
import { S3CommandContext } from './context';
import { ui } from '../../editor/messages';

export function goToCommand(ctx: S3CommandContext): FerryCommand {
  return {
    id: 'ferry.s3.goTo',
    run: async (arg?: unknown) => {
      const text =
        typeof arg === 'string'
          ? arg
          : await vscode.window.showInputBox({
              title: 'Go to S3 location',
              prompt: 's3://bucket/prefix/',
              value: 's3://',
              validateInput: (v) => (parseS3Uri(v) ? undefined : 'Enter s3://bucket/key'),
            });
      if (!text) return;
      const loc = parseS3Uri(text);
      if (!loc) throw new FerryError('invalidInput', `Not an S3 location: ${text}`);
      const node = await ctx.tree.findNode(loc.bucket, loc.key);
      if (!node) throw new FerryError('notFound', `Nothing found at ${text}`);
      await vscode.commands.executeCommand('ferry.s3.focus'); // the view's own focus command (VS Code's, not in the table)
      await ctx.view?.reveal(node, { select: true, focus: true, expand: true });
      if (node.key !== loc.key) void ui.warn(`s3://${loc.bucket}/${loc.key} was not found; showing s3://${node.bucket}/${node.key}.`);
    },
  };
}
