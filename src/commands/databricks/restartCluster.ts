// ferry.databricks.restartCluster: restarts a running cluster; the model polls until it is running again.
import { FerryCommand } from '../types';
import { actOnCluster, DatabricksCommandDeps } from './shared';

export function restartClusterCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.restartCluster',
    run: (arg?: unknown) => actOnCluster(deps, arg, 'restart', 'Restarting'),
  };
}
