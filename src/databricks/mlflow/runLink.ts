// Which MLflow run a Run File on Cluster or Run File as Job created. MLflow's own client says so:
// when a run ends against a tracking server or a Databricks workspace, it prints
//   🏃 View run <name> at: https://<workspace>/ml/experiments/<experiment id>/runs/<run id>
// (TrackingServiceClient._log_url, MLflow 2.9 and later; `#/experiments/…` on an OSS server).
// That line names the experiment and the run exactly, in the run's printed output (the command's
// output, or the job's logs), so Ferry needs no hook in the session and no guess from times or
// tags. A line is believed only once runs/get shows a run that started during this Ferry run (an
// old line replayed by the code, or a run of another workspace, is not linked).
import { classifyError } from '../../core/errors';
import type { ResultFacts, ResultOutput } from '../../results/model';
import { MlflowService } from './service';
import { MlflowRun } from './types';

export interface LoggedRunRef {
  experimentId: string;
  runId: string;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
const RUN_URL = /\/(?:#\/?|#mlflow\/|ml\/)?experiments\/([0-9A-Za-z_-]+)\/runs\/([0-9a-f]{32})\b/g;

/** The runs named by MLflow's "View run … at:" lines (and any run URL) in the text, each once, in order. */
export function loggedRunRefs(texts: string[]): LoggedRunRef[] {
  const out: LoggedRunRef[] = [];
  const seen = new Set<string>();
  for (const text of texts) {
    for (const m of text.replace(ANSI, '').matchAll(RUN_URL)) {
      if (seen.has(m[2])) continue;
      seen.add(m[2]);
      out.push({ experimentId: m[1], runId: m[2] });
    }
  }
  return out;
}

/** The printed text of a run's outputs (text outputs and error tracebacks). */
export function outputTexts(outputs: ResultOutput[]): string[] {
  return outputs.flatMap((o) => (o.kind === 'text' ? [o.text] : o.kind === 'error' ? [o.traceback] : []));
}

/** Clocks of the laptop and the workspace may differ by this much. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The runs the outputs name that exist and started within [startedAt - skew, endedAt + skew];
 * failures to look a run up are logged by the caller and leave it out.
 */
export async function confirmLoggedRuns(
  service: MlflowService,
  refs: LoggedRunRef[],
  window: { startedAt: number; endedAt: number },
  onError?: (message: string) => void,
): Promise<MlflowRun[]> {
  const out: MlflowRun[] = [];
  for (const ref of refs.slice(0, 10)) {
    try {
      const run = await service.getRun(ref.runId);
      const start = run.startTime ?? 0;
      if (run.experimentId === ref.experimentId && start >= window.startedAt - CLOCK_SKEW_MS && start <= window.endedAt + CLOCK_SKEW_MS) out.push(run);
    } catch (err) {
      onError?.(`MLflow run ${ref.runId}: ${classifyError(err).message}`);
    }
  }
  return out;
}

/**
 * Facts for a result header that link the MLflow runs the outputs name (each opens the run in the
 * Experiments view); none when nothing was logged. Lookup failures are reported to `onError`.
 */
export async function mlflowRunFacts(
  service: () => Promise<MlflowService>,
  outputs: ResultOutput[],
  window: { startedAt: number; endedAt: number },
  onError?: (message: string) => void,
): Promise<ResultFacts> {
  const refs = loggedRunRefs(outputTexts(outputs));
  if (!refs.length) return [];
  const runs = await confirmLoggedRuns(await service(), refs, window, onError);
  return runs.map((run) => ({
    label: 'MLflow run',
    value: `${run.name} (${run.status.toLowerCase()})`,
    link: {
      command: 'ferry.mlflow.openRun',
      args: [{ experimentId: run.experimentId, runId: run.id }],
      tooltip: `Open MLflow run ${run.id} in the Experiments view`,
    },
  }));
}
