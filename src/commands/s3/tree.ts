// ferry.s3.refresh and ferry.s3.loadMore: the tree's own commands.
import { LoadMoreNode, S3TreeNode } from '../../views/s3/nodes';
import { FerryCommand } from '../types';
import { S3CommandContext } from './context';

export function refreshCommand(ctx: S3CommandContext): FerryCommand {
  return { id: 'ferry.s3.refresh', run: (arg?: unknown) => ctx.tree.refresh(arg && typeof arg === 'object' && 'bucket' in arg ? (arg as S3TreeNode) : undefined) };
}

export function loadMoreCommand(ctx: S3CommandContext): FerryCommand {
  return {
    id: 'ferry.s3.loadMore',
    run: async (arg?: unknown) => {
      if (arg instanceof LoadMoreNode) await ctx.tree.loadMore(arg);
    },
  };
}
