// ferry.s3.openAsText: an object in a read-only text editor, whatever its format.
import * as vscode from 'vscode';
import { s3Uri } from '../../views/s3/s3FileSystemProvider';
import { FerryCommand } from '../types';
import { requireNode, S3CommandContext } from './context';

export function openAsTextCommand(ctx: S3CommandContext): FerryCommand {
  return {
    id: 'ferry.s3.openAsText',
    run: async (arg?: unknown) => {
      const node = requireNode(ctx, arg, 'an object');
      await vscode.window.showTextDocument(s3Uri(node.bucket, node.key), { preview: true });
    },
  };
}
