// ferry.databricks.showRunOutput: a run's output in the result viewer, following a run still going.
import * as vscode from 'vscode';
import { sleep } from '../../core/retry';
import { isRunActive, Run } from '../../databricks/jobs';
import { runFacts, runOutputsToResults } from '../../databricks/runOutput';
import { RunNode } from '../../views/databricks/jobsTree';
import { FerryCommand } from '../types';
import { DatabricksCommandDeps, showResults } from './shared';

/** Shows a run's output in the result viewer; a run still going is followed until it ends. */
export function showRunOutputCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.showRunOutput',
    run: async (arg?: unknown) => {
      const runId = arg instanceof RunNode ? arg.run.run_id : typeof arg === 'number' ? arg : undefined;
      if (runId === undefined) return;
      const conn = await deps.connection.current();
      let run: Run = await conn.jobs.getRun(runId);
      const jobName = arg instanceof RunNode ? arg.job.name : run.run_name;
      const title = `${jobName ?? 'Run'} · run ${run.number_in_job ?? run.run_id}`;
      if (!isRunActive(run.state)) {
        const outputs = runOutputsToResults(await conn.jobs.runOutputs(run));
        const handle = await showResults(deps, { source: 'databricks:run', title, facts: runFacts(run, jobName), outputs });
        handle?.finish(runFinish(run));
        return runId;
      }
      const handle = await showResults(deps, {
        source: 'databricks:run',
        title,
        facts: runFacts(run, jobName),
        outputs: [],
        onCancel: () => void conn.jobs.cancelRun(runId).catch((err) => deps.logger.warn(`Cancelling run ${runId} failed`, err)),
      });
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Waiting for run ${runId}` }, async () => {
        let delay = 1000;
        while (isRunActive(run.state)) {
          await sleep(delay);
          delay = Math.min(10_000, Math.round(delay * 1.5));
          run = await conn.jobs.getRun(runId);
        }
      });
      const outputs = runOutputsToResults(await conn.jobs.runOutputs(run));
      if (handle) {
        handle.setFacts(runFacts(run, jobName));
        for (const o of outputs) handle.append(o);
        handle.finish(runFinish(run));
      } else {
        await showResults(deps, { source: 'databricks:run', title, facts: runFacts(run, jobName), outputs });
      }
      if (run.job_id !== undefined) deps.jobsTree.refreshJob(run.job_id);
      return runId;
    },
  };
}

function runFinish(run: Run): 'succeeded' | 'failed' | 'cancelled' {
  const r = run.state?.result_state;
  if (r === 'SUCCESS' || r === 'SUCCESS_WITH_FAILURES') return 'succeeded';
  if (r === 'CANCELED') return 'cancelled';
  return 'failed';
}
