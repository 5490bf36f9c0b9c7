// ferry.databricks.showJobSchedule: shows a job's schedule and offers to pause or resume it.
import { JobNode, ScheduleNode } from '../../views/databricks/jobsTree';
import { FerryCommand } from '../types';
import { DatabricksCommandDeps, jobFrom, setPaused } from './shared';
import { ui } from '../../editor/messages';

export function showScheduleCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.showJobSchedule',
    run: async (arg?: unknown) => {
      const job = await jobFrom(deps, arg);
      if (!job) return;
      const s = job.settings?.schedule;
      const name = job.settings?.name ?? `Job ${job.job_id}`;
      if (!s) {
        void ui.info(`${name} has no schedule; it runs only when started.`);
        return;
      }
      const paused = s.pause_status === 'PAUSED';
      const choice = await ui.info(
        `${name}: cron "${s.quartz_cron_expression}" in ${s.timezone_id}, ${paused ? 'paused' : 'active'}.`,
        paused ? 'Resume' : 'Pause',
      );
      if (choice) await setPaused(deps, arg instanceof JobNode || arg instanceof ScheduleNode ? arg : job.job_id, !paused);
    },
  };
}
