// ferry.athena.loadMore (split from treeActions.ts: one command per module).
import { DatabaseNode } from '../../views/athena/nodes';
import { LoadMoreNode } from '../../views/shared/nodes';
import type { FerryCommand } from '../types';
import { AthenaCommandContext } from './context';

export function loadMoreCommand(ctx: AthenaCommandContext): FerryCommand {
  return {
    id: 'ferry.athena.loadMore',
    run: async (node?: unknown) => {
      if (node instanceof LoadMoreNode) await node.run();
      else if (node instanceof DatabaseNode) {
        await node.tables.loadMore();
        ctx.tree.changed(node);
      }
    },
  };
}
