// ferry.databricks.cancelRun: cancels a job run.
import { RunNode } from '../../views/databricks/jobsTree';
import { FerryCommand } from '../types';
import { DatabricksCommandDeps } from './shared';

export function cancelRunCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.cancelRun',
    run: async (arg?: unknown) => {
      const runId = arg instanceof RunNode ? arg.run.run_id : typeof arg === 'number' ? arg : undefined;
      if (runId === undefined) return;
      const conn = await deps.connection.current();
      await conn.jobs.cancelRun(runId);
      if (arg instanceof RunNode && arg.run.job_id !== undefined) deps.jobsTree.refreshJob(arg.run.job_id);
      else deps.jobsTree.refresh();
    },
  };
}
