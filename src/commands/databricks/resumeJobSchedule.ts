// ferry.databricks.resumeJobSchedule: resumes a job's paused schedule.
import { FerryCommand } from '../types';
import { DatabricksCommandDeps, setPaused } from './shared';

export function resumeScheduleCommand(deps: DatabricksCommandDeps): FerryCommand {
  return { id: 'ferry.databricks.resumeJobSchedule', run: (arg?: unknown) => setPaused(deps, arg, false) };
}
