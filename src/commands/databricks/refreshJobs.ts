// ferry.databricks.refreshJobs: reloads the Jobs view.
import { FerryCommand } from '../types';
import { DatabricksCommandDeps } from './shared';

export function refreshJobsCommand(deps: DatabricksCommandDeps): FerryCommand {
  return { id: 'ferry.databricks.refreshJobs', run: () => deps.jobsTree.refresh() };
}
