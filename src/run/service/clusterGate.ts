// Makes sure a cluster is running before code runs on it: a running cluster passes at once; a
// terminated one is started (after asking, unless the auto-start setting says so) and waited for,
// with each state reported for the progress notification.
import { CancelledError, FerryError } from '../../core/errors';
import { DatabricksError } from '../../databricks/errors';
import { DatabricksTransport } from '../../databricks/transport';
import { adaptiveSchedule, pollUntil, PollSchedule } from './pollSchedule';

export type ClusterState = 'PENDING' | 'RUNNING' | 'RESTARTING' | 'RESIZING' | 'TERMINATING' | 'TERMINATED' | 'ERROR' | 'UNKNOWN';

export interface ClusterInfo {
  cluster_id: string;
  cluster_name?: string;
  state: ClusterState;
  state_message?: string;
  /** The runtime (`14.3.x-scala2.12`) and Spark conf decide the cap on a command's text result. */
  spark_version?: string;
  spark_conf?: Record<string, unknown>;
}

export interface EnsureRunningOptions {
  /** Start a terminated cluster without asking. */
  autoStart: boolean;
  /** Asked when the cluster is terminated and autoStart is off; false declines. */
  confirmStart?: (cluster: ClusterInfo) => Promise<boolean>;
  onState?: (state: ClusterState, message?: string) => void;
  signal?: AbortSignal;
  schedule?: PollSchedule;
  /** Give up waiting after this long (default 20 min). */
  timeoutMs?: number;
}

export const START_CLUSTER_COMMAND = 'ferry.databricks.startCluster';

export class ClusterNotRunningError extends FerryError {
  constructor(cluster: ClusterInfo) {
    super('clusterNotRunning', `Cluster "${cluster.cluster_name ?? cluster.cluster_id}" is ${cluster.state.toLowerCase()}; start it to run code on it.`, [
      { title: 'Start Cluster', command: START_CLUSTER_COMMAND, args: [cluster.cluster_id] },
    ]);
    this.name = 'ClusterNotRunningError';
  }
}

const READY = new Set<ClusterState>(['RUNNING', 'RESIZING']);

export class ClusterGate {
  constructor(readonly transport: DatabricksTransport) {}

  get(clusterId: string, signal?: AbortSignal): Promise<ClusterInfo> {
    return this.transport.request<ClusterInfo>('GET', '/api/2.0/clusters/get', { query: { cluster_id: clusterId }, signal });
  }

  async start(clusterId: string): Promise<void> {
    try {
      await this.transport.request('POST', '/api/2.0/clusters/start', { body: { cluster_id: clusterId } });
    } catch (err) {
      // INVALID_STATE: someone else started it meanwhile (the SDKs treat it the same way).
      if (!(err instanceof DatabricksError && err.errorCode === 'INVALID_STATE')) throw err;
    }
  }

  /** Returns once the cluster is RUNNING (or RESIZING); starts it if allowed. */
  async ensureRunning(clusterId: string, opts: EnsureRunningOptions): Promise<ClusterInfo> {
    const info = await this.get(clusterId, opts.signal);
    if (READY.has(info.state)) return info;
    opts.onState?.(info.state, info.state_message);
    if (info.state === 'TERMINATED' || info.state === 'ERROR' || info.state === 'UNKNOWN' || info.state === 'TERMINATING') {
      if (!opts.autoStart) {
        const yes = opts.confirmStart ? await opts.confirmStart(info) : false;
        if (!yes) throw new ClusterNotRunningError(info);
      }
      if (info.state === 'TERMINATING') await this.waitFor(clusterId, (s) => s === 'TERMINATED', opts);
      await this.start(clusterId);
    }
    const started = Date.now();
    return this.waitFor(
      clusterId,
      (s) => {
        if (READY.has(s)) return true;
        // Right after start the state may still read TERMINATED for a moment.
        if ((s === 'TERMINATED' || s === 'ERROR') && Date.now() - started > 15_000)
          throw new FerryError('clusterNotRunning', `Cluster ${clusterId} stopped while starting (${s})`);
        return false;
      },
      opts,
    );
  }

  private async waitFor(clusterId: string, done: (s: ClusterState) => boolean, opts: EnsureRunningOptions): Promise<ClusterInfo> {
    const deadline = Date.now() + (opts.timeoutMs ?? 20 * 60_000);
    let last: ClusterState | undefined;
    return pollUntil<ClusterInfo>(
      async () => {
        if (opts.signal?.aborted) throw new CancelledError();
        const info = await this.get(clusterId, opts.signal);
        if (info.state !== last) {
          last = info.state;
          opts.onState?.(info.state, info.state_message);
        }
        if (done(info.state)) return info;
        if (Date.now() > deadline) throw new FerryError('clusterNotRunning', `Cluster ${clusterId} did not start in time (last state ${info.state})`);
        return undefined;
      },
      opts.schedule ?? adaptiveSchedule({ firstMs: 200, capMs: 5000 }),
      opts.signal,
    );
  }
}
