// ferry.databricks.refreshClusters: re-reads the connection and the cluster list.
import { FerryCommand } from '../types';
import { DatabricksCommandDeps } from './shared';

export function refreshClustersCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.refreshClusters',
    run: async () => {
      deps.connection.invalidate();
      await deps.clustersModel.refresh();
    },
  };
}
