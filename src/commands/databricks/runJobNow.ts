// ferry.databricks.runJobNow: starts a run of a job with its saved parameters.
import { FerryCommand } from '../types';
import { DatabricksCommandDeps, jobFrom, startRun } from './shared';

export function runJobNowCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.runJobNow',
    run: async (arg?: unknown) => {
      const job = await jobFrom(deps, arg);
      if (!job) return;
      return startRun(deps, job, {});
    },
  };
}
