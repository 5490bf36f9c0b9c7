// ferry.databricks.stopCluster: terminates a cluster after a modal confirmation; the model polls until it settles.
import { FerryCommand } from '../types';
import { actOnCluster, DatabricksCommandDeps } from './shared';
import { ui } from '../../editor/messages';

export function stopClusterCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.stopCluster',
    run: (arg?: unknown) =>
      actOnCluster(deps, arg, 'stop', 'Terminating', async (cluster) => {
        const ok = await ui.warn(
          `Terminate cluster ${cluster.cluster_name ?? cluster.cluster_id}? Running commands and notebooks on it stop.`,
          { modal: true },
          'Terminate',
        );
        return ok === 'Terminate';
      }),
  };
}
