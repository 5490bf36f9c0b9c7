// ferry.mlflow.loadMore: the "Load more…" node at the end of a paged list in the Experiments view.
import { LoadMoreNode } from '../../views/shared/nodes';
import { FerryCommand } from '../types';

export function loadMoreCommand(): FerryCommand {
  return {
    id: 'ferry.mlflow.loadMore',
    run: async (node?: unknown) => {
      if (node instanceof LoadMoreNode) await node.run();
    },
  };
}
