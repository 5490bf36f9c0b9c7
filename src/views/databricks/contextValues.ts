// The contextValue vocabulary of the Databricks views, declared once. package.json's menus match
// on these (`viewItem =~ /^ferry:cluster:(running|resizing)/`), so a menu only offers what the
// item's state allows.
import { ClusterState } from '../../databricks/clusters';
import { RunStatus } from '../../databricks/jobs';
import type { WarehouseState } from '../../databricks/sql/warehouses';

export const CV = {
  clusterPrefix: 'ferry:cluster:',
  warehousePrefix: 'ferry:warehouse:',
  job: 'ferry:job',
  jobScheduled: 'ferry:job:scheduled',
  jobPaused: 'ferry:job:paused',
  runPrefix: 'ferry:run:',
  schedule: 'ferry:job:schedule',
} as const;

/** `ferry:cluster:running`, plus `:default` when it is the folder's default cluster. */
export function clusterContext(state: ClusterState | undefined, isDefault: boolean): string {
  return `${CV.clusterPrefix}${(state ?? 'unknown').toLowerCase()}${isDefault ? ':default' : ''}`;
}

/** `ferry:run:running` (cancellable) or `ferry:run:succeeded` and so on. */
export function runContext(status: RunStatus): string {
  return `${CV.runPrefix}${status}`;
}

/** `ferry:job`, `ferry:job:scheduled` (can pause) or `ferry:job:paused` (can resume). */
export function jobContext(pauseStatus: 'PAUSED' | 'UNPAUSED' | undefined): string {
  if (pauseStatus === 'PAUSED') return CV.jobPaused;
  if (pauseStatus === 'UNPAUSED') return CV.jobScheduled;
  return CV.job;
}

/** `ferry:warehouse:running`, plus `:current` when SQL files run on it. */
export function warehouseContext(state: WarehouseState | undefined, isCurrent: boolean): string {
  return `${CV.warehousePrefix}${(state ?? 'unknown').toLowerCase()}${isCurrent ? ':current' : ''}`;
}
