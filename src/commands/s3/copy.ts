// ferry.s3.copyUri: put an s3:// URI on the clipboard (a presigned URL: copyPresignedUrl.ts).
import * as vscode from 'vscode';
import { formatS3Uri } from '../../aws/s3/keys';
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
