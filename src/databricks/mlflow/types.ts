// MLflow's tracking objects as Ferry holds them, and the tolerant readers that build them from the
// wire (docs/reference/databricks-api.md §7, services-2026.md §6): repeated fields may be
// absent when empty, int64 fields may come as numbers or numeric strings, and a metric value may
// be a number or one of the strings "NaN", "Infinity", "-Infinity".

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface MlflowExperiment {
  id: string;
  name: string;
  artifactLocation?: string;
  lifecycleStage: string;
  creationTime?: number;
  lastUpdateTime?: number;
  tags: Record<string, string>;
}

export interface MlflowMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface MlflowRun {
  id: string;
  name: string;
  experimentId: string;
  userId?: string;
  status: RunStatus;
  startTime?: number;
  endTime?: number;
  artifactUri?: string;
  lifecycleStage: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  /** The latest value of each metric (runs/search and runs/get give no history). */
  metrics: MlflowMetric[];
}

export interface ArtifactEntry {
  /** Relative to the run's artifact root, '/'-separated. */
  path: string;
  isDir: boolean;
  size?: number;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

type Json = Record<string, unknown>;

const STATUSES = new Set<RunStatus>(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']);

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** An int64 field: a JSON number or a numeric string. */
export const int = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v);
  return undefined;
};

export const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => !!x && typeof x === 'object') : []);

/** A metric value: a number, or the string spelling of a non-finite one (also what R's client sends). */
export function metricValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = v.trim();
    if (/^nan$/i.test(t)) return NaN;
    if (/^\+?(inf|infinity)$/i.test(t)) return Infinity;
    if (/^-(inf|infinity)$/i.test(t)) return -Infinity;
    if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  }
  return NaN;
}

function pairs(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list(v)) if (typeof kv.key === 'string') out[kv.key] = kv.value === undefined || kv.value === null ? '' : String(kv.value);
  return out;
}

export function toMetric(m: Json): MlflowMetric {
  return { key: String(m.key ?? ''), value: metricValue(m.value), timestamp: int(m.timestamp) ?? 0, step: int(m.step) ?? 0 };
}

export function toExperiment(e: Json): MlflowExperiment {
  return {
    id: str(e.experiment_id) ?? '',
    name: str(e.name) ?? '',
    artifactLocation: str(e.artifact_location),
    lifecycleStage: str(e.lifecycle_stage) ?? 'active',
    creationTime: int(e.creation_time),
    lastUpdateTime: int(e.last_update_time),
    tags: pairs(e.tags),
  };
}

export function toRun(r: Json): MlflowRun {
  const info = (r.info ?? {}) as Json;
  const data = (r.data ?? {}) as Json;
  const id = str(info.run_id) ?? str(info.run_uuid) ?? '';
  const tags = pairs(data.tags);
  const status = str(info.status) as RunStatus | undefined;
  return {
    id,
    name: str(info.run_name) ?? tags['mlflow.runName'] ?? id,
    experimentId: str(info.experiment_id) ?? '',
    userId: str(info.user_id) ?? tags['mlflow.user'],
    status: status && STATUSES.has(status) ? status : 'RUNNING',
    startTime: int(info.start_time),
    endTime: int(info.end_time),
    artifactUri: str(info.artifact_uri),
    lifecycleStage: str(info.lifecycle_stage) ?? 'active',
    params: pairs(data.params),
    tags,
    metrics: list(data.metrics).map(toMetric),
  };
}

export function toArtifact(f: Json): ArtifactEntry {
  const isDir = f.is_dir === true || f.is_dir === 'true';
  return { path: String(f.path ?? ''), isDir, size: isDir ? undefined : int(f.file_size) };
}

/** The file a run came from, as MLflow tags it (a notebook path, a script, a job). */
export function runSource(run: MlflowRun): string | undefined {
  return run.tags['mlflow.databricks.notebookPath'] ?? run.tags['mlflow.source.name'];
}

/** A metric value for people: NaN and ±∞ spelt out, others with four significant digits or so. */
export function formatMetric(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

export function formatDuration(ms: number | undefined): string | undefined {
  if (ms === undefined || ms < 0) return undefined;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}
