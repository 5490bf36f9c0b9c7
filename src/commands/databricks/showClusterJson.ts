// ferry.databricks.showClusterJson: the cluster's full description as a JSON document.
import { FerryCommand } from '../types';
import { DatabricksCommandDeps, pickCluster, showJson } from './shared';

export function showClusterJsonCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.showClusterJson',
    run: async (arg?: unknown) => {
      const cluster = await pickCluster(deps, arg, 'Cluster to show');
      if (!cluster) return;
      const conn = await deps.connection.current();
      await showJson(await conn.clusters.get(cluster.cluster_id));
    },
  };
}
