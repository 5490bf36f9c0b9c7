// MLflow tracking REST 2.0 of the Databricks stand-in (docs/reference/databricks-api.md §7,
// services-2026.md §6): experiments, runs, metrics, params, tags and artifacts, kept by store.ts,
// with artifact bytes behind signed URLs (artifactStorage.ts). What the service does that a client
// must cope with, and this stand-in does too:
// - empty repeated fields are left out (`{}` for no runs, no `params` key on a run without any);
// - NaN and ±Infinity metric values travel as the strings "NaN", "Infinity", "-Infinity";
// - `runs/search` pages with opaque tokens tied to the query, `max_results` ≤ 50,000 (default
//   1,000), default order start_time DESC then run_id; `experiments/search` ≤ 3,000 a page;
//   `metrics/get-history` ≤ 25,000 a page (more is INVALID_PARAMETER_VALUE, as PY `get_history` says);
// - the search endpoints are rate limited (7 requests/s per workspace, the tracking endpoints
//   120/s: [unconfirmed], from a secondary copy of Databricks' limits page, services-2026 §1.4),
//   answered 429 REQUEST_LIMIT_EXCEEDED with Retry-After (the header is [unconfirmed]);
// - params cannot change once logged; log-batch takes at most 1,000 metrics and 100 params or tags.
// Admin (no token): GET|POST /__admin/mlflow (limits, page sizes, URL lifetime, storage counters),
// POST /__admin/mlflow/seed ({experiment, runs:[…]}: fills an experiment in one call, as training
// code would over many), POST /__admin/mlflow/clear.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, invalidParam, notFound, Params } from '../http';
import type { Route } from '../routes';
import { ArtifactStorage } from './artifactStorage';
import { compare, parseExperimentFilter, parseOrderBy, parseRunFilter } from './search';
import { KeyValue, MlflowStore, StoredExperiment, StoredMetric, StoredRun } from './store';

const BASE = '/api/2.0/mlflow';
export const MLFLOW_LIMITS = {
  runsSearchMax: 50_000,
  runsSearchDefault: 1000,
  experimentsSearchMax: 3000,
  experimentsSearchDefault: 1000,
  historyMax: 25_000,
  batchMetrics: 1000,
  batchParamsTags: 100,
  paramValueChars: 6000,
} as const;

export interface MlflowAdminSettings {
  /** Requests a second to runs/search and experiments/search; 0 turns the limit off. */
  searchPerSecond: number;
  /** Requests a second to the other MLflow endpoints; 0 turns the limit off. */
  trackingPerSecond: number;
  /** Entries per artifacts/list page ([unconfirmed]: UC-volume artifacts are capped at 1,000). */
  artifactPageSize: number;
  signedUrlTtlSeconds: number;
}

const DEFAULT_SETTINGS: MlflowAdminSettings = { searchPerSecond: 7, trackingPerSecond: 120, artifactPageSize: 1000, signedUrlTtlSeconds: 900 };

class Bucket {
  private tokens: number;
  private last = Date.now();
  constructor(private rate: number) {
    this.tokens = rate;
  }
  setRate(rate: number): void {
    this.rate = rate;
    this.tokens = rate;
  }
  take(): boolean {
    if (this.rate <= 0) return true;
    const now = Date.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

type Obj = Record<string, unknown>;

/** A metric value on the wire: a number, or the string form of NaN and ±Infinity. */
function wireValue(v: number): number | string {
  return Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

function metricValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity' || v === 'inf') return Infinity;
    if (v === '-Infinity' || v === '-inf') return -Infinity;
    if (v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  throw invalidParam(
    v === undefined || v === null ? "Missing value for required parameter 'value'" : `Invalid value ${JSON.stringify(v)} for parameter 'value' supplied`,
  );
}

function kv(list: unknown, what: string): KeyValue[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw invalidParam(`Invalid value for parameter '${what}': expected a list`);
  return list.map((x) => {
    const o = x as Obj;
    if (typeof o?.key !== 'string' || o.key === '') throw invalidParam(`Missing value for required parameter '${what}.key'`);
    return { key: o.key, value: o.value === undefined || o.value === null ? '' : String(o.value) };
  });
}

function queryToken(q: unknown): string {
  return Buffer.from(JSON.stringify(q)).toString('base64url').slice(0, 24);
}

function encodeToken(offset: number, query: unknown): string {
  return Buffer.from(JSON.stringify({ o: offset, q: queryToken(query) })).toString('base64url');
}

function decodeToken(token: string | undefined, query: unknown): number {
  if (!token) return 0;
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: number; q?: string };
    if (typeof t.o === 'number' && t.q === queryToken(query)) return t.o;
  } catch {
    // falls through
  }
  throw invalidParam('Invalid page token');
}

function maxResults(p: Params, dflt: number, max: number): number {
  const n = p.num('max_results');
  if (n === undefined) return dflt;
  if (!Number.isInteger(n) || n < 1) throw invalidParam(`Invalid value for request parameter max_results. It must be a positive integer, but got value ${n}`);
  if (n > max) throw invalidParam(`Invalid value for request parameter max_results. It must be at most ${max}, but got value ${n}`);
  return n;
}

export class MlflowApi {
  readonly store: MlflowStore;
  readonly storage: ArtifactStorage;
  private settings: MlflowAdminSettings = { ...DEFAULT_SETTINGS };
  private readonly search = new Bucket(DEFAULT_SETTINGS.searchPerSecond);
  private readonly tracking = new Bucket(DEFAULT_SETTINGS.trackingPerSecond);

  constructor(
    dataDir: string,
    private readonly userName: string,
  ) {
    this.store = new MlflowStore(dataDir);
    this.storage = new ArtifactStorage(this.store.artifactsRoot);
  }

  // ---- wire shapes -----------------------------------------------------------------------

  private experimentJson(e: StoredExperiment): Obj {
    return {
      experiment_id: e.experiment_id,
      name: e.name,
      artifact_location: e.artifact_location,
      lifecycle_stage: e.lifecycle_stage,
      creation_time: e.creation_time,
      last_update_time: e.last_update_time,
      ...(e.tags.length ? { tags: e.tags } : {}),
    };
  }

  private runJson(r: StoredRun): Obj {
    const metrics = this.store.latestMetrics(r).map((m) => ({ key: m.key, value: wireValue(m.value), timestamp: m.timestamp, step: m.step }));
    const data: Obj = {};
    if (metrics.length) data.metrics = metrics;
    if (r.params.length) data.params = r.params;
    if (r.tags.length) data.tags = r.tags;
    return {
      info: {
        run_id: r.run_id,
        run_uuid: r.run_id,
        run_name: r.run_name,
        experiment_id: r.experiment_id,
        user_id: r.user_id,
        status: r.status,
        start_time: r.start_time,
        ...(r.end_time !== undefined ? { end_time: r.end_time } : {}),
        artifact_uri: r.artifact_uri,
        lifecycle_stage: r.lifecycle_stage,
      },
      data,
      inputs: {},
    };
  }

  // ---- lookups ---------------------------------------------------------------------------

  private experimentOf(id: string | undefined): StoredExperiment {
    if (!id) throw invalidParam("Missing value for required parameter 'experiment_id'");
    const e = this.store.experiment(id);
    if (!e) throw notFound(`Node ID ${id} does not exist.`);
    return e;
  }

  private runOf(p: Params): StoredRun {
    const id = p.str('run_id') ?? p.str('run_uuid');
    if (!id) throw invalidParam("Missing value for required parameter 'run_id'");
    const r = this.store.run(id);
    if (!r) throw notFound(`Run '${id}' not found`);
    return r;
  }

  private activeRun(p: Params): StoredRun {
    const r = this.runOf(p);
    if (r.lifecycle_stage !== 'active') throw invalidParam(`The run ${r.run_id} must be in the 'active' state. Current state is ${r.lifecycle_stage}.`);
    return r;
  }

  // ---- experiments -----------------------------------------------------------------------

  searchExperiments(p: Params): Obj {
    const max = maxResults(p, MLFLOW_LIMITS.experimentsSearchDefault, MLFLOW_LIMITS.experimentsSearchMax);
    const view = p.str('view_type') ?? 'ACTIVE_ONLY';
    const clauses = parseExperimentFilter(p.str('filter'));
    const orderRaw = p.list('order_by');
    const query = { f: p.str('filter') ?? '', o: orderRaw, v: view, m: max };
    let list = this.store.experiments.filter((e) =>
      view === 'ALL' ? true : view === 'DELETED_ONLY' ? e.lifecycle_stage === 'deleted' : e.lifecycle_stage === 'active',
    );
    list = list.filter((e) =>
      clauses.every((c) => {
        const actual =
          c.field === 'tag' ? e.tags.find((t) => t.key === c.tag)?.value : c.field === 'name' ? e.name : e[c.field as 'creation_time' | 'last_update_time'];
        return compare(actual, { entity: 'attribute', key: c.field, op: c.op, value: c.value });
      }),
    );
    const order = orderRaw.map((raw) => {
      const m = /^\s*(\w+)(?:\s+(ASC|DESC))?\s*$/i.exec(raw.replace(/^attributes?\./i, ''));
      const field = m?.[1].toLowerCase();
      if (!m || !['name', 'creation_time', 'last_update_time', 'experiment_id'].includes(field ?? ''))
        throw invalidParam(`Invalid order_by clause '${raw}'. Valid fields are name, experiment_id, creation_time, last_update_time`);
      return { field: field as 'name' | 'creation_time' | 'last_update_time' | 'experiment_id', asc: (m[2] ?? 'ASC').toUpperCase() === 'ASC' };
    });
    // Default order [unconfirmed]: newest first, as OSS MLflow and the Databricks UI list them.
    if (!order.length) order.push({ field: 'creation_time', asc: false });
    list = [...list].sort((a, b) => {
      for (const o of order) {
        const x = a[o.field];
        const y = b[o.field];
        const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        if (c) return o.asc ? c : -c;
      }
      return a.experiment_id.localeCompare(b.experiment_id);
    });
    const offset = decodeToken(p.str('page_token'), query);
    const page = list.slice(offset, offset + max);
    const out: Obj = {};
    if (page.length) out.experiments = page.map((e) => this.experimentJson(e));
    if (offset + max < list.length) out.next_page_token = encodeToken(offset + max, query);
    return out;
  }

  getExperiment(p: Params): Obj {
    return { experiment: this.experimentJson(this.experimentOf(p.str('experiment_id'))) };
  }

  getExperimentByName(p: Params): Obj {
    const name = p.reqStr('experiment_name');
    const e = this.store.experimentByName(name);
    if (!e) throw notFound(`Could not find experiment with name '${name}'`);
    return { experiment: this.experimentJson(e) };
  }

  createExperiment(p: Params): Obj {
    const name = p.reqStr('name');
    // Workspace experiments are named by their path in the workspace (message wording [unconfirmed]).
    if (!name.startsWith('/'))
      throw invalidParam(
        `Got an invalid experiment name '${name}'. An experiment name must be an absolute path within the Databricks workspace, e.g. '/Users/<some-username>/my-experiment'.`,
      );
    if (this.store.experimentByName(name)) throw new ApiError(400, 'RESOURCE_ALREADY_EXISTS', `Node named '${name}' already exists`);
    return { experiment_id: this.store.createExperiment(name, kv(p.arr('tags'), 'tags')).experiment_id };
  }

  // ---- runs ------------------------------------------------------------------------------

  createRun(p: Params): Obj {
    const exp = this.experimentOf(p.str('experiment_id'));
    if (exp.lifecycle_stage !== 'active')
      throw invalidParam(`The experiment ${exp.experiment_id} must be in the 'active' state. Current state is ${exp.lifecycle_stage}.`);
    const run = this.store.createRun(exp, {
      runName: p.str('run_name'),
      userId: p.str('user_id') || this.userName,
      startTime: p.num('start_time'),
      tags: kv(p.arr('tags'), 'tags'),
    });
    return { run: this.runJson(run) };
  }

  getRun(p: Params): Obj {
    return { run: this.runJson(this.runOf(p)) };
  }

  updateRun(p: Params): Obj {
    const r = this.activeRun(p);
    const status = p.str('status');
    if (status) {
      if (!['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'].includes(status))
        throw invalidParam(`Invalid value ${status} for parameter 'status' supplied`);
      r.status = status as StoredRun['status'];
    }
    const end = p.num('end_time');
    if (end !== undefined) r.end_time = end;
    const name = p.str('run_name');
    if (name) {
      r.run_name = name;
      r.tags = [...r.tags.filter((t) => t.key !== 'mlflow.runName'), { key: 'mlflow.runName', value: name }];
    }
    this.store.changed();
    return { run_info: (this.runJson(r) as { info: Obj }).info };
  }

  deleteRun(p: Params): Obj {
    this.runOf(p).lifecycle_stage = 'deleted';
    this.store.changed();
    return {};
  }

  private logParams(r: StoredRun, params: KeyValue[]): void {
    for (const prm of params) {
      if (prm.value.length > MLFLOW_LIMITS.paramValueChars)
        throw invalidParam(
          `Param value '${prm.value.slice(0, 20)}…' had length ${prm.value.length}, which exceeded length limit of ${MLFLOW_LIMITS.paramValueChars}`,
        );
      const had = r.params.find((x) => x.key === prm.key);
      if (had && had.value !== prm.value)
        throw invalidParam(
          `Changing param values is not allowed. Param with key='${prm.key}' was already logged with value='${had.value}' for run ID='${r.run_id}'. Attempted logging new value '${prm.value}'.`,
        );
      if (!had) r.params.push(prm);
    }
  }

  private setTags(r: StoredRun, tags: KeyValue[]): void {
    for (const t of tags) {
      r.tags = [...r.tags.filter((x) => x.key !== t.key), t];
      if (t.key === 'mlflow.runName') r.run_name = t.value;
    }
  }

  private metricOf(m: Obj): StoredMetric {
    if (typeof m.key !== 'string' || !m.key) throw invalidParam("Missing value for required parameter 'key'");
    const timestamp = m.timestamp === undefined ? NaN : Number(m.timestamp);
    if (!Number.isFinite(timestamp)) throw invalidParam("Missing value for required parameter 'timestamp'");
    return { key: m.key, value: metricValue(m.value), timestamp, step: m.step === undefined ? 0 : Number(m.step) || 0 };
  }

  logMetric(p: Params): Obj {
    const r = this.activeRun(p);
    r.metrics.push(this.metricOf(p.body));
    this.store.changed();
    return {};
  }

  logParameter(p: Params): Obj {
    const r = this.activeRun(p);
    this.logParams(r, [{ key: p.reqStr('key'), value: p.str('value') ?? '' }]);
    this.store.changed();
    return {};
  }

  setTag(p: Params): Obj {
    const r = this.activeRun(p);
    this.setTags(r, [{ key: p.reqStr('key'), value: p.str('value') ?? '' }]);
    this.store.changed();
    return {};
  }

  logBatch(p: Params): Obj {
    const r = this.activeRun(p);
    const metrics = (p.arr('metrics') ?? []) as Obj[];
    const params = kv(p.arr('params'), 'params');
    const tags = kv(p.arr('tags'), 'tags');
    if (metrics.length > MLFLOW_LIMITS.batchMetrics)
      throw invalidParam(`A batch logging request can contain at most ${MLFLOW_LIMITS.batchMetrics} metrics. Got ${metrics.length} metrics.`);
    if (params.length > MLFLOW_LIMITS.batchParamsTags)
      throw invalidParam(`A batch logging request can contain at most ${MLFLOW_LIMITS.batchParamsTags} params. Got ${params.length} params.`);
    if (tags.length > MLFLOW_LIMITS.batchParamsTags)
      throw invalidParam(`A batch logging request can contain at most ${MLFLOW_LIMITS.batchParamsTags} tags. Got ${tags.length} tags.`);
    const parsed = metrics.map((m) => this.metricOf(m));
    this.logParams(r, params);
    this.setTags(r, tags);
    r.metrics.push(...parsed);
    this.store.changed();
    return {};
  }

  searchRuns(p: Params): Obj {
    const ids = p.list('experiment_ids');
    if (!ids.length) throw invalidParam("Missing value for required parameter 'experiment_ids'");
    for (const id of ids) this.experimentOf(id);
    const max = maxResults(p, MLFLOW_LIMITS.runsSearchDefault, MLFLOW_LIMITS.runsSearchMax);
    const view = p.str('run_view_type') ?? 'ACTIVE_ONLY';
    const clauses = parseRunFilter(p.str('filter'));
    const orderRaw = p.list('order_by');
    const order = parseOrderBy(orderRaw);
    const query = { e: [...ids].sort(), f: p.str('filter') ?? '', o: orderRaw, v: view, m: max };
    const offset = decodeToken(p.str('page_token'), query);
    const set = new Set(ids);
    const value = (r: StoredRun, entity: string, key: string): string | number | undefined => {
      if (entity === 'metric') {
        const m = this.store.latestMetrics(r).find((x) => x.key === key);
        return m?.value;
      }
      if (entity === 'param') return r.params.find((x) => x.key === key)?.value;
      if (entity === 'tag') return r.tags.find((x) => x.key === key)?.value;
      return (r as unknown as Record<string, string | number | undefined>)[key];
    };
    let runs = this.store.runs.filter(
      (r) => set.has(r.experiment_id) && (view === 'ALL' || (view === 'DELETED_ONLY' ? r.lifecycle_stage === 'deleted' : r.lifecycle_stage === 'active')),
    );
    runs = runs.filter((r) => clauses.every((c) => compare(value(r, c.entity, c.key), c)));
    runs.sort((a, b) => {
      for (const o of order) {
        const x = value(a, o.entity, o.key);
        const y = value(b, o.entity, o.key);
        // Runs without the value sort last, whatever the direction.
        if (x === undefined || y === undefined) {
          if (x !== y) return x === undefined ? 1 : -1;
          continue;
        }
        const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        if (c) return o.ascending ? c : -c;
      }
      return b.start_time - a.start_time || a.run_id.localeCompare(b.run_id);
    });
    const page = runs.slice(offset, offset + max);
    const out: Obj = {};
    if (page.length) out.runs = page.map((r) => this.runJson(r));
    if (offset + max < runs.length) out.next_page_token = encodeToken(offset + max, query);
    return out;
  }

  metricHistory(p: Params): Obj {
    const r = this.runOf(p);
    const key = p.reqStr('metric_key');
    const max = maxResults(p, MLFLOW_LIMITS.historyMax, MLFLOW_LIMITS.historyMax);
    const query = { r: r.run_id, k: key, m: max };
    const offset = decodeToken(p.str('page_token'), query);
    const all = r.metrics.filter((m) => m.key === key).sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
    const page = all.slice(offset, offset + max);
    const out: Obj = {};
    if (page.length) out.metrics = page.map((m) => ({ key: m.key, value: wireValue(m.value), timestamp: m.timestamp, step: m.step, run_id: r.run_id }));
    if (offset + max < all.length) out.next_page_token = encodeToken(offset + max, query);
    return out;
  }

  // ---- artifacts -------------------------------------------------------------------------

  /** A run-relative artifact path, checked: no climbing out of the run's artifact root. */
  private relPath(raw: string | undefined): string {
    const rel = (raw ?? '').replace(/^\/+|\/+$/g, '');
    if (rel.split('/').some((s) => s === '..')) throw invalidParam(`Invalid path: '${raw}' may not contain '..'`);
    return rel;
  }

  listArtifacts(p: Params): Obj {
    const r = this.runOf(p);
    const rel = this.relPath(p.str('path'));
    const dir = path.join(this.store.artifactDir(r), ...rel.split('/').filter(Boolean));
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => !d.name.endsWith('.part'));
    } catch {
      // A run without artifacts (or a path that is not there) lists nothing, as the service does.
      names = [];
    }
    names.sort((a, b) => a.name.localeCompare(b.name));
    const size = this.settings.artifactPageSize;
    const query = { r: r.run_id, p: rel };
    const offset = decodeToken(p.str('page_token'), query);
    const page = names.slice(offset, offset + size);
    const out: Obj = { root_uri: r.artifact_uri };
    if (page.length) {
      out.files = page.map((d) => {
        const childRel = rel ? `${rel}/${d.name}` : d.name;
        return d.isDirectory() ? { path: childRel, is_dir: true } : { path: childRel, is_dir: false, file_size: fs.statSync(path.join(dir, d.name)).size };
      });
    }
    if (offset + size < names.length) out.next_page_token = encodeToken(offset + size, query);
    return out;
  }

  async credentials(p: Params, method: 'GET' | 'PUT'): Promise<Obj> {
    const r = method === 'PUT' ? this.activeRun(p) : this.runOf(p);
    const paths = p.list('path');
    if (!paths.length) throw invalidParam("Missing value for required parameter 'path'. The list of paths must not be empty.");
    this.storage.ttlSeconds = this.settings.signedUrlTtlSeconds;
    const infos = [];
    for (const raw of paths) {
      const rel = this.relPath(raw);
      if (!rel) throw invalidParam(`Invalid path '${raw}': name an artifact below the run's root`);
      const objectPath = [r.experiment_id, r.run_id, 'artifacts', ...rel.split('/')].join('/');
      infos.push({ run_id: r.run_id, path: rel, signed_uri: await this.storage.sign(method, objectPath), type: 'AWS_PRESIGNED_URL' });
    }
    return { credential_infos: infos };
  }

  // ---- routing ---------------------------------------------------------------------------

  private limited(bucket: Bucket): void {
    if (!bucket.take())
      throw new ApiError(429, 'REQUEST_LIMIT_EXCEEDED', 'The rate limit of this API was exceeded. Please wait a moment and try again.', 'standard', {
        'Retry-After': '1',
      });
  }

  find(method: string, pathname: string): Route | undefined {
    if (!pathname.startsWith(`${BASE}/`)) return undefined;
    const op = pathname.slice(BASE.length + 1);
    const search = (fn: (p: Params) => unknown): Route => ({ handler: (p) => (this.limited(this.search), fn(p)) });
    const track = (fn: (p: Params) => unknown): Route => ({ handler: (p) => (this.limited(this.tracking), fn(p)) });
    const routes: Record<string, Route> = {
      'POST experiments/search': search((p) => this.searchExperiments(p)),
      'GET experiments/search': search((p) => this.searchExperiments(p)),
      'GET experiments/get': track((p) => this.getExperiment(p)),
      'GET experiments/get-by-name': track((p) => this.getExperimentByName(p)),
      'POST experiments/create': track((p) => this.createExperiment(p)),
      'POST runs/search': search((p) => this.searchRuns(p)),
      'POST runs/create': track((p) => this.createRun(p)),
      'GET runs/get': track((p) => this.getRun(p)),
      'POST runs/update': track((p) => this.updateRun(p)),
      'POST runs/delete': track((p) => this.deleteRun(p)),
      'POST runs/log-metric': track((p) => this.logMetric(p)),
      'POST runs/log-parameter': track((p) => this.logParameter(p)),
      'POST runs/set-tag': track((p) => this.setTag(p)),
      'POST runs/log-batch': track((p) => this.logBatch(p)),
      'GET metrics/get-history': track((p) => this.metricHistory(p)),
      'GET artifacts/list': track((p) => this.listArtifacts(p)),
      'POST artifacts/credentials-for-read': track((p) => this.credentials(p, 'GET')),
      'POST artifacts/credentials-for-write': track((p) => this.credentials(p, 'PUT')),
    };
    return routes[`${method} ${op}`];
  }

  // ---- admin -----------------------------------------------------------------------------

  private configure(next: Partial<MlflowAdminSettings>): MlflowAdminSettings {
    this.settings = { ...this.settings, ...next };
    this.search.setRate(this.settings.searchPerSecond);
    this.tracking.setRate(this.settings.trackingPerSecond);
    return this.settings;
  }

  /** Fills an experiment (made if missing) with runs in one call. */
  private seed(body: Obj): Obj {
    const name = typeof body.experiment === 'string' ? body.experiment : '';
    if (!name.startsWith('/')) throw invalidParam('seed: experiment must be a workspace path such as /Users/me/churn');
    const exp = this.store.experimentByName(name) ?? this.store.createExperiment(name);
    const runIds: string[] = [];
    for (const seed of (Array.isArray(body.runs) ? body.runs : []) as Obj[]) {
      const start = typeof seed.start_time === 'number' ? seed.start_time : Date.now();
      const toKv = (o: unknown) => Object.entries((o ?? {}) as Record<string, unknown>).map(([key, value]) => ({ key, value: String(value) }));
      const run = this.store.createRun(exp, {
        runName: typeof seed.run_name === 'string' ? seed.run_name : undefined,
        userId: typeof seed.user_id === 'string' ? seed.user_id : this.userName,
        startTime: start,
        tags: toKv(seed.tags),
        status: (seed.status as StoredRun['status']) ?? 'FINISHED',
      });
      if (typeof seed.end_time === 'number') run.end_time = seed.end_time;
      else if (run.status !== 'RUNNING') run.end_time = start + 60_000;
      run.params = toKv(seed.params);
      for (const [key, v] of Object.entries((seed.metrics ?? {}) as Record<string, unknown>)) {
        const values = Array.isArray(v) ? v : [v];
        values.forEach((x, step) => run.metrics.push({ key, value: metricValue(x), timestamp: start + step * 1000, step }));
      }
      for (const [rel, content] of Object.entries((seed.artifacts ?? {}) as Record<string, unknown>)) {
        const file = path.join(this.store.artifactDir(run), ...this.relPath(rel).split('/'));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(String((content as { base64?: string }).base64 ?? ''), 'base64');
        fs.writeFileSync(file, data);
      }
      runIds.push(run.run_id);
    }
    this.store.changed();
    return { experiment_id: exp.experiment_id, run_ids: runIds };
  }

  admin(method: string, pathname: string, body: Obj): unknown {
    if (pathname === '/__admin/mlflow' && method === 'GET') return { settings: this.settings, limits: MLFLOW_LIMITS, storage: this.storage.counters };
    if (pathname === '/__admin/mlflow' && method === 'POST') return { settings: this.configure(body as Partial<MlflowAdminSettings>) };
    if (pathname === '/__admin/mlflow/seed' && method === 'POST') return this.seed(body);
    if (pathname === '/__admin/mlflow/clear' && method === 'POST') {
      this.store.clear();
      return {};
    }
    return undefined;
  }

  reset(): void {
    this.configure({ ...DEFAULT_SETTINGS });
    this.storage.resetCounters();
  }

  async stop(): Promise<void> {
    this.store.flush();
    await this.storage.stop();
  }
}
