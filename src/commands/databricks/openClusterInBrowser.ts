// ferry.databricks.openClusterInBrowser: the cluster's configuration page in the workspace UI.
import * as vscode from 'vscode';
import { FerryCommand } from '../types';
import { DatabricksCommandDeps, pickCluster } from './shared';

export function openClusterInBrowserCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.openClusterInBrowser',
    run: async (arg?: unknown) => {
      const cluster = await pickCluster(deps, arg, 'Cluster to open');
      if (!cluster) return;
      const host = (await deps.connection.current()).host;
      await vscode.env.openExternal(vscode.Uri.parse(`${host}/#setting/clusters/${encodeURIComponent(cluster.cluster_id)}/configuration`));
    },
  };
}
