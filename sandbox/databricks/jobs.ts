// Jobs 2.0/2.1/2.2 of the stand-in: job definitions (schedules stored, not fired), runs/submit
// and run-now. A run executes its tasks in order, each in a fresh local Python process:
// spark_python_task runs the python_file (workspace path or dbfs:/) and its stdout/stderr become
// the logs; notebook_task runs a workspace NOTEBOOK cell by cell, reports dbutils.notebook.exit's
// value in notebook_output, and its cells with their results through runs/export.
// Compute (docs/reference/services-2026.md §2): existing_cluster_id, new_cluster,
// job_cluster_key, or serverless. On serverless a Python-file task must name an environment_key
// that the job or one-time run declares in `environments`; a notebook task carries no compute field.
import { ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ClusterRegistry } from './clusters';
import { ApiError, Params, fromPageToken, invalidParam, pageToken } from './http';
import { findPython } from './python';
import { EnvironmentSpec, ServerlessEnvironments } from './serverlessEnv';
import { segments, type Dbfs, type Workspace } from './storage';

type LifeCycle = 'QUEUED' | 'PENDING' | 'RUNNING' | 'TERMINATING' | 'TERMINATED' | 'SKIPPED' | 'INTERNAL_ERROR';
type ResultState = 'SUCCESS' | 'FAILED' | 'TIMEDOUT' | 'CANCELED' | 'UPSTREAM_FAILED' | 'UPSTREAM_CANCELED';

interface RunState {
  life_cycle_state: LifeCycle;
  result_state?: ResultState;
  state_message: string;
  user_cancelled_or_timedout: boolean;
}

interface TaskRun {
  run_id: number;
  task: Record<string, unknown>;
  state: RunState;
  start_time: number;
  setup_start?: number;
  exec_start?: number;
  end_time?: number;
  logs: string;
  logsTruncated?: boolean;
  error?: string;
  error_trace?: string;
  notebookResult?: string;
  /** A notebook task's cells with their results (runs/export). */
  notebookCells?: NotebookCell[];
  notebookName?: string;
  proc?: ChildProcess;
}

interface NotebookCell {
  command: string;
  position: number;
  results: Record<string, unknown> | null;
}

interface Run {
  run_id: number;
  job_id: number;
  number_in_job: number;
  run_name: string;
  run_type: 'JOB_RUN' | 'SUBMIT_RUN';
  start_time: number;
  end_time?: number;
  tasks: TaskRun[];
  state: RunState;
  overriding: Record<string, unknown>;
  timeoutSeconds: number;
  /** The job's or one-time run's `environments`, by environment_key. */
  environments: Map<string, EnvironmentSpec>;
  cancelled?: boolean;
  timedOut?: boolean;
}

interface Job {
  job_id: number;
  created_time: number;
  settings: Record<string, unknown>;
  runCount: number;
}

const COMPUTE_FIELDS = ['existing_cluster_id', 'new_cluster', 'job_cluster_key', 'environment_key'];
/** Tasks that need an environment on serverless (GO SubmitTask: Python script, Python wheel, dbt). */
const NEED_ENVIRONMENT = ['spark_python_task', 'python_wheel_task', 'dbt_task'];
/** "A maximum of 25 tags can be added to the job" (GO jobs/model.go JobSettings.Tags). */
const MAX_TAGS = 25;
const TASK_TYPES = [
  'notebook_task',
  'spark_python_task',
  'spark_jar_task',
  'python_wheel_task',
  'spark_submit_task',
  'sql_task',
  'dbt_task',
  'pipeline_task',
  'run_job_task',
  'condition_task',
  'for_each_task',
];
const SUPPORTED = ['notebook_task', 'spark_python_task'];
const LOG_LIMIT = 5 * 1024 * 1024;
const MULTI_TASK_OUTPUT = 'Retrieving the output of runs with multiple tasks is not supported. Please retrieve the output of each individual task run instead.';

export interface JobsDeps {
  url: string;
  workspaceId: string;
  user: string;
  dataDir: string;
  python?: string;
  pythonEnv?: Record<string, string>;
  runPendingMs: number;
  runnerDir: string;
  clusters: ClusterRegistry;
  workspace: Workspace;
  dbfs: Dbfs;
}

export class Jobs {
  private readonly jobs = new Map<number, Job>();
  private readonly runs = new Map<number, Run>();
  private readonly taskIndex = new Map<number, { run: Run; task: TaskRun }>();
  private readonly idempotency = new Map<string, number>();
  private nextId = 100_000_000_000_000 + crypto.randomInt(0, 200_000_000_000_000);
  private stopped = false;
  private readonly envs: ServerlessEnvironments;

  constructor(private readonly d: JobsDeps) {
    this.envs = new ServerlessEnvironments(path.join(d.dataDir, 'serverless-environments'));
  }

  private id(): number {
    this.nextId += crypto.randomInt(1, 5000);
    return this.nextId;
  }

  private job(p: Params): Job {
    const id = p.num('job_id');
    if (id === undefined) throw invalidParam('Missing required field: job_id');
    const j = this.jobs.get(id);
    if (!j) throw invalidParam(`Job ${id} does not exist.`);
    return j;
  }

  /**
   * Checks the tasks of a job or one-time run. `environments` are the declared ones; `atRun` also
   * checks that the files exist (when a run is started): a python_file must be a workspace FILE
   * (or a DBFS file) and a notebook_path a NOTEBOOK. Whether the real service refuses a missing
   * file at submit or fails the run is [unconfirmed]; the stand-in refuses it, with its own words.
   */
  private validateTasks(tasks: unknown, forJob: boolean, environments: Map<string, EnvironmentSpec>, atRun: boolean): Record<string, unknown>[] {
    if (!Array.isArray(tasks) || tasks.length === 0) {
      if (forJob) return [];
      throw invalidParam('At least one task is required.');
    }
    const keys = new Set<string>();
    return tasks.map((t) => {
      if (typeof t !== 'object' || t === null) throw invalidParam('Each task must be an object.');
      const task = t as Record<string, unknown>;
      const key = task.task_key;
      if (typeof key !== 'string' || !key) throw invalidParam('Task key must be specified for every task.');
      if (keys.has(key)) throw invalidParam(`Task key ${key} is not unique.`);
      keys.add(key);
      const types = TASK_TYPES.filter((k) => task[k] !== undefined);
      if (types.length !== 1) throw invalidParam(`Task ${key} must specify exactly one task type (one of ${TASK_TYPES.join(', ')}).`);
      const type = types[0];
      if (!SUPPORTED.includes(type))
        throw invalidParam(`Task type ${type} is not supported by the Ferry Databricks stand-in (notebook_task, spark_python_task).`);
      const body = task[type] as Record<string, unknown>;
      if (type === 'spark_python_task' && typeof body?.python_file !== 'string') throw invalidParam(`Task ${key}: spark_python_task.python_file is required.`);
      if (type === 'notebook_task' && typeof body?.notebook_path !== 'string') throw invalidParam(`Task ${key}: notebook_task.notebook_path is required.`);
      if (type === 'notebook_task' && body.source !== undefined && body.source !== 'WORKSPACE' && body.source !== 'GIT')
        throw invalidParam(`Task ${key}: notebook_task.source must be WORKSPACE or GIT.`);
      if (type === 'notebook_task' && body.source === 'GIT')
        throw invalidParam(`Task ${key}: notebooks from git_source are not supported by the Ferry Databricks stand-in.`);
      const compute = COMPUTE_FIELDS.filter((k) => task[k] !== undefined);
      if (compute.length > 1) throw invalidParam(`Task ${key} may specify only one of ${COMPUTE_FIELDS.join(', ')} (it has ${compute.join(' and ')}).`);
      const cluster = task.existing_cluster_id;
      if (typeof cluster === 'string' && !this.d.clusters.exists(cluster)) throw invalidParam(`Cluster ${cluster} does not exist`);
      // Serverless: wording [unconfirmed]; the rules are the reference's.
      if (compute.length === 0 && NEED_ENVIRONMENT.includes(type))
        throw invalidParam(
          `Task ${key}: a ${type} on serverless compute needs an environment_key naming one of the job's environments (or a cluster: existing_cluster_id, new_cluster or job_cluster_key).`,
        );
      if (task.environment_key !== undefined) {
        if (!NEED_ENVIRONMENT.includes(type))
          throw invalidParam(
            `Task ${key}: environment_key is for Python script, Python wheel and dbt tasks; a ${type} on serverless carries no compute field.`,
          );
        if (typeof task.environment_key !== 'string' || !environments.has(task.environment_key))
          throw invalidParam(
            `Task ${key}: environment_key ${JSON.stringify(task.environment_key)} does not name an environment of this job (declared: ${[...environments.keys()].join(', ') || 'none'}).`,
          );
      }
      if (atRun) this.checkFile(key, type, body);
      return task;
    });
  }

  /** The file a task runs exists and is of the right kind (see validateTasks). */
  private checkFile(key: string, type: string, body: Record<string, unknown>): void {
    if (type === 'spark_python_task') {
      const file = String(body.python_file);
      const loc = this.locate(file);
      if (!loc.disk) throw invalidParam(`Task ${key}: the Python file ${file} does not exist.`);
      if (loc.notebook) throw invalidParam(`Task ${key}: ${file} is a notebook, not a file; run it with a notebook_task.`);
    } else if (type === 'notebook_task') {
      const nb = String(body.notebook_path);
      if (!nb.startsWith('/')) throw invalidParam(`Task ${key}: notebook_task.notebook_path must be an absolute workspace path for source WORKSPACE.`);
      const loc = this.locate(nb);
      if (!loc.disk)
        throw invalidParam(
          `Task ${key}: Unable to access the notebook "${nb}". Either it does not exist, or the identity used to run this job lacks the required permissions.`,
        );
      if (!loc.notebook) throw invalidParam(`Task ${key}: ${nb} is a file, not a notebook; run it with a spark_python_task.`);
    }
  }

  /** `environments: [{environment_key, spec}]` (GO JobEnvironment, compute.Environment). */
  private environments(value: unknown): Map<string, EnvironmentSpec> {
    const out = new Map<string, EnvironmentSpec>();
    if (value === undefined) return out;
    if (!Array.isArray(value)) throw invalidParam('environments must be an array of {environment_key, spec}.');
    for (const e of value) {
      const env = e as { environment_key?: unknown; spec?: unknown };
      if (!env || typeof env !== 'object' || typeof env.environment_key !== 'string' || !env.environment_key)
        throw invalidParam('Each environment needs an environment_key.');
      if (out.has(env.environment_key)) throw invalidParam(`environment_key ${env.environment_key} is not unique.`);
      const spec = env.spec as Record<string, unknown> | undefined;
      if (!spec || typeof spec !== 'object') throw invalidParam(`Environment ${env.environment_key} needs a spec.`);
      const version = spec.environment_version;
      if (version !== undefined && (typeof version !== 'string' || !/^\d+$/.test(version)))
        throw invalidParam(
          `Environment ${env.environment_key}: environment_version must be a string holding an integer (such as "4"), got ${JSON.stringify(version)}.`,
        );
      if (version !== undefined && spec.base_environment !== undefined)
        throw invalidParam(`Environment ${env.environment_key}: set either environment_version or base_environment, not both.`);
      // `client` is deprecated for environment_version but still accepted (VSC sends client "1").
      if (version === undefined && spec.base_environment === undefined && spec.client === undefined)
        throw invalidParam(`Environment ${env.environment_key}: the spec needs an environment_version (or a base_environment).`);
      for (const f of ['dependencies', 'java_dependencies']) {
        const list = spec[f];
        if (list !== undefined && (!Array.isArray(list) || list.some((d) => typeof d !== 'string' || !d.trim())))
          throw invalidParam(`Environment ${env.environment_key}: ${f} must be a list of requirement strings.`);
      }
      out.set(env.environment_key, spec as EnvironmentSpec);
    }
    return out;
  }

  private validateSettings(s: Record<string, unknown>): void {
    const sched = s.schedule as Record<string, unknown> | undefined;
    if (sched !== undefined) {
      if (typeof sched !== 'object' || sched === null || typeof sched.quartz_cron_expression !== 'string' || typeof sched.timezone_id !== 'string') {
        throw invalidParam('schedule requires quartz_cron_expression and timezone_id.');
      }
      if (sched.quartz_cron_expression.trim().split(/\s+/).length < 6) throw invalidParam(`Invalid quartz_cron_expression: ${sched.quartz_cron_expression}`);
      if (sched.pause_status !== undefined && sched.pause_status !== 'PAUSED' && sched.pause_status !== 'UNPAUSED')
        throw invalidParam(`Invalid pause_status: ${String(sched.pause_status)}`);
      sched.pause_status = sched.pause_status ?? 'UNPAUSED';
    }
    const tags = s.tags;
    if (tags !== undefined) {
      if (!tags || typeof tags !== 'object' || Array.isArray(tags) || Object.values(tags).some((v) => typeof v !== 'string'))
        throw invalidParam('tags must be a map of strings.');
      if (Object.keys(tags).length > MAX_TAGS) throw invalidParam(`A job can have at most ${MAX_TAGS} tags (it has ${Object.keys(tags).length}).`);
    }
    this.validateTasks(s.tasks, true, this.environments(s.environments), false);
  }

  private jobView(j: Job, expand: boolean): Record<string, unknown> {
    const { tasks, job_clusters, ...rest } = j.settings;
    const settings = expand ? j.settings : rest;
    void tasks;
    void job_clusters;
    return { job_id: j.job_id, creator_user_name: this.d.user, run_as_user_name: this.d.user, run_as_owner: true, created_time: j.created_time, settings };
  }

  create(p: Params): Record<string, unknown> {
    const settings: Record<string, unknown> = {
      name: 'Untitled',
      email_notifications: {},
      timeout_seconds: 0,
      max_concurrent_runs: 1,
      format: 'MULTI_TASK',
      ...p.body,
    };
    this.validateSettings(settings);
    const j: Job = { job_id: this.id(), created_time: Date.now(), settings, runCount: 0 };
    this.jobs.set(j.job_id, j);
    return { job_id: j.job_id };
  }

  get(p: Params): Record<string, unknown> {
    return this.jobView(this.job(p), true);
  }

  list(p: Params): Record<string, unknown> {
    const limit = p.num('limit') ?? 20;
    if (limit < 1 || limit > 100) throw invalidParam(`The limit must be between 1 and 100, got ${limit}.`);
    const name = p.str('name')?.toLowerCase();
    const all = [...this.jobs.values()].filter((j) => name === undefined || String(j.settings.name).toLowerCase() === name).sort((a, b) => a.job_id - b.job_id);
    const offset = p.str('page_token') ? fromPageToken(p.str('page_token')) : (p.num('offset') ?? 0);
    const page = all.slice(offset, offset + limit).map((j) => this.jobView(j, p.bool('expand_tasks') ?? false));
    const out: Record<string, unknown> = { has_more: offset + limit < all.length };
    if (page.length) out.jobs = page;
    if (offset + limit < all.length) out.next_page_token = pageToken(offset + limit);
    if (offset > 0) out.prev_page_token = pageToken(Math.max(0, offset - limit));
    return out;
  }

  reset(p: Params): Record<string, unknown> {
    const j = this.job(p);
    const s = p.obj('new_settings');
    if (!s) throw invalidParam('Missing required field: new_settings');
    const settings = { name: 'Untitled', email_notifications: {}, timeout_seconds: 0, max_concurrent_runs: 1, format: 'MULTI_TASK', ...s };
    this.validateSettings(settings);
    j.settings = settings;
    return {};
  }

  update(p: Params): Record<string, unknown> {
    const j = this.job(p);
    const s = p.obj('new_settings') ?? {};
    const merged: Record<string, unknown> = { ...j.settings };
    for (const [k, v] of Object.entries(s)) {
      if (k === 'tasks' && Array.isArray(v) && Array.isArray(merged.tasks)) {
        const byKey = new Map((merged.tasks as Record<string, unknown>[]).map((t) => [t.task_key, t]));
        for (const t of v as Record<string, unknown>[]) byKey.set(t.task_key, t);
        merged.tasks = [...byKey.values()];
      } else merged[k] = v;
    }
    for (const f of p.arr('fields_to_remove') ?? []) {
      const m = /^tasks\/(.+)$/.exec(String(f));
      if (m && Array.isArray(merged.tasks)) merged.tasks = (merged.tasks as Record<string, unknown>[]).filter((t) => t.task_key !== m[1]);
      else delete merged[String(f)];
    }
    this.validateSettings(merged);
    j.settings = merged;
    return {};
  }

  delete(p: Params): Record<string, unknown> {
    const j = this.job(p);
    this.jobs.delete(j.job_id);
    return {};
  }

  private idempotent(p: Params, make: () => Run): Run {
    const tok = p.str('idempotency_token');
    if (tok !== undefined && tok.length > 64) throw invalidParam('idempotency_token must be at most 64 characters.');
    if (tok) {
      const existing = this.idempotency.get(tok);
      if (existing !== undefined) {
        const run = this.runs.get(existing);
        if (run) return run;
      }
    }
    const run = make();
    if (tok) this.idempotency.set(tok, run.run_id);
    return run;
  }

  runNow(p: Params): Record<string, unknown> {
    const j = this.job(p);
    const run = this.idempotent(p, () => {
      const environments = this.environments(j.settings.environments);
      const tasks = this.validateTasks(j.settings.tasks, false, environments, true);
      j.runCount += 1;
      const overriding: Record<string, unknown> = {};
      for (const k of ['python_params', 'notebook_params', 'job_parameters', 'jar_params']) if (p.body[k] !== undefined) overriding[k] = p.body[k];
      return this.startRun({
        job_id: j.job_id,
        run_type: 'JOB_RUN',
        run_name: String(j.settings.name),
        number: j.runCount,
        tasks,
        overriding,
        timeoutSeconds: Number(j.settings.timeout_seconds ?? 0),
        environments,
      });
    });
    return { run_id: run.run_id, number_in_job: run.number_in_job };
  }

  submit(p: Params): Record<string, unknown> {
    let tasksIn = p.arr('tasks');
    if (!tasksIn) {
      // The 2.0 single-task form: task fields at top level.
      const single: Record<string, unknown> = { task_key: String(p.str('run_name') ?? 'Untitled').replace(/[^A-Za-z0-9_-]/g, '_') };
      for (const k of [...TASK_TYPES, 'existing_cluster_id', 'new_cluster', 'libraries', 'timeout_seconds']) if (p.body[k] !== undefined) single[k] = p.body[k];
      tasksIn = TASK_TYPES.some((k) => single[k] !== undefined) ? [single] : undefined;
    }
    const run = this.idempotent(p, () => {
      const environments = this.environments(p.body.environments);
      const tasks = this.validateTasks(tasksIn, false, environments, true);
      const jobId = this.id();
      return this.startRun({
        job_id: jobId,
        run_type: 'SUBMIT_RUN',
        run_name: p.str('run_name') ?? 'Untitled',
        number: 0,
        tasks,
        overriding: {},
        timeoutSeconds: p.num('timeout_seconds') ?? 0,
        environments,
      });
    });
    return { run_id: run.run_id };
  }

  private startRun(o: {
    job_id: number;
    run_type: Run['run_type'];
    run_name: string;
    number: number;
    tasks: Record<string, unknown>[];
    overriding: Record<string, unknown>;
    timeoutSeconds: number;
    environments: Map<string, EnvironmentSpec>;
  }): Run {
    const now = Date.now();
    const runId = this.id();
    const run: Run = {
      run_id: runId,
      job_id: o.job_id,
      number_in_job: o.run_type === 'SUBMIT_RUN' ? runId : o.number,
      run_name: o.run_name,
      run_type: o.run_type,
      start_time: now,
      tasks: o.tasks.map((t) => ({
        run_id: this.id(),
        task: t,
        state: { life_cycle_state: 'PENDING', state_message: 'Waiting for cluster', user_cancelled_or_timedout: false },
        start_time: now,
        logs: '',
      })),
      state: { life_cycle_state: 'PENDING', state_message: '', user_cancelled_or_timedout: false },
      overriding: o.overriding,
      timeoutSeconds: o.timeoutSeconds,
      environments: o.environments,
    };
    this.runs.set(run.run_id, run);
    for (const t of run.tasks) this.taskIndex.set(t.run_id, { run, task: t });
    void this.execute(run);
    return run;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms).unref());
  }

  private async execute(run: Run): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    if (run.timeoutSeconds > 0) {
      timer = setTimeout(() => {
        run.timedOut = true;
        for (const t of run.tasks) t.proc?.kill('SIGKILL');
      }, run.timeoutSeconds * 1000);
      timer.unref();
    }
    await this.sleep(this.d.runPendingMs);
    const failed = new Set<string>();
    for (const t of run.tasks) {
      const key = String(t.task.task_key);
      const deps = Array.isArray(t.task.depends_on) ? (t.task.depends_on as Array<{ task_key: string }>).map((x) => x.task_key) : [];
      if (run.cancelled || run.timedOut) {
        this.endTask(t, 'TERMINATED', run.timedOut ? 'TIMEDOUT' : 'CANCELED', run.timedOut ? 'Run timed out.' : 'Run cancelled.', true);
        continue;
      }
      if (deps.some((k) => failed.has(k))) {
        this.endTask(t, 'SKIPPED', 'UPSTREAM_FAILED', 'Upstream task failed.', false);
        failed.add(key);
        continue;
      }
      if (run.state.life_cycle_state === 'PENDING') run.state = { life_cycle_state: 'RUNNING', state_message: 'In run', user_cancelled_or_timedout: false };
      await this.runTask(run, t);
      if (t.state.result_state !== 'SUCCESS') failed.add(key);
    }
    if (timer) clearTimeout(timer);
    const results = run.tasks.map((t) => t.state.result_state);
    const result: ResultState = run.timedOut ? 'TIMEDOUT' : run.cancelled ? 'CANCELED' : results.every((r) => r === 'SUCCESS') ? 'SUCCESS' : 'FAILED';
    const internal = run.tasks.some((t) => t.state.life_cycle_state === 'INTERNAL_ERROR');
    run.end_time = Date.now();
    run.state = {
      life_cycle_state: internal && result === 'FAILED' ? 'INTERNAL_ERROR' : 'TERMINATED',
      result_state: result,
      state_message:
        result === 'SUCCESS'
          ? ''
          : result === 'CANCELED'
            ? 'Run cancelled.'
            : result === 'TIMEDOUT'
              ? `Run timed out after ${run.timeoutSeconds} seconds.`
              : internal
                ? (run.tasks.find((t) => t.state.life_cycle_state === 'INTERNAL_ERROR')?.state.state_message ?? '')
                : `Task ${run.tasks.find((t) => t.state.result_state !== 'SUCCESS')?.task.task_key} failed with message: Workload failed, see run output for details.`,
      user_cancelled_or_timedout: result === 'CANCELED' || result === 'TIMEDOUT',
    };
  }

  private endTask(t: TaskRun, lc: LifeCycle, rs: ResultState, msg: string, userCancelled: boolean): void {
    t.end_time = Date.now();
    t.state = { life_cycle_state: lc, result_state: rs, state_message: msg, user_cancelled_or_timedout: userCancelled };
  }

  private async waitCluster(run: Run, t: TaskRun): Promise<string | undefined> {
    const cid = t.task.existing_cluster_id;
    if (typeof cid !== 'string') return undefined;
    t.setup_start = Date.now();
    for (let i = 0; ; i++) {
      if (run.cancelled || run.timedOut || this.stopped) return 'cancelled';
      const s = this.d.clusters.state(cid);
      if (s === undefined) return `Cluster ${cid} does not exist`;
      if (s === 'RUNNING' || s === 'RESIZING') return undefined;
      if (s === 'TERMINATED' || s === 'ERROR') {
        try {
          this.d.clusters.start(new Params(new URLSearchParams(), { cluster_id: cid }));
        } catch {
          // someone else started it
        }
      }
      if (i > 6000) return `Cluster ${cid} did not start`;
      await this.sleep(50);
    }
  }

  private locate(file: string): { disk?: string; notebook?: boolean; problem?: string } {
    try {
      if (file.startsWith('dbfs:/')) {
        const { disk } = this.d.dbfs.disk(file);
        return fs.existsSync(disk) ? { disk } : { problem: `File ${file} does not exist.` };
      }
      if (/^[a-z0-9]+:\//i.test(file)) return { problem: `Only workspace and dbfs:/ files are supported by the Ferry Databricks stand-in, not ${file}.` };
      if (file.startsWith('/Volumes/')) {
        const disk = path.join(this.d.dataDir, 'files', ...segments(file));
        return fs.existsSync(disk) ? { disk } : { problem: `File ${file} does not exist.` };
      }
      const r = this.d.workspace.resolve(file);
      return r ? { disk: r.disk, notebook: r.notebookLanguage !== undefined } : { problem: `File ${file} does not exist.` };
    } catch (e) {
      return { problem: e instanceof Error ? e.message : String(e) };
    }
  }

  /** A dependency that names a file (workspace, /Volumes, dbfs:/) as its file on disk; others stay pip lines. */
  private dependencyOnDisk(dep: string): string | undefined {
    if (dep.startsWith('dbfs:/') || dep.startsWith('/Workspace/') || dep.startsWith('/Volumes/')) {
      const loc = this.locate(dep);
      return loc.disk;
    }
    return undefined;
  }

  private async runTask(run: Run, t: TaskRun): Promise<void> {
    const serverless = !COMPUTE_FIELDS.some((k) => t.task[k] !== undefined);
    t.state = {
      life_cycle_state: 'PENDING',
      state_message: serverless ? 'Waiting for serverless compute' : 'Waiting for cluster',
      user_cancelled_or_timedout: false,
    };
    const clusterProblem = await this.waitCluster(run, t);
    if (clusterProblem === 'cancelled') return this.endTask(t, 'TERMINATED', run.timedOut ? 'TIMEDOUT' : 'CANCELED', 'Run cancelled.', true);
    if (clusterProblem) return this.endTask(t, 'INTERNAL_ERROR', 'FAILED', clusterProblem, false);
    const base = await findPython(this.d.python);
    if (!base.path) return this.endTask(t, 'INTERNAL_ERROR', 'FAILED', base.problem ?? 'No Python', false);
    let python = base.path;
    const envKey = t.task.environment_key;
    if (typeof envKey === 'string') {
      t.setup_start = Date.now();
      const env = await this.envs.prepare(base.path, run.environments.get(envKey) ?? {}, (d) => this.dependencyOnDisk(d));
      if (!env.python) return this.endTask(t, 'INTERNAL_ERROR', 'FAILED', env.problem ?? 'The serverless environment could not be prepared.', false);
      python = env.python;
    }
    if (run.cancelled || run.timedOut) return this.endTask(t, 'TERMINATED', run.timedOut ? 'TIMEDOUT' : 'CANCELED', 'Run cancelled.', true);
    const spt = t.task.spark_python_task as Record<string, unknown> | undefined;
    const nbt = t.task.notebook_task as Record<string, unknown> | undefined;
    const file = String(spt ? spt.python_file : nbt?.notebook_path);
    const loc = this.locate(file);
    if (!loc.disk) return this.endTask(t, 'INTERNAL_ERROR', 'FAILED', loc.problem ?? `File ${file} does not exist.`, false);
    if (nbt && !loc.notebook) return this.endTask(t, 'INTERNAL_ERROR', 'FAILED', `${file} is not a notebook.`, false);
    const cwd = path.join(this.d.dataDir, 'driver');
    fs.mkdirSync(cwd, { recursive: true });
    let args: string[];
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...this.d.pythonEnv,
      MPLBACKEND: 'Agg',
      PYTHONUNBUFFERED: '1',
      PYTHONIOENCODING: 'utf-8',
      DATABRICKS_RUNTIME_VERSION: '14.3',
    };
    const resultFile = path.join(cwd, `notebook-result-${t.run_id}.txt`);
    const cellsFile = path.join(cwd, `notebook-cells-${t.run_id}.json`);
    if (spt) {
      const params = (run.overriding.python_params as unknown[] | undefined) ?? (spt.parameters as unknown[] | undefined) ?? [];
      args = ['-u', loc.disk, ...params.map(String)];
    } else {
      const widgets = { ...((nbt?.base_parameters as Record<string, string>) ?? {}), ...((run.overriding.notebook_params as Record<string, string>) ?? {}) };
      env.FERRY_WIDGETS = JSON.stringify(widgets);
      args = ['-u', path.join(this.d.runnerDir, 'notebook_runner.py'), loc.disk, resultFile, cellsFile];
      t.notebookName = file.split('/').pop();
    }
    t.exec_start = Date.now();
    t.state = { life_cycle_state: 'RUNNING', state_message: 'In run', user_cancelled_or_timedout: false };
    // stdout and stderr share one file, so the logs keep the order the script wrote them in.
    const logFile = path.join(cwd, `run-${t.run_id}.log`);
    const fd = fs.openSync(logFile, 'w');
    const proc = spawn(python, args, { cwd, env, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    t.proc = proc;
    const code = await new Promise<number | null>((resolve) => {
      proc.on('exit', (c) => resolve(c));
      proc.on('error', () => resolve(-1));
    });
    const size = fs.statSync(logFile).size;
    t.logs = readTail(logFile, size, LOG_LIMIT);
    t.logsTruncated = size > LOG_LIMIT;
    fs.rmSync(logFile, { force: true });
    t.proc = undefined;
    if (nbt && fs.existsSync(resultFile)) {
      t.notebookResult = fs.readFileSync(resultFile, 'utf8');
      fs.rmSync(resultFile, { force: true });
    }
    if (nbt && fs.existsSync(cellsFile)) {
      try {
        t.notebookCells = JSON.parse(fs.readFileSync(cellsFile, 'utf8')) as NotebookCell[];
      } catch {
        // A runner killed mid-write leaves no cells to export.
      }
      fs.rmSync(cellsFile, { force: true });
    }
    if (run.cancelled || run.timedOut)
      return this.endTask(t, 'TERMINATED', run.timedOut ? 'TIMEDOUT' : 'CANCELED', run.timedOut ? 'Run timed out.' : 'Run cancelled.', true);
    if (code === 0) return this.endTask(t, 'TERMINATED', 'SUCCESS', '', false);
    const tb = t.logs.lastIndexOf('Traceback (most recent call last):');
    if (tb >= 0) t.error_trace = t.logs.slice(tb);
    t.error = t.logs.trim().split('\n').pop() || `Python process exited with code ${code}`;
    this.endTask(t, 'TERMINATED', 'FAILED', 'Workload failed, see run output for details', false);
  }

  private stateViews(s: RunState): Record<string, unknown> {
    const terminal = ['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR'].includes(s.life_cycle_state);
    const code = !terminal
      ? undefined
      : s.result_state === 'SUCCESS'
        ? 'SUCCESS'
        : s.result_state === 'CANCELED'
          ? 'USER_CANCELED'
          : s.life_cycle_state === 'INTERNAL_ERROR'
            ? 'INTERNAL_ERROR'
            : s.life_cycle_state === 'SKIPPED'
              ? 'SKIPPED'
              : 'RUN_EXECUTION_ERROR';
    const status: Record<string, unknown> = {
      state: s.life_cycle_state === 'INTERNAL_ERROR' || s.life_cycle_state === 'SKIPPED' ? 'TERMINATED' : s.life_cycle_state,
    };
    if (code)
      status.termination_details = {
        code,
        type: code === 'SUCCESS' || code === 'USER_CANCELED' || code === 'SKIPPED' ? 'SUCCESS' : code === 'INTERNAL_ERROR' ? 'INTERNAL_ERROR' : 'CLIENT_ERROR',
        message: s.state_message,
      };
    return { state: { ...s }, status };
  }

  private durations(start: number, setup: number | undefined, exec: number | undefined, end: number | undefined): Record<string, number> {
    const e = end ?? 0;
    return {
      start_time: start,
      end_time: e,
      setup_duration: exec ? exec - start : 0,
      execution_duration: exec && end ? end - exec : 0,
      cleanup_duration: 0,
      run_duration: end ? end - start : 0,
      queue_duration: 0,
      ...(setup ? {} : {}),
    };
  }

  private pageUrl(jobId: number, runId: number): string {
    return `${this.d.url}/?o=${this.d.workspaceId}#job/${jobId}/run/${runId}`;
  }

  private taskView(run: Run, t: TaskRun): Record<string, unknown> {
    const cid = t.task.existing_cluster_id;
    const { task_key, ...spec } = t.task;
    return {
      run_id: t.run_id,
      task_key,
      ...spec,
      ...this.stateViews(t.state),
      ...this.durations(t.start_time, t.setup_start, t.exec_start, t.end_time),
      attempt_number: 0,
      ...(typeof cid === 'string' && t.exec_start
        ? {
            cluster_instance: {
              cluster_id: cid,
              spark_context_id: String(crypto.createHash('md5').update(cid).digest().readBigUInt64BE() % 9_000_000_000_000_000_000n),
            },
          }
        : {}),
      run_page_url: this.pageUrl(run.job_id, t.run_id),
    };
  }

  private runView(run: Run, withTasks: boolean): Record<string, unknown> {
    const first = run.tasks[0]?.task.existing_cluster_id;
    return {
      job_id: run.job_id,
      run_id: run.run_id,
      number_in_job: run.number_in_job,
      original_attempt_run_id: run.run_id,
      creator_user_name: this.d.user,
      run_name: run.run_name,
      run_type: run.run_type,
      ...this.stateViews(run.state),
      ...this.durations(run.start_time, undefined, run.tasks[0]?.exec_start, run.end_time),
      ...(withTasks ? { tasks: run.tasks.map((t) => this.taskView(run, t)) } : {}),
      ...(typeof first === 'string' ? { cluster_instance: { cluster_id: first } } : {}),
      ...(Object.keys(run.overriding).length ? { overriding_parameters: run.overriding } : {}),
      trigger: run.run_type === 'JOB_RUN' ? 'ONE_TIME' : undefined,
      format: 'MULTI_TASK',
      attempt_number: 0,
      run_page_url: this.pageUrl(run.job_id, run.run_id),
    };
  }

  private findRun(p: Params): { run: Run; task?: TaskRun } {
    const id = p.num('run_id');
    if (id === undefined) throw invalidParam('Missing required field: run_id');
    const run = this.runs.get(id);
    if (run) return { run };
    const t = this.taskIndex.get(id);
    if (t) return t;
    throw invalidParam(`Run ${id} does not exist.`);
  }

  runsGet(p: Params): Record<string, unknown> {
    const { run, task } = this.findRun(p);
    if (!task) return this.runView(run, true);
    return {
      ...this.taskView(run, task),
      job_id: run.job_id,
      run_name: run.run_name,
      run_type: run.run_type,
      parent_run_id: run.run_id,
      creator_user_name: this.d.user,
      number_in_job: task.run_id,
      tasks: [this.taskView(run, task)],
    };
  }

  runsGetOutput(p: Params): Record<string, unknown> {
    const { run, task } = this.findRun(p);
    if (!task) throw invalidParam(MULTI_TASK_OUTPUT);
    const terminal = task.end_time !== undefined;
    const out: Record<string, unknown> = { metadata: this.runsGet(p) };
    if (!terminal) return out;
    if (task.task.spark_python_task) {
      out.logs = task.logs;
      out.logs_truncated = task.logsTruncated ?? false;
    }
    if (task.task.notebook_task) out.notebook_output = task.notebookResult !== undefined ? { result: task.notebookResult, truncated: false } : {};
    if (task.error) out.error = task.error;
    else if (task.state.result_state !== 'SUCCESS' && task.state.state_message) out.error = task.state.state_message;
    if (task.error_trace) out.error_trace = task.error_trace;
    void run;
    return out;
  }

  /**
   * runs/export (GET, task run id, views_to_export CODE | DASHBOARDS | ALL) → {views:[{content,
   * name, type}]}. `content` is an HTML page carrying the notebook model the way real exports do
   * ([secondary]: `var __DATABRICKS_NOTEBOOK_MODEL = '<base64 of URL-encoded JSON>'` with
   * commands[] of {command, position, results}); the page around it is the stand-in's own. The
   * answers for a parent run id or a non-notebook task are [unconfirmed]: refused here.
   */
  runsExport(p: Params): Record<string, unknown> {
    const { task } = this.findRun(p);
    const views = (p.str('views_to_export') ?? 'CODE').toUpperCase();
    if (!['CODE', 'DASHBOARDS', 'ALL'].includes(views)) throw invalidParam(`Invalid views_to_export: ${views}. Use CODE, DASHBOARDS or ALL.`);
    if (!task) throw invalidParam('Exporting a run with multiple tasks is not supported. Please export each individual task run instead.');
    if (!task.task.notebook_task) throw invalidParam(`Run ${task.run_id} is not a notebook task run; only notebook runs can be exported.`);
    if (views === 'DASHBOARDS') return { views: [] };
    const name = task.notebookName ?? 'notebook';
    const model = { version: 'NotebookV1', name, language: 'python', commands: task.notebookCells ?? [] };
    const encoded = Buffer.from(encodeURIComponent(JSON.stringify(model))).toString('base64');
    const esc = name.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    const content = `<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">\n<title>${esc} - Databricks</title>\n<meta name="databricks-html-version" content="1">\n<script>\nvar __DATABRICKS_NOTEBOOK_MODEL = '${encoded}';\n</script>\n</head>\n<body></body>\n</html>\n`;
    return { views: [{ content, name, type: 'NOTEBOOK' }] };
  }

  runsList(p: Params): Record<string, unknown> {
    const limit = p.num('limit') ?? 20;
    if (limit < 0 || limit > 25) throw invalidParam(`The limit must be between 0 and 25, got ${limit}.`);
    const size = limit === 0 ? 25 : limit;
    const jobId = p.num('job_id');
    const activeOnly = p.bool('active_only');
    const completedOnly = p.bool('completed_only');
    if (activeOnly && completedOnly) throw invalidParam('active_only and completed_only cannot both be true.');
    const type = p.str('run_type');
    const from = p.num('start_time_from');
    const to = p.num('start_time_to');
    const all = [...this.runs.values()]
      .filter((r) => {
        const done = r.end_time !== undefined;
        return (
          (jobId === undefined || r.job_id === jobId) &&
          (!activeOnly || !done) &&
          (!completedOnly || done) &&
          (!type || r.run_type === type) &&
          (from === undefined || r.start_time >= from) &&
          (to === undefined || r.start_time <= to)
        );
      })
      .sort((a, b) => b.start_time - a.start_time || b.run_id - a.run_id);
    const offset = p.str('page_token') ? fromPageToken(p.str('page_token')) : (p.num('offset') ?? 0);
    const page = all.slice(offset, offset + size).map((r) => this.runView(r, p.bool('expand_tasks') ?? false));
    const out: Record<string, unknown> = { has_more: offset + size < all.length };
    if (page.length) out.runs = page;
    if (offset + size < all.length) out.next_page_token = pageToken(offset + size);
    if (offset > 0) out.prev_page_token = pageToken(Math.max(0, offset - size));
    return out;
  }

  private cancelRun(run: Run): void {
    if (run.end_time !== undefined) return;
    run.cancelled = true;
    for (const t of run.tasks) t.proc?.kill('SIGKILL');
  }

  runsCancel(p: Params): Record<string, unknown> {
    const { run } = this.findRun(p);
    this.cancelRun(run);
    return {};
  }

  runsCancelAll(p: Params): Record<string, unknown> {
    const jobId = p.num('job_id');
    for (const r of this.runs.values()) if (jobId === undefined || r.job_id === jobId) this.cancelRun(r);
    return {};
  }

  runsDelete(p: Params): Record<string, unknown> {
    const { run, task } = this.findRun(p);
    if (task) throw invalidParam('Cannot delete a task run; delete its parent run.');
    if (run.end_time === undefined) throw new ApiError(400, 'INVALID_STATE', `Run ${run.run_id} is still active and cannot be deleted.`);
    this.runs.delete(run.run_id);
    for (const t of run.tasks) this.taskIndex.delete(t.run_id);
    return {};
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const r of this.runs.values()) this.cancelRun(r);
  }
}

/** The last `limit` bytes of a file, as UTF-8. */
function readTail(file: string, size: number, limit: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const n = Math.min(size, limit);
    const buf = Buffer.alloc(n);
    fs.readSync(fd, buf, 0, n, size - n);
    return buf.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
