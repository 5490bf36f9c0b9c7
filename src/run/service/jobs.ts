// "Run File as Job": one runs/submit with an idempotency token (a resent submit can never start
// a second run), a wait on the run with the adaptive schedule, and the output of the task run
// (runs/get-output must be called with tasks[0].run_id, not the parent run). A plain Python file
// runs as a spark_python_task, a notebook as a notebook_task whose cells come from runs/export;
// on a cluster or on serverless (jobSpec.ts has the shapes).
import { isCancellation } from '../../core/errors';
import { newIdempotencyToken, postWithToken } from '../../databricks/jobs';
import { fileTask, JobCompute, JobSource } from '../../databricks/jobSpec';
import { exportOutputs, exportRun, ExportedRun } from '../../databricks/runExport';
import { DatabricksTransport } from '../../databricks/transport';
import { ResultOutput } from '../../results/model';
import { PathMapper } from './paths';
import { adaptiveSchedule, pollUntil, PollSchedule } from './pollSchedule';
import { errorOutput } from './results';
import { summaryLine } from './traceback';

export interface RunState {
  life_cycle_state: string;
  result_state?: string;
  state_message?: string;
}

export interface JobRun {
  run_id: number;
  run_page_url?: string;
  state: RunState;
  tasks?: Array<{ run_id: number; task_key: string; state?: RunState }>;
}

export interface RunOutput {
  logs?: string;
  logs_truncated?: boolean;
  error?: string;
  error_trace?: string;
  notebook_output?: { result?: string; truncated?: boolean };
}

export interface JobRunResult {
  runId: number;
  taskRunId?: number;
  state: 'succeeded' | 'failed' | 'cancelled';
  lifeCycleState: string;
  resultState?: string;
  runPageUrl?: string;
  outputs: ResultOutput[];
}

export interface SubmitOptions {
  compute: JobCompute;
  /** The Python file (driver form, /Workspace/...) or the notebook (no extension) to run. */
  source: JobSource;
  runName?: string;
  /** Defaults to a fresh UUID; pass the same token when retrying the same submit. */
  idempotencyToken?: string;
  signal?: AbortSignal;
  schedule?: PollSchedule;
  onState?: (state: RunState) => void;
  onSubmitted?: (runId: number) => void;
  mapper?: PathMapper;
}

const TERMINAL = new Set(['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR']);

export { newIdempotencyToken };

/** The runs/submit body of a one-time run of one file. */
export function submitBody(
  opts: Pick<SubmitOptions, 'compute' | 'source' | 'runName'>,
  token: string,
): Record<string, unknown> & { idempotency_token: string } {
  const { task, environments } = fileTask('ferry_run', opts.source, opts.compute);
  return {
    run_name: opts.runName ?? `Ferry: ${opts.source.path.split('/').pop()}`,
    idempotency_token: token,
    tasks: [task],
    ...(environments ? { environments } : {}),
  };
}

export class JobRunner {
  constructor(private readonly transport: DatabricksTransport) {}

  /** runs/submit; with the same token a resent submit (429, 503, a lost answer) returns the run the first one started. */
  async submit(opts: SubmitOptions, token: string): Promise<number> {
    const { run_id } = await postWithToken<{ run_id: number }>(this.transport, '/api/2.1/jobs/runs/submit', submitBody(opts, token), opts.signal);
    return run_id;
  }

  getRun(runId: number, signal?: AbortSignal): Promise<JobRun> {
    return this.transport.request<JobRun>('GET', '/api/2.1/jobs/runs/get', { query: { run_id: runId }, signal });
  }

  getOutput(taskRunId: number, signal?: AbortSignal): Promise<RunOutput> {
    return this.transport.request<RunOutput>('GET', '/api/2.1/jobs/runs/get-output', { query: { run_id: taskRunId }, signal });
  }

  async cancel(runId: number): Promise<void> {
    await this.transport.request('POST', '/api/2.1/jobs/runs/cancel', { body: { run_id: runId } });
  }

  /** Submits, waits and collects the output. A cancel (signal) cancels the run and waits for it. */
  async run(opts: SubmitOptions): Promise<JobRunResult> {
    const token = opts.idempotencyToken ?? newIdempotencyToken();
    const runId = await this.submit(opts, token);
    opts.onSubmitted?.(runId);
    const schedule = opts.schedule ?? adaptiveSchedule({ firstMs: 100, capMs: 2000 });
    let lastState = '';
    const wait = (signal?: AbortSignal) =>
      pollUntil<JobRun>(
        async () => {
          const run = await this.getRun(runId, signal);
          const key = `${run.state.life_cycle_state}/${run.state.result_state ?? ''}`;
          if (key !== lastState) {
            lastState = key;
            opts.onState?.(run.state);
          }
          return TERMINAL.has(run.state.life_cycle_state) ? run : undefined;
        },
        schedule,
        signal,
      );
    let run: JobRun;
    try {
      run = await wait(opts.signal);
    } catch (err) {
      if (!isCancellation(err) || !opts.signal?.aborted) throw err;
      await this.cancel(runId);
      run = await wait();
    }
    const taskRunId = run.tasks?.[0]?.run_id;
    const output = taskRunId !== undefined ? await this.getOutput(taskRunId) : {};
    const exported = taskRunId !== undefined && opts.source.kind === 'notebook' ? await exportRun(this.transport, taskRunId) : undefined;
    const result = run.state.result_state;
    const state = result === 'SUCCESS' ? 'succeeded' : result === 'CANCELED' || opts.signal?.aborted ? 'cancelled' : 'failed';
    return {
      runId,
      taskRunId,
      state,
      lifeCycleState: run.state.life_cycle_state,
      resultState: result,
      runPageUrl: run.run_page_url,
      outputs: jobOutputs(output, run, opts.mapper, exported),
    };
  }
}

export function jobOutputs(output: RunOutput, run: JobRun, mapper?: PathMapper, exported?: ExportedRun): ResultOutput[] {
  const outputs: ResultOutput[] = [];
  if (output.logs)
    outputs.push({ kind: 'text', text: output.logs_truncated ? `${output.logs}\n… (log truncated by Databricks to its last 5 MB)` : output.logs });
  const cells = exportOutputs(exported);
  outputs.push(...cells);
  if (output.notebook_output?.result !== undefined)
    outputs.push({
      kind: 'text',
      text: `Notebook result (dbutils.notebook.exit):\n${output.notebook_output.result}${output.notebook_output.truncated ? '\n… (truncated by Databricks to its first 5 MB)' : ''}`,
    });
  // A failed cell already shows its error among the cells; get-output's copy would say it twice.
  if (cells.some((o) => o.kind === 'error')) return outputs;
  if (output.error || output.error_trace) {
    const trace = output.error_trace ?? output.error ?? '';
    const summary = output.error ? output.error.split('\n')[0] : summaryLine(trace);
    outputs.push(errorOutput(summary, trace, mapper));
  } else if (run.state.result_state && run.state.result_state !== 'SUCCESS' && run.state.state_message) {
    outputs.push({ kind: 'error', summary: `${run.state.result_state}: ${run.state.state_message}`, traceback: run.state.state_message, frames: [] });
  }
  return outputs;
}
