// MLflow data as result-viewer outputs: a metric's history as a line chart (one line per run when
// several are compared), and runs side by side in one table (their params and final metrics).
// Pure: the commands fetch, this shapes.
import type { ResultCell, ResultColumn, ResultFacts, TableOutput } from '../../results/model';
import { formatDuration, formatMetric, MlflowMetric, MlflowRun, runSource } from './types';

export interface MetricSeries {
  run: MlflowRun;
  key: string;
  history: MlflowMetric[];
}

/** Runs named for a legend: their names, made unique when two runs share one. */
export function runLabels(runs: MlflowRun[]): Map<string, string> {
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
  return new Map(runs.map((r) => [r.id, (counts.get(r.name) ?? 0) > 1 ? `${r.name} (${r.id.slice(0, 7)})` : r.name]));
}

/**
 * A line chart of the series: x is the step (the time when every value was logged at step 0),
 * y the value, one colour per run. NaN and ±∞ values stay in the table as empty cells and are
 * counted in the note; Vega cannot draw them.
 */
export function metricChartOutput(series: MetricSeries[]): TableOutput {
  const labels = runLabels(series.map((s) => s.run));
  const several = series.length > 1;
  const byTime = series.every((s) => s.history.every((m) => m.step === 0)) && series.some((s) => s.history.length > 1);
  const columns: ResultColumn[] = [
    ...(several ? [{ name: 'run', type: 'string' as const }] : []),
    { name: 'step', type: 'integer' },
    { name: series[0]?.key ?? 'value', type: 'number' },
    { name: 'logged at', type: 'timestamp' },
  ];
  const rows: ResultCell[][] = [];
  let nonFinite = 0;
  for (const s of series) {
    for (const m of s.history) {
      const value = Number.isFinite(m.value) ? m.value : null;
      if (value === null) nonFinite++;
      rows.push([...(several ? [labels.get(s.run.id) ?? s.run.name] : []), m.step, value, new Date(m.timestamp).toISOString()]);
    }
  }
  const valueName = columns[several ? 2 : 1].name;
  return {
    kind: 'table',
    columns,
    rows,
    truncationNote: nonFinite ? `${nonFinite} value${nonFinite === 1 ? ' is' : 's are'} NaN or infinite and left out of the chart` : undefined,
    truncated: false,
    chart: { mark: 'line', x: byTime ? 'logged at' : 'step', y: valueName, color: several ? 'run' : undefined },
  };
}

/** Facts for the header of a chart: the metric, the runs and their last values. */
export function metricFacts(series: MetricSeries[]): ResultFacts {
  const labels = runLabels(series.map((s) => s.run));
  const facts: ResultFacts = [{ label: 'Metric', value: series[0]?.key ?? '' }];
  for (const s of series.slice(0, 6)) {
    const last = s.history[s.history.length - 1];
    facts.push({ label: labels.get(s.run.id) ?? s.run.name, value: last ? `${formatMetric(last.value)} at step ${last.step}` : 'not logged' });
  }
  if (series.length > 6) facts.push({ label: 'Runs', value: String(series.length) });
  return facts;
}

/**
 * Runs as rows: name, status, start, duration, then every param (`param: …`) and every final
 * metric (`metric: …`) any of them has; the grid sorts and filters them.
 */
export function comparisonTable(runs: MlflowRun[]): TableOutput {
  const labels = runLabels(runs);
  const params = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const metrics = [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.key)))].sort();
  const columns: ResultColumn[] = [
    { name: 'run', type: 'string' },
    { name: 'status', type: 'string' },
    { name: 'started', type: 'timestamp' },
    { name: 'duration', type: 'string' },
    { name: 'source', type: 'string' },
    ...params.map((p) => ({ name: `param: ${p}`, type: paramType(runs, p) })),
    ...metrics.map((m) => ({ name: `metric: ${m}`, type: 'number' as const })),
    { name: 'run id', type: 'string' },
  ];
  const rows = runs.map((r) => {
    const latest = new Map(r.metrics.map((m) => [m.key, m.value]));
    const pType = (p: string) => columns.find((c) => c.name === `param: ${p}`)?.type;
    return [
      labels.get(r.id) ?? r.name,
      r.status,
      r.startTime !== undefined ? new Date(r.startTime).toISOString() : null,
      formatDuration(r.endTime !== undefined && r.startTime !== undefined ? r.endTime - r.startTime : undefined) ?? null,
      runSource(r) ?? null,
      ...params.map((p) => (r.params[p] === undefined ? null : pType(p) === 'number' ? Number(r.params[p]) : r.params[p])),
      ...metrics.map((m) => {
        const v = latest.get(m);
        return v === undefined || !Number.isFinite(v) ? null : v;
      }),
      r.id,
    ];
  });
  return { kind: 'table', columns, rows };
}

/** A param column is numeric when every run's value of it is a number (learning rates, depths). */
function paramType(runs: MlflowRun[], key: string): 'number' | 'string' {
  const values = runs.map((r) => r.params[key]).filter((v): v is string => v !== undefined);
  return values.length > 0 && values.every((v) => v.trim() !== '' && Number.isFinite(Number(v))) ? 'number' : 'string';
}

/** One run's params, final metrics and tags as a key/value table (what a link to the run shows). */
export function runSummaryTable(run: MlflowRun): TableOutput {
  const rows: ResultCell[][] = [
    ...Object.entries(run.params)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => ['param', k, v]),
    ...[...run.metrics].sort((a, b) => a.key.localeCompare(b.key)).map((m) => ['metric', m.key, formatMetric(m.value)]),
    ...Object.entries(run.tags)
      .filter(([k]) => !k.startsWith('mlflow.log-model'))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => ['tag', k, v]),
  ];
  return {
    kind: 'table',
    columns: [
      { name: 'kind', type: 'string' },
      { name: 'key', type: 'string' },
      { name: 'value', type: 'string' },
    ],
    rows,
  };
}
