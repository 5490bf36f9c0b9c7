// ferry.databricks.selectDefaultCluster: the status bar's picker for the default compute
// (Serverless or a cluster), with Start for a stopped default cluster.
import * as vscode from 'vscode';
import { clusterActions } from '../../databricks/clusters';
import { defaultClusterId } from '../../views/databricks/defaultCluster';
import { FerryCommand } from '../types';
import { pickCompute } from './computePicker';
import { DatabricksCommandDeps } from './shared';

/** From the status bar: pick another default (current one marked), or start it. */
export function selectDefaultClusterCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.selectDefaultCluster',
    run: async (arg?: unknown) => {
      // A run that found no default passes its file, so the choice lands on that file's folder.
      const resource = arg instanceof vscode.Uri ? arg : undefined;
      const current = await deps.defaults.tryGet(resource);
      const currentId = defaultClusterId(current);
      const startable = () => {
        const c = currentId ? deps.clustersModel.find(currentId) : undefined;
        return c && clusterActions(c.state).start ? c : undefined;
      };
      await deps.clustersModel.refresh();
      const stopped = startable();
      const picked = await pickCompute(deps, {
        placeHolder: 'Default Databricks compute for this folder',
        current,
        purpose: 'default',
        actions: stopped
          ? [{ label: `$(play) Start ${stopped.cluster_name ?? stopped.cluster_id}`, run: () => deps.clustersModel.act(stopped.cluster_id, 'start') }]
          : [],
      });
      if (!picked) return;
      await deps.defaults.set(picked.kind === 'serverless' ? 'serverless' : picked.cluster, resource);
      return picked.kind === 'serverless' ? 'serverless' : picked.cluster.cluster_id;
    },
  };
}
