// ferry.databricks.pauseJobSchedule: pauses a job's schedule.
import { FerryCommand } from '../types';
import { DatabricksCommandDeps, setPaused } from './shared';

export function pauseScheduleCommand(deps: DatabricksCommandDeps): FerryCommand {
  return { id: 'ferry.databricks.pauseJobSchedule', run: (arg?: unknown) => setPaused(deps, arg, true) };
}
