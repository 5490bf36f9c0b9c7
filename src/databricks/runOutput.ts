// A job run's output as result-viewer outputs: logs as text, a notebook's cells with their
// results (runs/export), error and trace as an error output (with Python frames picked out), the
// notebook's exit value as text; and the facts above them.
import { stripAnsi } from '../core/ansi';
import { parseTraceback } from '../core/traceback';
import { ErrorOutput, ResultFacts, ResultOutput, TracebackFrame } from '../results/model';
import { formatDuration, Run, RunOutput, runDuration, runStatus } from './jobs';
import { computeLabel, computeOfTasks } from './jobSpec';
import { ExportedRun, exportOutputs } from './runExport';

/** Frames of a Python traceback, CPython or IPython form (`File "/Workspace/…/train.py", line 12, in fit`). */
export function tracebackFrames(trace: string): TracebackFrame[] {
  return parseTraceback(trace);
}

export function errorOutput(error: string | undefined, trace: string | undefined): ErrorOutput {
  const lastLine = stripAnsi(trace ?? '')
    .trim()
    .split('\n')
    .filter(Boolean)
    .pop();
  const summary = (error?.trim().split('\n')[0] || lastLine || 'The run failed').slice(0, 500);
  return { kind: 'error', summary, traceback: trace ?? error ?? '', frames: tracebackFrames(trace ?? '') };
}

export function runOutputsToResults(outputs: Array<{ taskKey?: string; output: RunOutput; exported?: ExportedRun }>): ResultOutput[] {
  const out: ResultOutput[] = [];
  const many = outputs.length > 1;
  for (const { taskKey, output, exported } of outputs) {
    const head = many && taskKey ? `── task ${taskKey} ──\n` : '';
    if (output.logs)
      out.push({
        kind: 'text',
        text: `${head}${output.logs}${output.logs_truncated ? '\n… (the logs were truncated by Databricks: only the last 5 MB are kept)' : ''}`,
      });
    const cells = exportOutputs(exported);
    if (cells.length && head) out.push({ kind: 'text', text: head.trimEnd() });
    out.push(...cells);
    if (output.notebook_output?.result !== undefined)
      out.push({
        kind: 'text',
        text: `${head}Notebook result (dbutils.notebook.exit):\n${output.notebook_output.result}${output.notebook_output.truncated ? '\n… (truncated by Databricks to its first 5 MB)' : ''}`,
      });
    // A failed cell shows its error among the cells already.
    if ((output.error || output.error_trace) && !cells.some((o) => o.kind === 'error')) out.push(errorOutput(output.error, output.error_trace));
    if (output.info) out.push({ kind: 'text', text: `${head}${output.info}` });
    if (!output.logs && !cells.length && !output.error && !output.error_trace && output.notebook_output?.result === undefined && !output.info) {
      out.push({ kind: 'text', text: `${head}(this run produced no output)` });
    }
  }
  return out;
}

export function runFacts(run: Run, jobName?: string): ResultFacts {
  const facts: ResultFacts = [];
  if (jobName) facts.push({ label: 'Job', value: jobName });
  facts.push({ label: 'Run', value: String(run.run_id) });
  const compute = computeLabel(computeOfTasks(run.tasks as Array<Record<string, unknown>> | undefined, run.cluster_instance?.cluster_id));
  if (compute) facts.push({ label: 'Compute', value: compute });
  facts.push({ label: 'State', value: `${runStatus(run.state)}${run.state?.result_state ? ` (${run.state.result_state})` : ''}` });
  if (run.start_time) facts.push({ label: 'Started', value: new Date(run.start_time).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' });
  const d = formatDuration(runDuration(run));
  if (d) facts.push({ label: 'Duration', value: d });
  if (run.state?.state_message) facts.push({ label: 'Message', value: run.state.state_message });
  return facts;
}
