// The stand-in's MLflow tracking store: experiments, runs (params, tags, every metric value with
// its step and timestamp) and run artifacts, kept in <dataDir>/mlflow (state.json, artifacts/).
// Artifacts live where Databricks keeps them for workspace experiments,
// dbfs:/databricks/mlflow-tracking/<experiment>/<run>/artifacts; the REST API only lists them,
// and their bytes go through signed URLs (artifactStorage.ts), as on Databricks.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface KeyValue {
  key: string;
  value: string;
}

export interface StoredMetric {
  key: string;
  /** NaN and ±Infinity are kept as such; the wire carries them as strings. */
  value: number;
  timestamp: number;
  step: number;
}

export interface StoredRun {
  run_id: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
  start_time: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: 'active' | 'deleted';
  params: KeyValue[];
  tags: KeyValue[];
  /** Every logged value, in logging order. */
  metrics: StoredMetric[];
}

export interface StoredExperiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: 'active' | 'deleted';
  creation_time: number;
  last_update_time: number;
  tags: KeyValue[];
}

interface State {
  experiments: StoredExperiment[];
  runs: StoredRun[];
  nextExperimentId: number;
}

const TRACKING_ROOT = 'dbfs:/databricks/mlflow-tracking';
const ADJECTIVES = ['bright', 'calm', 'eager', 'gentle', 'lucky', 'merry', 'quiet', 'rapid', 'sunny', 'wise'];
const ANIMALS = ['otter', 'heron', 'lynx', 'panda', 'finch', 'koala', 'yak', 'wren', 'bison', 'gecko'];

export class MlflowStore {
  private state: State;
  private readonly file: string;
  readonly artifactsRoot: string;
  private timer: NodeJS.Timeout | undefined;
  private runsById = new Map<string, StoredRun>();

  constructor(dataDir: string) {
    const dir = path.join(dataDir, 'mlflow');
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, 'state.json');
    this.artifactsRoot = path.join(dir, 'artifacts');
    fs.mkdirSync(this.artifactsRoot, { recursive: true });
    this.state = fs.existsSync(this.file)
      ? (JSON.parse(fs.readFileSync(this.file, 'utf8'), revive) as State)
      : { experiments: [], runs: [], nextExperimentId: 1_234_567_890_120_001 };
    for (const r of this.state.runs) this.runsById.set(r.run_id, r);
  }

  get experiments(): readonly StoredExperiment[] {
    return this.state.experiments;
  }

  get runs(): readonly StoredRun[] {
    return this.state.runs;
  }

  /** Writes state.json soon (many log calls in a row make one write). */
  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), 100);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.state, replace));
    fs.renameSync(tmp, this.file);
  }

  experiment(id: string): StoredExperiment | undefined {
    return this.state.experiments.find((e) => e.experiment_id === id);
  }

  experimentByName(name: string): StoredExperiment | undefined {
    return this.state.experiments.find((e) => e.name === name && e.lifecycle_stage === 'active');
  }

  createExperiment(name: string, tags: KeyValue[] = [], now = Date.now()): StoredExperiment {
    const id = String(this.state.nextExperimentId++);
    const e: StoredExperiment = {
      experiment_id: id,
      name,
      artifact_location: `${TRACKING_ROOT}/${id}`,
      lifecycle_stage: 'active',
      creation_time: now,
      last_update_time: now,
      tags,
    };
    this.state.experiments.push(e);
    this.changed();
    return e;
  }

  run(id: string): StoredRun | undefined {
    return this.runsById.get(id);
  }

  createRun(exp: StoredExperiment, opts: { runName?: string; userId: string; startTime?: number; tags?: KeyValue[]; status?: StoredRun['status'] }): StoredRun {
    const runId = crypto.randomBytes(16).toString('hex');
    const pick = (list: string[]) => list[crypto.randomInt(list.length)];
    const runName =
      opts.runName || opts.tags?.find((t) => t.key === 'mlflow.runName')?.value || `${pick(ADJECTIVES)}-${pick(ANIMALS)}-${crypto.randomInt(100, 1000)}`;
    const tags = [...(opts.tags ?? []).filter((t) => t.key !== 'mlflow.runName'), { key: 'mlflow.runName', value: runName }];
    const run: StoredRun = {
      run_id: runId,
      run_name: runName,
      experiment_id: exp.experiment_id,
      user_id: opts.userId,
      status: opts.status ?? 'RUNNING',
      start_time: opts.startTime ?? Date.now(),
      artifact_uri: `${exp.artifact_location}/${runId}/artifacts`,
      lifecycle_stage: 'active',
      params: [],
      tags,
      metrics: [],
    };
    this.state.runs.push(run);
    this.runsById.set(runId, run);
    this.changed();
    return run;
  }

  /** The latest value per key: the one with the newest timestamp, the largest when they tie (services-2026 §6). */
  latestMetrics(run: StoredRun): StoredMetric[] {
    const latest = new Map<string, StoredMetric>();
    for (const m of run.metrics) {
      const cur = latest.get(m.key);
      if (!cur || m.timestamp > cur.timestamp || (m.timestamp === cur.timestamp && (m.value > cur.value || Number.isNaN(cur.value)))) latest.set(m.key, m);
    }
    return [...latest.values()];
  }

  /** The folder on disk that holds a run's artifact root. */
  artifactDir(run: StoredRun): string {
    return path.join(this.artifactsRoot, run.experiment_id, run.run_id, 'artifacts');
  }

  /** Drops every experiment, run and artifact (admin: a test that wants a clean workspace). */
  clear(): void {
    this.state = { experiments: [], runs: [], nextExperimentId: this.state.nextExperimentId };
    this.runsById = new Map();
    fs.rmSync(this.artifactsRoot, { recursive: true, force: true });
    fs.mkdirSync(this.artifactsRoot, { recursive: true });
    this.flush();
  }
}

// JSON cannot hold NaN or Infinity: state.json keeps them as tagged strings.
function replace(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return `__num:${String(value)}`;
  return value;
}

function revive(_key: string, value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith('__num:')) return Number(value.slice(6));
  return value;
}
