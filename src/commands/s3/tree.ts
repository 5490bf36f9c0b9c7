// ferry.s3.refresh (Load more: loadMore.ts).
import { isS3Item } from '../../views/s3/nodes';
import { FerryCommand } from '../types';
import { S3CommandContext } from './context';

export function refreshCommand(ctx: S3CommandContext): FerryCommand {
  return { id: 'ferry.s3.refresh', run: (arg?: unknown) => ctx.tree.refresh(isS3Item(arg) ? arg : undefined) };
}
