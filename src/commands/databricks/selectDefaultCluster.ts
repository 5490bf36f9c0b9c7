// ferry.databricks.selectDefaultCluster: the status bar's picker for the default cluster.
import * as vscode from 'vscode';
import { clusterActions, ClusterDetails } from '../../databricks/clusters';
import { stateWord } from '../../views/databricks/clusterPresentation';
import { FerryCommand } from '../types';
import { DatabricksCommandDeps } from './shared';
import { ui } from '../../editor/messages';

/** From the status bar: pick another default cluster (current one marked), or start/refresh it. */
export function selectDefaultClusterCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.selectDefaultCluster',
    run: async () => {
      await deps.clustersModel.refresh();
      if (deps.clustersModel.error !== undefined) throw deps.clustersModel.error;
      const current = await deps.defaults.tryGet();
      const clusters = deps.clustersModel.clusters ?? [];
      type Item = vscode.QuickPickItem & { cluster?: ClusterDetails; action?: () => Promise<void> };
      const items: Item[] = clusters.map((c) => ({
        label: `${c.cluster_id === current?.clusterId ? '$(check) ' : ''}${c.cluster_name ?? c.cluster_id}`,
        description: stateWord(c.state),
        detail: c.cluster_id,
        cluster: c,
      }));
      const currentCluster = current && deps.clustersModel.find(current.clusterId);
      if (currentCluster && clusterActions(currentCluster.state).start) {
        items.unshift({ label: `$(play) Start ${currentCluster.cluster_name ?? currentCluster.cluster_id}`, action: () => deps.clustersModel.act(currentCluster.cluster_id, 'start') });
      }
      const picked = await ui.pick(items, { placeHolder: 'Default Databricks cluster for this folder', matchOnDetail: true });
      if (picked?.action) await picked.action();
      else if (picked?.cluster) await deps.defaults.set(picked.cluster);
    },
  };
}
