// ferry.databricks.showClusterEvents: the cluster's latest 100 events as a table in the result viewer.
import { FerryCommand } from '../types';
import { DatabricksCommandDeps, pickCluster, showResults } from './shared';

export function showClusterEventsCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.showClusterEvents',
    run: async (arg?: unknown) => {
      const cluster = await pickCluster(deps, arg, 'Cluster whose events to show');
      if (!cluster) return;
      const conn = await deps.connection.current();
      const events = await conn.clusters.events(cluster.cluster_id, 100);
      await showResults(deps, {
        source: 'databricks:clusterEvents',
        title: `Events of ${cluster.cluster_name ?? cluster.cluster_id}`,
        facts: [
          { label: 'Cluster', value: cluster.cluster_name ?? cluster.cluster_id },
          { label: 'Events', value: String(events.length) },
        ],
        outputs: [
          {
            kind: 'table',
            columns: [
              { name: 'time', type: 'timestamp' },
              { name: 'type', type: 'string' },
              { name: 'details', type: 'json' },
            ],
            rows: events.map((e) => [e.timestamp ? new Date(e.timestamp).toISOString() : null, e.type ?? null, e.details ? JSON.stringify(e.details) : null]),
          },
        ],
      });
    },
  };
}
