// ferry.databricks.setDefaultCluster: the cluster that Run on Cluster uses for a workspace folder
// (or 'serverless': jobs then run on serverless compute; interactive runs need a cluster).
import * as vscode from 'vscode';
import { FerryCommand } from '../types';
import { DatabricksCommandDeps, pickCluster } from './shared';

export function setDefaultClusterCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.setDefaultCluster',
    run: async (arg?: unknown, folder?: unknown) => {
      if (arg === 'serverless') {
        await deps.defaults.set('serverless', folder instanceof vscode.Uri ? folder : undefined);
        return 'serverless';
      }
      const cluster = await pickCluster(deps, arg, 'Default cluster for this folder');
      if (!cluster) return;
      await deps.defaults.set(cluster, folder instanceof vscode.Uri ? folder : undefined);
      return cluster.cluster_id;
    },
  };
}
