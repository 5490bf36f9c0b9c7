// What every Databricks route family gets: the stand-in's URL, data folder, user, timings, the
// Python for contexts and runs, and the models more than one family shares (clusters, workspace
// files, DBFS, Unity Catalog for its tables and the Files API's volumes). Route families (./api/*.ts) import this module, never standIn.ts.
import fs from 'node:fs';
import path from 'node:path';
import { ClusterRegistry, ClusterTimings, DEFAULT_CLUSTER_TIMINGS } from './clusters';
import { Dbfs, Workspace } from './storage';
import type { UnityCatalog } from './unityCatalog';
import { DEFAULT_WAREHOUSE_TIMINGS, FAST_WAREHOUSE_TIMINGS, WarehouseTimings } from './warehouses';

export const SANDBOX_DATABRICKS_USER = 'sandbox@ferry.dev';
export const SANDBOX_WORKSPACE_ID = '900800700600';

export interface DatabricksTimings extends ClusterTimings {
  /** How long a new execution context stays Pending at least. */
  contextPendingMs: number;
  /** How long a job run stays PENDING before its process starts. */
  runPendingMs: number;
  /** How long after SIGINT a cancelled command's process is killed and replaced. */
  cancelGraceMs: number;
  /** How long after a cluster reaches RUNNING contexts/create still answers ClusterNotReadyException. */
  contextNotReadyMs: number;
  /** SQL warehouse start and stop. */
  warehouse: WarehouseTimings;
}

export const DEFAULT_TIMINGS: DatabricksTimings = {
  ...DEFAULT_CLUSTER_TIMINGS,
  contextPendingMs: 0,
  runPendingMs: 500,
  cancelGraceMs: 3000,
  contextNotReadyMs: 1500,
  warehouse: DEFAULT_WAREHOUSE_TIMINGS,
};
/** Timings that keep integration tests quick. */
export const FAST_TIMINGS: DatabricksTimings = {
  startMs: 200,
  restartMs: 200,
  terminateMs: 200,
  contextPendingMs: 0,
  runPendingMs: 50,
  cancelGraceMs: 3000,
  contextNotReadyMs: 300,
  warehouse: FAST_WAREHOUSE_TIMINGS,
};

export interface StandInContext {
  url: string;
  dataDir: string;
  userName: string;
  timings: DatabricksTimings;
  python?: string;
  /** Extra environment for the cluster's Python processes (e.g. the sandbox's S3 endpoint and keys). */
  pythonEnv?: Record<string, string>;
  clusters: ClusterRegistry;
  workspace: Workspace;
  dbfs: Dbfs;
  unityCatalog: UnityCatalog;
}

/** Where the stand-in's Python driver files live, from src or from out/. */
export function pythonDir(): string {
  const here = path.join(__dirname, 'python');
  if (fs.existsSync(path.join(here, 'driver.py'))) return here;
  return path.resolve(__dirname, '../../..', 'sandbox/databricks/python');
}
