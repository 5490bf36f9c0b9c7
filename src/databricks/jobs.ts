// Jobs API 2.1: jobs and runs (paged), run now, cancel, run output, schedules, and creating a job
// that runs a pushed file. Plus the pure facts the views show (run state groups, durations).
// POSTs that start something are never repeated blindly: run-now and runs/submit carry an
// idempotency token (a resent request gets the run the first one started), and jobs/create, which
// has none, tags the job so that a retry first looks for the job an earlier attempt made.
import { randomUUID } from 'node:crypto';
import { CancelledError } from '../core/errors';
import { RetryDecision, withRetry } from '../core/retry';
import { DatabricksError } from './errors';
import { fileTask, JobCompute, JobEnvironment, JobSource } from './jobSpec';
import { exportRun, ExportedRun } from './runExport';
import { DatabricksTransport } from './transport';

export interface CronSchedule {
  quartz_cron_expression: string;
  timezone_id: string;
  pause_status?: 'PAUSED' | 'UNPAUSED';
}

export interface JobTask {
  task_key: string;
  existing_cluster_id?: string;
  /** Serverless: the key of an entry in the job's (or run's) `environments`. */
  environment_key?: string;
  spark_python_task?: { python_file: string; parameters?: string[]; source?: string };
  notebook_task?: { notebook_path: string; base_parameters?: Record<string, string>; source?: 'WORKSPACE' | 'GIT' };
  [key: string]: unknown;
}

export interface JobSettings {
  name?: string;
  schedule?: CronSchedule;
  tasks?: JobTask[];
  environments?: JobEnvironment[];
  tags?: Record<string, string>;
  parameters?: Array<{ name: string; default: string }>;
  max_concurrent_runs?: number;
  [key: string]: unknown;
}

export interface Job {
  job_id: number;
  creator_user_name?: string;
  created_time?: number;
  settings?: JobSettings;
}

export type LifeCycleState = 'QUEUED' | 'PENDING' | 'RUNNING' | 'TERMINATING' | 'TERMINATED' | 'SKIPPED' | 'INTERNAL_ERROR' | 'BLOCKED' | 'WAITING_FOR_RETRY';
export type ResultState =
  | 'SUCCESS'
  | 'FAILED'
  | 'TIMEDOUT'
  | 'CANCELED'
  | 'SUCCESS_WITH_FAILURES'
  | 'MAXIMUM_CONCURRENT_RUNS_REACHED'
  | 'EXCLUDED'
  | 'UPSTREAM_FAILED'
  | 'UPSTREAM_CANCELED'
  | 'DISABLED';

export interface RunState {
  life_cycle_state?: LifeCycleState;
  result_state?: ResultState;
  state_message?: string;
  user_cancelled_or_timedout?: boolean;
}

export interface RunTask {
  run_id: number;
  task_key?: string;
  notebook_task?: { notebook_path: string };
  spark_python_task?: { python_file: string };
  existing_cluster_id?: string;
  environment_key?: string;
  cluster_instance?: { cluster_id?: string };
  state?: RunState;
  start_time?: number;
  end_time?: number;
  run_page_url?: string;
}

export interface Run {
  job_id?: number;
  run_id: number;
  number_in_job?: number;
  run_name?: string;
  run_type?: string;
  state?: RunState;
  start_time?: number;
  end_time?: number;
  run_duration?: number;
  execution_duration?: number;
  setup_duration?: number;
  cleanup_duration?: number;
  run_page_url?: string;
  tasks?: RunTask[];
  trigger?: string;
  cluster_instance?: { cluster_id?: string };
  [key: string]: unknown;
}

export interface RunOutput {
  metadata?: Run;
  logs?: string;
  logs_truncated?: boolean;
  error?: string;
  error_trace?: string;
  info?: string;
  notebook_output?: { result?: string; truncated?: boolean };
}

export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

/** The run's state as one word for icons and menus. */
export type RunStatus = 'queued' | 'pending' | 'running' | 'terminating' | 'succeeded' | 'failed' | 'cancelled' | 'skipped' | 'unknown';

export function runStatus(state: RunState | undefined): RunStatus {
  const life = state?.life_cycle_state;
  if (life === 'TERMINATED' || life === 'INTERNAL_ERROR' || life === 'SKIPPED') {
    if (life === 'SKIPPED') return 'skipped';
    if (life === 'INTERNAL_ERROR') return 'failed';
    const result = state?.result_state;
    if (result === 'SUCCESS' || result === 'SUCCESS_WITH_FAILURES') return 'succeeded';
    if (result === 'CANCELED' || result === 'UPSTREAM_CANCELED' || result === 'EXCLUDED' || result === 'DISABLED') return 'cancelled';
    return 'failed';
  }
  switch (life) {
    case 'QUEUED':
    case 'BLOCKED':
    case 'WAITING_FOR_RETRY':
      return 'queued';
    case 'PENDING':
      return 'pending';
    case 'RUNNING':
      return 'running';
    case 'TERMINATING':
      return 'terminating';
    default:
      return 'unknown';
  }
}

export function isRunActive(state: RunState | undefined): boolean {
  const s = runStatus(state);
  return s === 'queued' || s === 'pending' || s === 'running' || s === 'terminating';
}

/** 75_000 → "1m 15s"; 3_723_000 → "1h 2m". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${m % 60}m`;
}

export function runDuration(run: Run, now = Date.now()): number | undefined {
  if (run.run_duration) return run.run_duration;
  const parts = (run.setup_duration ?? 0) + (run.execution_duration ?? 0) + (run.cleanup_duration ?? 0);
  if (parts > 0) return parts;
  if (!run.start_time) return undefined;
  return (run.end_time || now) - run.start_time;
}

/** "Every day at 06:00" style schedule presets, as Quartz cron (seconds first). */
export const SCHEDULE_PRESETS: Array<{ label: string; cron: string }> = [
  { label: 'Every hour', cron: '0 0 * * * ?' },
  { label: 'Every day at 06:00', cron: '0 0 6 * * ?' },
  { label: 'Every weekday at 06:00', cron: '0 0 6 ? * MON-FRI' },
  { label: 'Every Monday at 06:00', cron: '0 0 6 ? * MON' },
  { label: 'First day of the month at 06:00', cron: '0 0 6 1 * ?' },
];

/**
 * Checks the shape of a Quartz cron expression (6 or 7 fields, seconds first). Accepts a 5-field
 * Unix cron too and converts it (prefixing seconds, and putting `?` where Quartz needs it).
 * Returns the Quartz form or an error message.
 */
export function toQuartzCron(input: string): { cron: string } | { error: string } {
  const fields = input.trim().split(/\s+/).filter(Boolean);
  const fieldOk = (f: string) => /^[0-9A-Za-z*?,/#LW-]+$/.test(f);
  if (fields.length === 5) {
    const [min, hour, dom, month, dow] = fields;
    if (!fields.every(fieldOk)) return { error: 'A cron field has characters that cron does not use' };
    const quartzDow = dow === '*' ? '?' : dow;
    const quartzDom = dow !== '*' && dom === '*' ? '?' : dom;
    return { cron: `0 ${min} ${hour} ${quartzDom} ${month} ${quartzDow}` };
  }
  if (fields.length !== 6 && fields.length !== 7)
    return { error: `A cron expression has 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]); this one has ${fields.length}` };
  if (!fields.every(fieldOk)) return { error: 'A cron field has characters that cron does not use' };
  if (fields[3] !== '?' && fields[5] !== '?') return { error: 'Quartz cron needs "?" in either the day-of-month or the day-of-week field' };
  return { cron: fields.join(' ') };
}

export interface RunNowParams {
  jobParameters?: Record<string, string>;
  pythonParams?: string[];
  notebookParams?: Record<string, string>;
}

/** The tag jobs/create carries so that a retry can find the job an earlier attempt made. */
export const FERRY_CREATE_TAG = 'ferry-create-id';

/** A fresh idempotency token (≤ 64 characters, as run-now and runs/submit allow). */
export function newIdempotencyToken(): string {
  return `ferry-${randomUUID()}`;
}

/** Network failures after which the request may have been carried out (the transport does not resend a POST after them). */
const MAYBE_SENT = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'UND_ERR_SOCKET']);

function maybeCarriedOut(err: unknown): boolean {
  return err instanceof DatabricksError && err.status === 0 && MAYBE_SENT.has(err.errorCode);
}

/**
 * POSTs a body that carries an idempotency token. The transport already resends it after 429/503
 * (same body, same token: the server answers with the run the first request started); this also
 * resends it after a lost answer, which is safe only because of the token.
 */
export function postWithToken<T>(
  transport: DatabricksTransport,
  path: string,
  body: Record<string, unknown> & { idempotency_token: string },
  signal?: AbortSignal,
): Promise<T> {
  if (body.idempotency_token.length > 64) throw new Error('idempotency_token must be at most 64 characters');
  return withRetry(() => transport.request<T>('POST', path, { body, signal }), {
    shouldRetry: (err) => ({ retry: maybeCarriedOut(err) }),
    maxAttempts: 4,
    baseDelayMs: 500,
    maxDelayMs: 4000,
    jitterMs: 250,
    signal,
  });
}

/** Failures after which a jobs/create may or may not have made the job: look before trying again. */
function createRetry(err: unknown): RetryDecision {
  if (!(err instanceof DatabricksError)) return { retry: false };
  if (err.status === 0) return { retry: err.kind === 'network' };
  if (err.status === 429 || err.status === 503)
    return { retry: true, afterMs: err.retryAfterMs === undefined ? undefined : Math.min(err.retryAfterMs, 30_000) };
  return { retry: err.status === 500 || err.status === 502 || err.status === 504 };
}

/** `a=1 b="x y"` (or a JSON object) as widget values for a notebook job. */
export function parseWidgetValues(text: string): Record<string, string> {
  const t = text.trim();
  if (!t) return {};
  if (t.startsWith('{')) {
    const parsed = JSON.parse(t) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('Expected a JSON object of widget values');
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  }
  const out: Record<string, string> = {};
  const re = /([^\s=]+)=(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S*))|(\S+)/g;
  for (const m of t.matchAll(re)) {
    if (m[5] !== undefined) throw new Error(`"${m[5]}" is not name=value`);
    out[m[1]] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? m[4] ?? '');
  }
  return out;
}

export class JobsService {
  constructor(private readonly transport: DatabricksTransport) {}

  get host(): string {
    return this.transport.host;
  }

  /** A page of jobs, with their tasks (so the view can tell serverless jobs from cluster ones). */
  async listJobs(pageToken?: string, limit = 25, signal?: AbortSignal, filter: { name?: string; expandTasks?: boolean } = {}): Promise<Page<Job>> {
    const res = await this.transport.request<{ jobs?: Job[]; has_more?: boolean; next_page_token?: string }>('GET', '/api/2.1/jobs/list', {
      query: { limit, page_token: pageToken, name: filter.name, expand_tasks: filter.expandTasks ?? true },
      signal,
    });
    return { items: res.jobs ?? [], nextPageToken: res.has_more !== false && res.next_page_token ? res.next_page_token : undefined };
  }

  async getJob(jobId: number, signal?: AbortSignal): Promise<Job> {
    return this.transport.request<Job>('GET', '/api/2.1/jobs/get', { query: { job_id: jobId }, signal });
  }

  async listRuns(jobId: number, pageToken?: string, limit = 10, signal?: AbortSignal): Promise<Page<Run>> {
    const res = await this.transport.request<{ runs?: Run[]; has_more?: boolean; next_page_token?: string }>('GET', '/api/2.1/jobs/runs/list', {
      query: { job_id: jobId, limit, page_token: pageToken, expand_tasks: true },
      signal,
    });
    return { items: res.runs ?? [], nextPageToken: res.has_more !== false && res.next_page_token ? res.next_page_token : undefined };
  }

  async getRun(runId: number, signal?: AbortSignal): Promise<Run> {
    return this.transport.request<Run>('GET', '/api/2.1/jobs/runs/get', { query: { run_id: runId }, signal });
  }

  /**
   * Starts a run; `jobParameters` for jobs with job-level parameters, `pythonParams` for
   * spark_python_task jobs, `notebookParams` (widget values) for notebook_task jobs. One call
   * starts at most one run, however often it is resent.
   */
  async runNow(
    jobId: number,
    params: RunNowParams = {},
    signal?: AbortSignal,
    idempotencyToken = newIdempotencyToken(),
  ): Promise<{ run_id: number; number_in_job?: number }> {
    return postWithToken(
      this.transport,
      '/api/2.1/jobs/run-now',
      {
        job_id: jobId,
        job_parameters: params.jobParameters,
        python_params: params.pythonParams,
        notebook_params: params.notebookParams,
        idempotency_token: idempotencyToken,
      },
      signal,
    );
  }

  async cancelRun(runId: number, signal?: AbortSignal): Promise<void> {
    await this.transport.request('POST', '/api/2.1/jobs/runs/cancel', { body: { run_id: runId }, signal });
  }

  /**
   * The output of every task of a run (get-output must be asked per task run); for notebook tasks
   * also the notebook's cells with their results (runs/export). A run without tasks is asked directly.
   */
  async runOutputs(run: Run, signal?: AbortSignal): Promise<Array<{ taskKey?: string; output: RunOutput; exported?: ExportedRun }>> {
    const tasks = run.tasks?.length ? run.tasks : undefined;
    if (!tasks) return [{ output: await this.output(run.run_id, signal) }];
    const out: Array<{ taskKey?: string; output: RunOutput; exported?: ExportedRun }> = [];
    for (const t of tasks) {
      const output = await this.output(t.run_id, signal);
      const exported = t.notebook_task ? await exportRun(this.transport, t.run_id, signal) : undefined;
      out.push({ taskKey: t.task_key, output, exported });
    }
    return out;
  }

  async output(runId: number, signal?: AbortSignal): Promise<RunOutput> {
    return this.transport.request<RunOutput>('GET', '/api/2.1/jobs/runs/get-output', { query: { run_id: runId }, signal });
  }

  async setSchedule(jobId: number, schedule: CronSchedule, signal?: AbortSignal): Promise<void> {
    await this.transport.request('POST', '/api/2.1/jobs/update', { body: { job_id: jobId, new_settings: { schedule } }, signal });
  }

  async setPaused(job: Job, paused: boolean, signal?: AbortSignal): Promise<void> {
    const schedule = job.settings?.schedule;
    if (!schedule) throw new Error(`Job ${job.settings?.name ?? job.job_id} has no schedule`);
    await this.setSchedule(job.job_id, { ...schedule, pause_status: paused ? 'PAUSED' : 'UNPAUSED' }, signal);
  }

  /**
   * Creates a job, at most once. jobs/create has no idempotency token, so the job carries a unique
   * Ferry tag; when an attempt fails in a way that leaves open whether the job was made (a lost
   * answer, a 5xx, throttling), the jobs with that name are searched for the tag before the next one.
   */
  async createJob(settings: JobSettings, signal?: AbortSignal): Promise<number> {
    const tag = randomUUID();
    const body: JobSettings = { ...settings, tags: { ...settings.tags, [FERRY_CREATE_TAG]: tag } };
    let lastError: unknown;
    try {
      return await withRetry(
        async (attempt) => {
          if (attempt > 1) {
            const made = await this.findTagged(settings.name, tag, signal);
            if (made !== undefined) return made;
          }
          const res = await this.transport.request<{ job_id: number }>('POST', '/api/2.1/jobs/create', { body, signal, retry: false });
          return res.job_id;
        },
        {
          shouldRetry: (err) => {
            lastError = err;
            return createRetry(err);
          },
          maxAttempts: 5,
          baseDelayMs: 1000,
          maxDelayMs: 8000,
          jitterMs: 300,
          signal,
        },
      );
    } catch (err) {
      if (err instanceof CancelledError || !createRetry(lastError ?? err).retry) throw err;
      // Out of attempts after a failure that may have made the job: one last look before saying so.
      const made = await this.findTagged(settings.name, tag, signal).catch(() => undefined);
      if (made !== undefined) return made;
      throw err;
    }
  }

  /** The job with `name` (exact, case-insensitive, as jobs/list filters) that carries Ferry's create tag. */
  private async findTagged(name: string | undefined, tag: string, signal?: AbortSignal): Promise<number | undefined> {
    let token: string | undefined;
    for (let page = 0; page < 50; page++) {
      const res = await this.listJobs(token, 100, signal, { name, expandTasks: false });
      const hit = res.items.find((j) => j.settings?.tags?.[FERRY_CREATE_TAG] === tag);
      if (hit) return hit.job_id;
      token = res.nextPageToken;
      if (!token) return undefined;
    }
    return undefined;
  }
}

/** The settings of a job that runs one workspace file (Python file or notebook) on a cluster or serverless, optionally on a schedule. */
export function fileJob(opts: { name: string; source: JobSource; compute: JobCompute; cron?: string; timezone?: string }): JobSettings {
  const { task, environments } = fileTask(taskKeyFor(opts.name), opts.source, opts.compute);
  const settings: JobSettings = { name: opts.name, max_concurrent_runs: 1, tasks: [task] };
  if (environments) settings.environments = environments;
  if (opts.cron) settings.schedule = { quartz_cron_expression: opts.cron, timezone_id: opts.timezone ?? 'UTC', pause_status: 'UNPAUSED' };
  return settings;
}

/** The settings of a job that runs one Python file on an existing cluster, optionally on a schedule. */
export function pythonFileJob(opts: {
  name: string;
  pythonFile: string;
  clusterId: string;
  cron?: string;
  timezone?: string;
  parameters?: string[];
}): JobSettings {
  return fileJob({
    name: opts.name,
    source: { kind: 'python', path: opts.pythonFile, parameters: opts.parameters },
    compute: { kind: 'cluster', clusterId: opts.clusterId },
    cron: opts.cron,
    timezone: opts.timezone,
  });
}

/** task_key allows letters, digits, `_` and `-` (max 100). */
export function taskKeyFor(name: string): string {
  return (name.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'main').slice(0, 100);
}
