// ferry.s3.loadMore (split from tree.ts: one command per module).
import { LoadMoreNode } from '../../views/shared/nodes';
import { FerryCommand } from '../types';
import { S3CommandContext } from './context';

export function loadMoreCommand(_ctx: S3CommandContext): FerryCommand {
  return {
    id: 'ferry.s3.loadMore',
    run: async (arg?: unknown) => {
      if (arg instanceof LoadMoreNode) await arg.run();
    },
  };
}
