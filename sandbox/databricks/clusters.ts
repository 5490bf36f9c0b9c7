// Clusters 2.0/2.1 of the stand-in: seeded ClusterDetails and a state machine driven by the clock
// (PENDING → RUNNING after `startMs`, RESTARTING → RUNNING after `restartMs`, TERMINATING →
// TERMINATED after `terminateMs`). States advance lazily on every read, so no timers run.
import crypto from 'node:crypto';
import { ApiError, Params, fromPageToken, invalidParam, pageToken } from './http';

export type ClusterState = 'PENDING' | 'RUNNING' | 'RESTARTING' | 'RESIZING' | 'TERMINATING' | 'TERMINATED' | 'ERROR' | 'UNKNOWN';

export interface ClusterTimings {
  /** TERMINATED → PENDING → RUNNING. */
  startMs: number;
  /** RUNNING → RESTARTING → RUNNING. */
  restartMs: number;
  /** RUNNING → TERMINATING → TERMINATED. */
  terminateMs: number;
}

export const DEFAULT_CLUSTER_TIMINGS: ClusterTimings = { startMs: 3000, restartMs: 2000, terminateMs: 1500 };

/** A cluster to seed; anything not given gets a realistic default. */
export interface ClusterSeed {
  cluster_id?: string;
  cluster_name: string;
  state?: 'RUNNING' | 'TERMINATED';
  spark_version?: string;
  node_type_id?: string;
  num_workers?: number;
  autoscale?: { min_workers: number; max_workers: number };
  cluster_source?: string;
  data_security_mode?: string;
  [extra: string]: unknown;
}

export interface ClusterEvent {
  cluster_id: string;
  timestamp: number;
  type: string;
  details: Record<string, unknown>;
}

interface Cluster {
  details: Record<string, unknown> & { cluster_id: string; state: ClusterState };
  /** When the current transition completes, and into what. */
  transition?: { at: number; to: ClusterState };
  events: ClusterEvent[];
}

const STATE_WORDS: Record<ClusterState, string> = {
  PENDING: 'Pending',
  RUNNING: 'Running',
  RESTARTING: 'Restarting',
  RESIZING: 'Resizing',
  TERMINATING: 'Terminating',
  TERMINATED: 'Terminated',
  ERROR: 'Error',
  UNKNOWN: 'Unknown',
};

export function newClusterId(now = Date.now()): string {
  const d = new Date(now);
  const mmdd = `${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  const hms = `${String(d.getUTCHours()).padStart(2, '0')}${String(d.getUTCMinutes()).padStart(2, '0')}${String(d.getUTCSeconds()).padStart(2, '0')}`;
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const suffix = Array.from(crypto.randomBytes(8), (b) => alphabet[b % alphabet.length]).join('');
  return `${mmdd}-${hms}-${suffix}`;
}

export const DEFAULT_CLUSTER_SEEDS: ClusterSeed[] = [
  {
    cluster_id: '0124-165313-5fpp2uv9',
    cluster_name: 'ferry-shared-ml',
    state: 'RUNNING',
    spark_version: '14.3.x-cpu-ml-scala2.12',
    node_type_id: 'i3.xlarge',
    autoscale: { min_workers: 1, max_workers: 4 },
  },
  {
    cluster_id: '0311-092207-k3x9wq1a',
    cluster_name: 'ferry-etl-small',
    state: 'TERMINATED',
    spark_version: '13.3.x-scala2.12',
    node_type_id: 'm5d.large',
    num_workers: 2,
  },
];

export class ClusterRegistry {
  private readonly clusters = new Map<string, Cluster>();
  /** Called when a cluster stops running (terminate, restart): its contexts die with it. */
  onStopped: (clusterId: string) => void = () => undefined;

  constructor(
    private readonly timings: ClusterTimings,
    private readonly user: string,
    seeds: ClusterSeed[],
  ) {
    for (const seed of seeds) this.add(seed);
  }

  add(seed: ClusterSeed): string {
    const now = Date.now();
    const id = seed.cluster_id ?? newClusterId(now);
    const { state: seedState, ...rest } = seed;
    const state: ClusterState = seedState ?? 'TERMINATED';
    const workers = seed.autoscale ? seed.autoscale.min_workers : (seed.num_workers ?? 0);
    const details: Cluster['details'] = {
      cluster_id: id,
      creator_user_name: this.user,
      driver_node_type_id: seed.node_type_id ?? 'i3.xlarge',
      node_type_id: 'i3.xlarge',
      spark_version: '14.3.x-scala2.12',
      autotermination_minutes: 120,
      enable_elastic_disk: true,
      disk_spec: {},
      cluster_source: 'UI',
      enable_local_disk_encryption: false,
      aws_attributes: { first_on_demand: 1, availability: 'SPOT_WITH_FALLBACK', zone_id: 'us-east-1a', spot_bid_price_percent: 100 },
      data_security_mode: 'SINGLE_USER',
      single_user_name: this.user,
      runtime_engine: 'STANDARD',
      spark_conf: {},
      spark_env_vars: { PYSPARK_PYTHON: '/databricks/python3/bin/python3' },
      custom_tags: {},
      init_scripts: [],
      jdbc_port: 10000,
      cluster_memory_mb: 31232 * (1 + workers),
      cluster_cores: 4 * (1 + workers),
      spark_context_id: 0,
      start_time: now - 86_400_000,
      last_state_loss_time: 0,
      ...rest,
      state,
      state_message: '',
    };
    details.default_tags = { Vendor: 'Databricks', Creator: this.user, ClusterName: details.cluster_name, ClusterId: id };
    if (details.autoscale) delete details.num_workers;
    else details.num_workers = details.num_workers ?? 0;
    const cluster: Cluster = { details, events: [] };
    this.event(cluster, 'CREATING', { user: this.user });
    // A seeded running cluster has been up for an hour (its driver is past the not-ready moment).
    if (state === 'RUNNING') this.becomeRunning(cluster, now - 3_600_000);
    else this.becomeTerminated(cluster, { code: 'INACTIVITY', type: 'SUCCESS', parameters: { inactivity_duration_min: '120' } }, now);
    this.clusters.set(id, cluster);
    return id;
  }

  private event(c: Cluster, type: string, details: Record<string, unknown>, at = Date.now()): void {
    c.events.push({ cluster_id: c.details.cluster_id, timestamp: at, type, details });
  }

  private becomeRunning(c: Cluster, at: number): void {
    const d = c.details;
    d.state = 'RUNNING';
    d.state_message = '';
    d.spark_context_id = Number(BigInt.asIntN(63, crypto.randomBytes(8).readBigInt64BE()) % 9_000_000_000_000_000_000n);
    d.driver = {
      node_id: crypto.randomBytes(16).toString('hex'),
      instance_id: `i-0${crypto.randomBytes(8).toString('hex')}`,
      private_ip: '10.0.1.10',
      public_dns: '',
      start_timestamp: at,
      host_private_ip: '10.0.0.10',
    };
    const n = d.autoscale ? (d.autoscale as { min_workers: number }).min_workers : Number(d.num_workers ?? 0);
    d.executors = Array.from({ length: n }, (_, i) => ({
      node_id: crypto.randomBytes(16).toString('hex'),
      instance_id: `i-0${crypto.randomBytes(8).toString('hex')}`,
      private_ip: `10.0.1.${11 + i}`,
      public_dns: '',
      start_timestamp: at,
      host_private_ip: `10.0.0.${11 + i}`,
    }));
    delete d.termination_reason;
    delete d.terminated_time;
    this.event(c, 'RUNNING', { current_num_workers: n, target_num_workers: n }, at);
    this.event(c, 'DRIVER_HEALTHY', {}, at);
  }

  private becomeTerminated(c: Cluster, reason: Record<string, unknown>, at: number): void {
    const d = c.details;
    d.state = 'TERMINATED';
    d.state_message = reason.code === 'USER_REQUEST' ? `Termination requested by ${this.user}` : 'Inactive cluster terminated (inactive for 120 minutes).';
    d.termination_reason = reason;
    d.terminated_time = at;
    d.last_activity_time = at;
    delete d.driver;
    delete d.executors;
    this.event(c, 'TERMINATING', { reason }, at);
  }

  /** Moves a cluster through any transition whose time has come. */
  private advance(c: Cluster): void {
    const t = c.transition;
    if (!t || Date.now() < t.at) return;
    c.transition = undefined;
    if (t.to === 'RUNNING') {
      if (c.details.state === 'RESTARTING') c.details.last_restarted_time = t.at;
      else c.details.start_time = t.at;
      this.becomeRunning(c, t.at);
    } else if (t.to === 'TERMINATED') {
      this.becomeTerminated(c, { code: 'USER_REQUEST', type: 'SUCCESS', parameters: { username: this.user } }, t.at);
    }
  }

  private find(id: string | undefined): Cluster {
    if (!id) throw invalidParam('Missing required field: cluster_id');
    const c = this.clusters.get(id);
    if (!c) throw invalidParam(`Cluster ${id} does not exist`);
    this.advance(c);
    return c;
  }

  /** The state of a cluster, or undefined when there is no such cluster. */
  state(id: string): ClusterState | undefined {
    const c = this.clusters.get(id);
    if (!c) return undefined;
    this.advance(c);
    return c.details.state;
  }

  /** A cluster's details (after any due transition), for the parts that depend on them (output caps, readiness). */
  details(id: string): Readonly<Record<string, unknown>> | undefined {
    const c = this.clusters.get(id);
    if (!c) return undefined;
    this.advance(c);
    return c.details;
  }

  /** When the cluster last became RUNNING (its driver's start), or undefined when it is not running. */
  runningSince(id: string): number | undefined {
    const d = this.details(id) as { state?: string; driver?: { start_timestamp?: number } } | undefined;
    return d && (d.state === 'RUNNING' || d.state === 'RESIZING') ? d.driver?.start_timestamp : undefined;
  }

  ids(): string[] {
    return [...this.clusters.keys()];
  }

  exists(id: string): boolean {
    return this.clusters.has(id);
  }

  private listItem(c: Cluster): Record<string, unknown> {
    const { spec: _spec, ...rest } = c.details;
    return rest;
  }

  list(p: Params, paged: boolean): Record<string, unknown> {
    let all = [...this.clusters.values()];
    all.forEach((c) => this.advance(c));
    const states = p.list('filter_by.cluster_states');
    const sources = p.list('filter_by.cluster_sources');
    if (states.length) all = all.filter((c) => states.includes(c.details.state));
    if (sources.length) all = all.filter((c) => sources.includes(String(c.details.cluster_source)));
    const field = p.str('sort_by.field');
    const desc = p.str('sort_by.direction') === 'DESC';
    if (field === 'CLUSTER_NAME') all.sort((a, b) => String(a.details.cluster_name).localeCompare(String(b.details.cluster_name)));
    else all.sort((a, b) => rank(a.details.state) - rank(b.details.state) || String(a.details.cluster_name).localeCompare(String(b.details.cluster_name)));
    if (desc) all.reverse();
    const items = all.map((c) => this.listItem(c));
    if (!paged) return { clusters: items };
    const size = Math.min(Math.max(p.num('page_size') ?? 100, 1), 100);
    const offset = fromPageToken(p.str('page_token'));
    const page = items.slice(offset, offset + size);
    const out: Record<string, unknown> = { clusters: page };
    if (offset + size < items.length) out.next_page_token = pageToken(offset + size);
    if (offset > 0) out.prev_page_token = pageToken(Math.max(0, offset - size));
    return out;
  }

  get(p: Params): Record<string, unknown> {
    const c = this.find(p.str('cluster_id'));
    const { spec: _s, ...d } = c.details;
    const spec: Record<string, unknown> = {};
    for (const k of [
      'cluster_name',
      'spark_version',
      'node_type_id',
      'driver_node_type_id',
      'num_workers',
      'autoscale',
      'autotermination_minutes',
      'spark_conf',
      'spark_env_vars',
      'custom_tags',
      'data_security_mode',
      'single_user_name',
      'runtime_engine',
      'aws_attributes',
    ]) {
      if (d[k] !== undefined) spec[k] = d[k];
    }
    return { ...d, spec };
  }

  create(p: Params): Record<string, unknown> {
    const name = p.reqStr('cluster_name');
    const id = this.add({ ...p.body, cluster_name: name, state: 'TERMINATED', cluster_source: 'API' } as ClusterSeed);
    const c = this.find(id);
    c.events = c.events.filter((e) => e.type === 'CREATING');
    this.startTransition(c, 'STARTING');
    return { cluster_id: id };
  }

  private startTransition(c: Cluster, eventType: string): void {
    c.details.state = 'PENDING';
    c.details.state_message = 'Finding instances for new nodes, acquiring more instances if necessary';
    delete c.details.termination_reason;
    delete c.details.terminated_time;
    c.transition = { at: Date.now() + this.timings.startMs, to: 'RUNNING' };
    this.event(c, eventType, { user: this.user });
  }

  start(p: Params): Record<string, unknown> {
    const c = this.find(p.str('cluster_id'));
    if (c.details.state !== 'TERMINATED' && c.details.state !== 'ERROR') {
      throw new ApiError(400, 'INVALID_STATE', `Cluster ${c.details.cluster_id} is in unexpected state ${STATE_WORDS[c.details.state]}.`);
    }
    this.startTransition(c, 'STARTING');
    return {};
  }

  restart(p: Params): Record<string, unknown> {
    const c = this.find(p.str('cluster_id'));
    if (c.details.state !== 'RUNNING' && c.details.state !== 'RESIZING') {
      throw new ApiError(400, 'INVALID_STATE', `Cluster ${c.details.cluster_id} is in unexpected state ${STATE_WORDS[c.details.state]}.`);
    }
    c.details.state = 'RESTARTING';
    c.details.state_message = 'Restarting Spark';
    c.transition = { at: Date.now() + this.timings.restartMs, to: 'RUNNING' };
    this.event(c, 'RESTARTING', { user: p.str('restart_user') ?? this.user });
    this.onStopped(c.details.cluster_id);
    return {};
  }

  terminate(p: Params): Record<string, unknown> {
    const c = this.find(p.str('cluster_id'));
    if (c.details.state === 'TERMINATED' || c.details.state === 'TERMINATING') return {};
    c.details.state = 'TERMINATING';
    c.details.state_message = `Termination requested by ${this.user}`;
    c.transition = { at: Date.now() + this.timings.terminateMs, to: 'TERMINATED' };
    this.onStopped(c.details.cluster_id);
    return {};
  }

  permanentDelete(p: Params): Record<string, unknown> {
    const c = this.find(p.str('cluster_id'));
    this.onStopped(c.details.cluster_id);
    this.clusters.delete(c.details.cluster_id);
    return {};
  }

  events(p: Params): Record<string, unknown> {
    const c = this.find(p.str('cluster_id'));
    const types = p.list('event_types');
    const from = p.num('start_time');
    const to = p.num('end_time');
    let evs = c.events.filter(
      (e) => (!types.length || types.includes(e.type)) && (from === undefined || e.timestamp >= from) && (to === undefined || e.timestamp <= to),
    );
    const asc = p.str('order') === 'ASC';
    evs = asc ? [...evs] : [...evs].reverse();
    const offset = p.num('offset') ?? 0;
    const limit = Math.min(p.num('limit') ?? 50, 500);
    const page = evs.slice(offset, offset + limit);
    const out: Record<string, unknown> = { events: page, total_count: evs.length };
    if (offset + limit < evs.length) out.next_page = { ...p.body, cluster_id: c.details.cluster_id, offset: offset + limit, limit };
    return out;
  }
}

function rank(s: ClusterState): number {
  return s === 'RUNNING' ? 0 : s === 'TERMINATED' ? 2 : 1;
}

export const SPARK_VERSIONS = {
  versions: [
    { key: '15.4.x-scala2.12', name: '15.4 LTS (includes Apache Spark 3.5.0, Scala 2.12)' },
    { key: '14.3.x-scala2.12', name: '14.3 LTS (includes Apache Spark 3.5.0, Scala 2.12)' },
    { key: '14.3.x-cpu-ml-scala2.12', name: '14.3 LTS ML (includes Apache Spark 3.5.0, Scala 2.12)' },
    { key: '13.3.x-scala2.12', name: '13.3 LTS (includes Apache Spark 3.4.1, Scala 2.12)' },
  ],
};

export const NODE_TYPES = {
  node_types: [
    { node_type_id: 'm5d.large', memory_mb: 8192, num_cores: 2, description: 'm5d.large', instance_type_id: 'm5d.large', category: 'General Purpose' },
    { node_type_id: 'i3.xlarge', memory_mb: 31232, num_cores: 4, description: 'i3.xlarge', instance_type_id: 'i3.xlarge', category: 'Storage Optimized' },
  ],
};
