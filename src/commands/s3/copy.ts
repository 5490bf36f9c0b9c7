// ferry.s3.copyUri and ferry.s3.copyPresignedUrl: put an s3:// URI or a presigned HTTPS URL on the clipboard.
import * as vscode from 'vscode';
import { formatS3Uri } from '../../aws/s3/keys';
import { FerryError } from '../../core/errors';
import { FerryCommand } from '../types';
import { requireNode, S3CommandContext } from './context';

export function copyUriCommand(ctx: S3CommandContext): FerryCommand {
  return {
    id: 'ferry.s3.copyUri',
    run: async (arg?: unknown) => {
      const node = requireNode(ctx, arg, 'a bucket, folder or object');
      const uri = formatS3Uri(node.bucket, node.key);
      await vscode.env.clipboard.writeText(uri);
      vscode.window.setStatusBarMessage(`Copied ${uri}`, 3000);
    },
  };
}

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
