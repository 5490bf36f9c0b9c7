// ferry.s3.copyPresignedUrl: put a presigned HTTPS URL of an object on the clipboard.
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';
import { FerryCommand } from '../types';
import { requireNode, S3CommandContext } from './context';

export function copyPresignedUrlCommand(ctx: S3CommandContext): FerryCommand {
  return {
    id: 'ferry.s3.copyPresignedUrl',
    run: async (arg?: unknown) => {
      const node = requireNode(ctx, arg, 'an object');
      if (!node.key || node.key.endsWith('/')) throw new FerryError('invalidInput', 'Presigned URLs are for objects, not folders.');
      const expiry = ctx.settings.get('s3.presignExpirySeconds');
      const url = await ctx.s3.presignGet(node.bucket, node.key, expiry);
      await vscode.env.clipboard.writeText(url);
      // The URL itself is a credential: never logged.
      vscode.window.setStatusBarMessage(`Copied a presigned URL for ${node.key} (valid ${Math.round(expiry / 60)} min)`, 4000);
    },
  };
}
