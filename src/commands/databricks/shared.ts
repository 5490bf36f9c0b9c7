// What the Databricks commands share, built once by src/wiring/databricks.ts: their dependencies,
// the cluster and job pickers, run-parameter parsing, and the helpers that show results.
// Each command lives in its own module in this folder.
import * as vscode from 'vscode';
import { Logger } from '../../core/logger';
import { clusterActions, ClusterDetails } from '../../databricks/clusters';
import { ClusterAction, ClustersModel } from '../../databricks/clustersModel';
import { normalizeHost } from '../../databricks/client';
import { ConnectionManager } from '../../databricks/connection';
import { DatabricksError } from '../../databricks/errors';
import { Job, RunNowParams } from '../../databricks/jobs';
import { SettingsService } from '../../editor/settings';
import { ResultHandle, ResultOutput, ResultPresenter, ResultRequest } from '../../results/model';
import { ClusterNode } from '../../views/databricks/clustersTree';
import { DefaultClusterService } from '../../views/databricks/defaultCluster';
import { JobNode, JobsTreeProvider, ScheduleNode } from '../../views/databricks/jobsTree';
import { stateWord } from '../../views/databricks/clusterPresentation';
import { ui } from '../../editor/messages';
import { runFerryCommand } from '../../editor/commandArgs';

export interface DatabricksCommandDeps {
  connection: ConnectionManager;
  clustersModel: ClustersModel;
  defaults: DefaultClusterService;
  jobsTree: JobsTreeProvider;
  presenter: ResultPresenter;
  settings: SettingsService;
  logger: Logger;
}

// ---- sign in ----

/** Why a typed workspace URL cannot be used, or undefined when it can. */
function hostProblem(value: string): string | undefined {
  if (!value.trim()) return 'Enter the workspace URL, for example https://adb-1234567890.12.azuredatabricks.net';
  try {
    normalizeHost(value);
    return undefined;
  } catch (err) {
    return err instanceof DatabricksError ? err.serverMessage : String(err);
  }
}

/** The workspace URL to sign in to: the argument, or asked for, prefilled with the current workspace. */
export async function askWorkspaceUrl(deps: DatabricksCommandDeps, arg: unknown, title: string, prompt: string): Promise<string | undefined> {
  if (typeof arg === 'string' && arg) return arg;
  let current: string | undefined;
  try {
    current = (await deps.connection.current()).host;
  } catch {
    current = process.env.DATABRICKS_HOST;
  }
  return vscode.window.showInputBox({
    title,
    prompt,
    placeHolder: 'https://<workspace>.cloud.databricks.com',
    value: current,
    ignoreFocusOut: true,
    validateInput: hostProblem,
  });
}

// ---- clusters ----

/** A cluster from a tree node, a cluster id argument, or a quick pick. */
export async function pickCluster(
  deps: DatabricksCommandDeps,
  arg: unknown,
  placeHolder: string,
  filter: (c: ClusterDetails) => boolean = () => true,
): Promise<ClusterDetails | undefined> {
  if (arg instanceof ClusterNode) return arg.cluster;
  if (typeof arg === 'string' && arg) {
    const conn = await deps.connection.current();
    return deps.clustersModel.find(arg) ?? (await conn.clusters.get(arg));
  }
  if (deps.clustersModel.clusters === undefined) await deps.clustersModel.refresh();
  if (deps.clustersModel.error !== undefined) throw deps.clustersModel.error;
  const clusters = (deps.clustersModel.clusters ?? []).filter(filter);
  if (clusters.length === 0) {
    void ui.info('No cluster in this workspace fits.');
    return undefined;
  }
  const picked = await ui.pick(
    clusters.map((c) => ({ label: c.cluster_name ?? c.cluster_id, description: stateWord(c.state), detail: c.cluster_id, cluster: c })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.cluster;
}

/**
 * Start, stop (terminate) or restart a cluster picked from `arg` (only clusters in a state that
 * allows the action are offered); the model then polls until the transition settles.
 * `confirm` runs after the pick and before the request; returning false abandons the action.
 */
export async function actOnCluster(
  deps: DatabricksCommandDeps,
  arg: unknown,
  action: ClusterAction,
  progressVerb: string,
  confirm?: (cluster: ClusterDetails) => Thenable<boolean>,
): Promise<void> {
  const cluster = await pickCluster(deps, arg, `Cluster to ${action}`, (c) => clusterActions(c.state)[action]);
  if (!cluster) return;
  if (confirm && !(await confirm(cluster))) return;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `${progressVerb} ${cluster.cluster_name ?? cluster.cluster_id}` }, () =>
    deps.clustersModel.act(cluster.cluster_id, action),
  );
}

// ---- jobs ----

/** A job from a job or schedule node, a job id argument, or a quick pick. */
export async function jobFrom(deps: DatabricksCommandDeps, arg: unknown): Promise<Job | undefined> {
  if (arg instanceof JobNode) return arg.job;
  if (arg instanceof ScheduleNode) return arg.job.job;
  const conn = await deps.connection.current();
  if (typeof arg === 'number') return conn.jobs.getJob(arg);
  const page = await conn.jobs.listJobs(undefined, 100);
  const picked = await ui.pick(
    page.items.map((j) => ({ label: j.settings?.name ?? `Job ${j.job_id}`, description: String(j.job_id), job: j })),
    { placeHolder: 'Job' },
  );
  return picked?.job;
}

/** Splits `a "b c" d` into ['a', 'b c', 'd']; a JSON array is taken as is. */
export function parseParameters(text: string): string[] {
  const t = text.trim();
  if (!t) return [];
  if (t.startsWith('[')) {
    const parsed = JSON.parse(t) as unknown;
    if (!Array.isArray(parsed)) throw new Error('Expected a JSON array of strings');
    return parsed.map((v) => String(v));
  }
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of t.matchAll(re)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]));
  return out;
}

/** Runs a job now and offers to show the run's output; resolves to the run id. */
export async function startRun(deps: DatabricksCommandDeps, job: Job, params: RunNowParams): Promise<number> {
  const conn = await deps.connection.current();
  const res = await conn.jobs.runNow(job.job_id, params);
  deps.jobsTree.refreshJob(job.job_id);
  const name = job.settings?.name ?? `Job ${job.job_id}`;
  void ui.info(`Started run ${res.number_in_job ?? res.run_id} of ${name}.`, 'Show Output').then((choice) => {
    if (choice) void runFerryCommand('ferry.databricks.showRunOutput', res.run_id);
  });
  return res.run_id;
}

/** Pauses or resumes a job's schedule and refreshes the job's node (or the whole tree). */
export async function setPaused(deps: DatabricksCommandDeps, arg: unknown, paused: boolean): Promise<void> {
  const node = arg instanceof JobNode ? arg : arg instanceof ScheduleNode ? arg.job : undefined;
  const conn = await deps.connection.current();
  const job = node ? await conn.jobs.getJob(node.job.job_id) : await jobFrom(deps, arg);
  if (!job) return;
  await conn.jobs.setPaused(job, paused);
  const fresh = await conn.jobs.getJob(job.job_id);
  if (node) {
    node.job = fresh;
    deps.jobsTree.changed(node);
  } else deps.jobsTree.refresh();
}

// ---- showing results ----

/** Shows outputs in the result viewer; if the viewer is not available, in a plain text document. */
export async function showResults(deps: DatabricksCommandDeps, request: ResultRequest): Promise<ResultHandle | undefined> {
  try {
    const handle = deps.presenter.show(request);
    return handle;
  } catch (err) {
    deps.logger.warn('The result viewer is not available; showing the output as text', err);
    const text = [`# ${request.title}`, ...(request.facts ?? []).map((f) => `${f.label}: ${f.value}`), '', ...request.outputs.map(outputText)].join('\n');
    const doc = await vscode.workspace.openTextDocument({ content: text, language: 'log' });
    await vscode.window.showTextDocument(doc, { preview: false });
    return undefined;
  }
}

export function outputText(o: ResultOutput): string {
  switch (o.kind) {
    case 'text':
      return o.text;
    case 'error':
      return `${o.summary}\n${o.traceback}`;
    case 'image':
      return '[image]';
    case 'table':
      return `${o.columns.map((c) => c.name).join('\t')}\n${Array.isArray(o.rows) ? o.rows.map((r) => r.join('\t')).join('\n') : '[rows]'}`;
  }
}

/** Opens a JSON document (read-only content: an untitled document the user may save). */
export async function showJson(value: unknown): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ content: JSON.stringify(value, null, 2), language: 'json' });
  await vscode.window.showTextDocument(doc, { preview: false });
}
