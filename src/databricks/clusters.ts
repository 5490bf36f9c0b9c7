// Clusters API 2.1: list, get, start, terminate, restart and events, plus the pure facts the
// views show (state groups, descriptions). No editor API here.
import { sleep as defaultSleep } from '../core/retry';
import { count } from '../core/text';
import { DatabricksError } from './errors';
import { DatabricksTransport } from './transport';

export type ClusterState = 'PENDING' | 'RUNNING' | 'RESTARTING' | 'RESIZING' | 'TERMINATING' | 'TERMINATED' | 'ERROR' | 'UNKNOWN';

export interface ClusterDetails {
  cluster_id: string;
  cluster_name?: string;
  state?: ClusterState;
  state_message?: string;
  spark_version?: string;
  node_type_id?: string;
  driver_node_type_id?: string;
  num_workers?: number;
  autoscale?: { min_workers?: number; max_workers?: number };
  autotermination_minutes?: number;
  creator_user_name?: string;
  cluster_source?: string;
  data_security_mode?: string;
  single_user_name?: string;
  runtime_engine?: string;
  start_time?: number;
  terminated_time?: number;
  last_restarted_time?: number;
  cluster_memory_mb?: number;
  cluster_cores?: number;
  executors?: unknown[];
  termination_reason?: { code?: string; type?: string; parameters?: Record<string, string> };
  [key: string]: unknown;
}

export interface ClusterEvent {
  cluster_id: string;
  timestamp?: number;
  type?: string;
  details?: Record<string, unknown>;
}

/** States in which the cluster is moving on its own; the views poll while one is shown. */
export const TRANSITIONAL: ReadonlySet<ClusterState> = new Set(['PENDING', 'RESTARTING', 'RESIZING', 'TERMINATING']);

export function isTransitional(state: ClusterState | undefined): boolean {
  return state !== undefined && TRANSITIONAL.has(state);
}

/** Which actions make sense in a state (start only when stopped, and so on). */
export function clusterActions(state: ClusterState | undefined): { start: boolean; stop: boolean; restart: boolean } {
  switch (state) {
    case 'TERMINATED':
    case 'ERROR':
    case 'UNKNOWN':
    case undefined:
      return { start: true, stop: false, restart: false };
    case 'RUNNING':
    case 'RESIZING':
      return { start: false, stop: true, restart: true };
    case 'PENDING':
    case 'RESTARTING':
      return { start: false, stop: true, restart: false };
    case 'TERMINATING':
      return { start: false, stop: false, restart: false };
  }
}

/** "13.3 LTS · i3.xlarge · 2–8 workers" style description. */
export function describeCluster(c: ClusterDetails): string {
  const parts: string[] = [];
  const runtime = runtimeVersion(c.spark_version);
  if (runtime) parts.push(`DBR ${runtime}${c.runtime_engine === 'PHOTON' ? ' Photon' : ''}`);
  if (c.node_type_id) parts.push(c.node_type_id);
  parts.push(workersText(c));
  return parts.join(' · ');
}

export function workersText(c: ClusterDetails): string {
  if (c.autoscale && (c.autoscale.min_workers !== undefined || c.autoscale.max_workers !== undefined)) {
    return `${c.autoscale.min_workers ?? 0}–${c.autoscale.max_workers ?? '?'} workers (autoscale)`;
  }
  const n = c.num_workers ?? 0;
  return n === 0 ? 'single node' : count(n, 'worker');
}

/** The DBR version from a spark_version key (`13.3.x-scala2.12` → `13.3`, `custom:foo__14.1.x-…` → `14.1`). */
export function runtimeVersion(sparkVersion: string | undefined): string | undefined {
  if (!sparkVersion) return undefined;
  const m = /^(?:custom:.*?__)?(.*?)-/.exec(sparkVersion);
  const key = m ? m[1] : sparkVersion;
  return key.replace(/\.x$/, '').replace(/\.x-/, '-');
}

export interface ListClustersOptions {
  signal?: AbortSignal;
  /** Only clusters a user made (API and UI), as the official extension lists them. */
  userClustersOnly?: boolean;
}

export class ClustersService {
  constructor(private readonly transport: DatabricksTransport) {}

  get host(): string {
    return this.transport.host;
  }

  /** Every cluster, following next_page_token. */
  async list(opts: ListClustersOptions = {}): Promise<ClusterDetails[]> {
    const out: ClusterDetails[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 50; page++) {
      const res = await this.transport.request<{ clusters?: ClusterDetails[]; next_page_token?: string }>('GET', '/api/2.1/clusters/list', {
        query: { page_size: 100, page_token: pageToken, filter_by: opts.userClustersOnly ? { cluster_sources: ['API', 'UI'] } : undefined },
        signal: opts.signal,
      });
      out.push(...(res.clusters ?? []));
      if (!res.next_page_token || res.next_page_token === pageToken) break;
      pageToken = res.next_page_token;
    }
    return out;
  }

  async get(clusterId: string, signal?: AbortSignal): Promise<ClusterDetails> {
    return this.transport.request<ClusterDetails>('GET', '/api/2.1/clusters/get', { query: { cluster_id: clusterId }, signal });
  }

  /** Starts a stopped cluster. A cluster that is already starting or running is left alone. */
  async start(clusterId: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.transport.request('POST', '/api/2.1/clusters/start', { body: { cluster_id: clusterId }, signal });
    } catch (err) {
      // The real server answers INVALID_STATE when someone else started it already: that is fine.
      if (err instanceof DatabricksError && err.errorCode === 'INVALID_STATE' && /Running|Pending|Resizing|Restarting/i.test(err.serverMessage)) return;
      throw err;
    }
  }

  /** Terminates the cluster (clusters/delete); it stays listed as TERMINATED. */
  async stop(clusterId: string, signal?: AbortSignal): Promise<void> {
    await this.transport.request('POST', '/api/2.1/clusters/delete', { body: { cluster_id: clusterId }, signal });
  }

  async restart(clusterId: string, signal?: AbortSignal): Promise<void> {
    await this.transport.request('POST', '/api/2.1/clusters/restart', { body: { cluster_id: clusterId }, signal });
  }

  /** The most recent events, newest first. */
  async events(clusterId: string, limit = 50, signal?: AbortSignal): Promise<ClusterEvent[]> {
    const res = await this.transport.request<{ events?: ClusterEvent[] }>('POST', '/api/2.1/clusters/events', {
      body: { cluster_id: clusterId, order: 'DESC', limit },
      signal,
    });
    return res.events ?? [];
  }

  /**
   * Polls until the cluster reaches `target` (or fails: ERROR, or TERMINATED when waiting for
   * RUNNING), with backoff from 1 s up to `capMs`. Reports each state seen.
   */
  async waitFor(
    clusterId: string,
    target: ClusterState,
    opts: {
      signal?: AbortSignal;
      capMs?: number;
      onState?: (c: ClusterDetails) => void;
      timeoutMs?: number;
      sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
    } = {},
  ): Promise<ClusterDetails> {
    const sleep = opts.sleep ?? defaultSleep;
    const cap = opts.capMs ?? 10_000;
    const deadline = Date.now() + (opts.timeoutMs ?? 30 * 60_000);
    let delay = Math.min(1000, cap);
    let sawTransition = false;
    for (;;) {
      const c = await this.get(clusterId, opts.signal);
      opts.onState?.(c);
      if (c.state === target) return c;
      if (isTransitional(c.state)) sawTransition = true;
      if (c.state === 'ERROR' || (target === 'RUNNING' && c.state === 'TERMINATED' && sawTransition)) {
        throw new DatabricksError({
          errorCode: 'INVALID_STATE',
          message: `Cluster ${c.cluster_name ?? clusterId} ended up ${c.state}${c.state_message ? `: ${c.state_message}` : ''}`,
          status: 0,
          kind: 'clusterNotRunning',
        });
      }
      if (Date.now() > deadline)
        throw new DatabricksError({
          errorCode: 'TIMEOUT',
          message: `Cluster ${c.cluster_name ?? clusterId} did not become ${target} in time (still ${c.state})`,
          status: 0,
        });
      await sleep(delay, opts.signal);
      delay = Math.min(cap, Math.round(delay * 1.5));
    }
  }
}
