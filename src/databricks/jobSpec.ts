// The task that runs one workspace file, on a cluster or on serverless, in the shapes the Jobs API
// wants (docs/reference/services-2026.md §2): a plain Python file is a spark_python_task (its
// path keeps the extension); a notebook is a notebook_task (path without extension, source
// WORKSPACE). On serverless a Python-file task names an environment (environment_key) that the
// job or one-time run declares in `environments` with an environment_version (not the deprecated
// `client`) and the dependencies; a serverless notebook task carries no compute field at all.
import type { JobTask } from './jobs';

export type JobCompute =
  { kind: 'cluster'; clusterId: string; clusterName?: string } | { kind: 'serverless'; environmentVersion?: string; dependencies?: string[] };

export type JobSource =
  /** `path`: the workspace path of the file (driver form /Workspace/... or API form). */
  | { kind: 'python'; path: string; parameters?: string[] }
  /** `path`: the workspace path of the NOTEBOOK object as the Workspace API names it (/Users/…, no extension). */
  | { kind: 'notebook'; path: string; baseParameters?: Record<string, string> };

export interface EnvironmentSpec {
  environment_version?: string;
  base_environment?: string;
  /** Deprecated for environment_version; never sent by Ferry. */
  client?: string;
  dependencies?: string[];
  java_dependencies?: string[];
}

export interface JobEnvironment {
  environment_key: string;
  spec: EnvironmentSpec;
}

/** The environment key Ferry's serverless tasks use. */
export const FERRY_ENVIRONMENT_KEY = 'ferry_environment';
/** The serverless environment version Ferry asks for when the setting is empty (CLI templates use "4"). */
export const DEFAULT_ENVIRONMENT_VERSION = '4';

/** A task (and the environments it refers to) that runs `source` on `compute`. */
export function fileTask(taskKey: string, source: JobSource, compute: JobCompute): { task: JobTask; environments?: JobEnvironment[] } {
  const task: JobTask = { task_key: taskKey };
  if (source.kind === 'python') task.spark_python_task = { python_file: source.path, parameters: source.parameters ?? [] };
  else task.notebook_task = { notebook_path: source.path, source: 'WORKSPACE', ...(source.baseParameters ? { base_parameters: source.baseParameters } : {}) };
  if (compute.kind === 'cluster') {
    task.existing_cluster_id = compute.clusterId;
    return { task };
  }
  // Serverless: the environment spec is for non-notebook tasks; a notebook gets its own environment.
  if (source.kind === 'notebook') return { task };
  task.environment_key = FERRY_ENVIRONMENT_KEY;
  const spec: EnvironmentSpec = { environment_version: compute.environmentVersion?.trim() || DEFAULT_ENVIRONMENT_VERSION };
  if (compute.dependencies?.length) spec.dependencies = [...compute.dependencies];
  return { task, environments: [{ environment_key: FERRY_ENVIRONMENT_KEY, spec }] };
}

/** Where a task, job or run computes, as one short phrase for views and result facts. */
export type ComputeKind = { kind: 'serverless' } | { kind: 'cluster'; clusterIds: string[] } | { kind: 'jobCluster' };

/** The compute of a list of tasks (job settings or run tasks): serverless when none names a cluster. */
export function computeOfTasks(tasks: Array<Record<string, unknown>> | undefined, runClusterId?: string): ComputeKind | undefined {
  if (!tasks?.length) return runClusterId ? { kind: 'cluster', clusterIds: [runClusterId] } : undefined;
  const ids = new Set<string>();
  let jobCluster = false;
  for (const t of tasks) {
    const id = t.existing_cluster_id ?? (t.cluster_instance as { cluster_id?: string } | undefined)?.cluster_id;
    if (typeof id === 'string' && id) ids.add(id);
    else if (t.new_cluster !== undefined || t.job_cluster_key !== undefined) jobCluster = true;
  }
  if (ids.size) return { kind: 'cluster', clusterIds: [...ids] };
  return jobCluster ? { kind: 'jobCluster' } : { kind: 'serverless' };
}

export function computeLabel(c: ComputeKind | undefined, clusterName?: (id: string) => string | undefined): string | undefined {
  if (!c) return undefined;
  if (c.kind === 'serverless') return 'Serverless';
  if (c.kind === 'jobCluster') return 'Job cluster';
  return c.clusterIds.map((id) => clusterName?.(id) ?? id).join(', ');
}
