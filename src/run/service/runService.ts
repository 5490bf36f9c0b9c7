// Run on cluster, editor-free: push what changed, make sure the cluster runs (only when there is
// no live session yet: a live session proves it, and saves a round trip per run), run the wrapped
// code in the persistent session of (cluster, folder), and turn the result into outputs.
import { Logger, silentLogger } from '../../core/logger';
import { ResultOutput } from '../../results/model';
import { ClusterGate, ClusterInfo, ClusterState } from './clusterGate';
import { CommandState, isClusterNotRunning } from './execution';
import { PathMapper } from './paths';
import { adaptiveSchedule, PollSchedule } from './pollSchedule';
import { wrapPython } from './prelude';
import { WorkspacePusher } from './push';
import { convertResults } from './results';
import { SessionKey, SessionManager } from './sessions';

export interface RunTarget {
  clusterId: string;
  /** Stable id of the workspace folder (its URI); one session per (cluster, folder). */
  folder: string;
  mapper: PathMapper;
}

export type RunKind = 'file' | 'cell' | 'selection' | 'notebookCell';

export interface RunRequest {
  target: RunTarget;
  kind: RunKind;
  code: string;
  /** The local file the code comes from (sets __file__, the working directory and sys.path). */
  localFile: string;
  /** 0-based line of the file where `code` starts. */
  lineOffset?: number;
  /** Local files to push first (changed ones only are sent), e.g. the folder's files. */
  push?: string[];
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  onStarted?: (commandId: string) => void;
}

export interface RunOutcome {
  state: 'succeeded' | 'failed' | 'cancelled';
  outputs: ResultOutput[];
  durationMs: number;
  newSession: boolean;
  sessionLost: boolean;
  pushed: number;
  remoteFile: string;
}

export interface RunServiceOptions {
  /** Read per run, so setting changes apply at once. */
  settings: () => { autoStartCluster: boolean; pollIntervalCapMs: number };
  confirmStart?: (cluster: ClusterInfo) => Promise<boolean>;
  logger?: Logger;
  /** Overrides the poll schedule (benchmarks simulate other tools' polling with it). */
  schedule?: PollSchedule;
}

export class RunService {
  private readonly logger: Logger;

  constructor(
    readonly sessions: SessionManager,
    private readonly gate: ClusterGate,
    private readonly pusher: WorkspacePusher | undefined,
    private readonly options: RunServiceOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  schedule(): PollSchedule {
    return this.options.schedule ?? adaptiveSchedule({ capMs: this.options.settings().pollIntervalCapMs });
  }

  /** Ensures the cluster is running, starting it (with consent or by setting) and reporting progress. */
  async ensureCluster(clusterId: string, signal?: AbortSignal, onProgress?: (m: string) => void): Promise<ClusterInfo> {
    return this.gate.ensureRunning(clusterId, {
      autoStart: this.options.settings().autoStartCluster,
      confirmStart: this.options.confirmStart,
      signal,
      onState: (s: ClusterState, msg?: string) => onProgress?.(s === 'RUNNING' ? 'Cluster running' : `Cluster ${s.toLowerCase()}${msg ? `: ${msg}` : ''}…`),
    });
  }

  remoteFileFor(target: RunTarget, localFile: string): string {
    const mapped = target.mapper.toRemote(localFile);
    if (mapped && mapped !== target.mapper.remoteRoot) return mapped;
    // A file outside the folder (or untitled) still gets a stable name under the remote root.
    const base = localFile.split(/[\\/]/).pop() || 'untitled.py';
    return `${target.mapper.remoteRoot}/${base}`;
  }

  async run(req: RunRequest): Promise<RunOutcome> {
    const started = performance.now();
    const { target } = req;
    const key: SessionKey = { clusterId: target.clusterId, folder: target.folder };
    let pushed = 0;
    if (req.push?.length && this.pusher) {
      const r = await this.pusher.push(req.push, target.mapper, {
        signal: req.signal,
        onProgress: (done, total) => req.onProgress?.(`Pushing files ${done}/${total}…`),
      });
      pushed = r.uploaded.length;
    }
    const remoteFile = this.remoteFileFor(target, req.localFile);
    const command = wrapPython({ code: req.code.replace(/\r\n/g, '\n'), remoteFile, remoteRoot: target.mapper.remoteRoot, lineOffset: req.lineOffset ?? 0 });
    if (!this.sessions.has(key)) await this.ensureCluster(target.clusterId, req.signal, req.onProgress);
    const exec = () =>
      this.sessions.run(key, command, {
        signal: req.signal,
        schedule: this.schedule(),
        onStarted: req.onStarted,
        onState: (s: CommandState) => req.onProgress?.(s === 'Queued' ? 'Queued…' : s === 'Running' ? 'Running…' : s === 'Cancelling' ? 'Cancelling…' : s),
      });
    let result;
    try {
      result = await exec();
    } catch (err) {
      if (!isClusterNotRunning(err)) throw err;
      this.logger.info(`cluster ${target.clusterId} is not running any more; starting it and a new session`);
      this.sessions.forget(key);
      await this.ensureCluster(target.clusterId, req.signal, req.onProgress);
      result = { ...(await exec()), sessionLost: true };
    }
    const outputs = convertResults(result.results, target.mapper);
    const state = result.state === 'cancelled' ? 'cancelled' : outputs.some((o) => o.kind === 'error') ? 'failed' : 'succeeded';
    return { state, outputs, durationMs: performance.now() - started, newSession: result.newSession, sessionLost: result.sessionLost, pushed, remoteFile };
  }
}
