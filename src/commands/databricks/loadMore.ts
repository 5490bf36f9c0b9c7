// ferry.databricks.loadMore: the "Load more…" node at the end of a paged list in the Databricks views.
import { LoadMoreNode } from '../../views/shared/nodes';
import { FerryCommand } from '../types';

export function loadMoreCommand(): FerryCommand {
  return {
    id: 'ferry.databricks.loadMore',
    run: async (node?: unknown) => {
      if (node instanceof LoadMoreNode) await node.run();
    },
  };
}
