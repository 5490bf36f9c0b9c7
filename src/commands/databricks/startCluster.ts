// ferry.databricks.startCluster: starts a terminated cluster; the model polls until it is running.
import { FerryCommand } from '../types';
import { actOnCluster, DatabricksCommandDeps } from './shared';

export function startClusterCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.startCluster',
    run: (arg?: unknown) => actOnCluster(deps, arg, 'start', 'Starting'),
  };
}
