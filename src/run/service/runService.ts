// Run on cluster, editor-free: push what changed, make sure the cluster runs (only when there is
// no live session yet: a live session proves it, and saves a round trip per run), run the code in
// the persistent session of (cluster, folder) through the session code (runtime.ts), read its
// output while it runs from the cluster's reader session, and drain the rest when it ends.
//
// Every output goes to a spool on the driver, never into the command's own result, so that no
// result Ferry reads is over the cluster's cap (outputBudget.ts) however much the code prints.
// Never twice: a command that may have started is not sent again (execution.ts); only an execute
// request the cluster refused (the context gone, the cluster stopped) is sent again.
import { createHash, randomUUID } from 'node:crypto';
import { FerryError } from '../../core/errors';
import { Logger, silentLogger } from '../../core/logger';
import { ResultOutput } from '../../results/model';
import { ClusterGate, ClusterInfo, ClusterState } from './clusterGate';
import { CommandState, isClusterNotRunning, SessionLostError } from './execution';
import { LiveCallbacks, RunOutputReader, SliceSource, tailSchedule } from './liveOutput';
import { ClusterOutputFacts, resultBudget } from './outputBudget';
import { PathMapper } from './paths';
import { adaptiveSchedule, PollSchedule } from './pollSchedule';
import { WorkspacePusher } from './push';
import { ReaderPool, readIn } from './reader';
import { readDbfsFile } from '../../databricks/dbfs';
import { convertResultsFetchingImages, isCancelledResult } from './results';
import { SessionRuntime } from './runtime';
import { SessionVariables } from './sessionVariables';
import { SessionKey, SessionManager, SessionRunResult } from './sessions';
import { parseRunResult, RunSummary, SessionVariable } from './spool';

export interface RunTarget {
  clusterId: string;
  /** Stable id of the workspace folder (its URI); one session per (cluster, folder). */
  folder: string;
  mapper: PathMapper;
}

export type RunKind = 'file' | 'cell' | 'selection' | 'notebookCell';

export interface RunRequest extends LiveCallbacks {
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
  /** Set when the command had started and was cut off: what to tell the user (it may have partly run). */
  lost?: string;
  pushed: number;
  remoteFile: string;
  /** Slice reads made for this run's output, and the characters of each result read (tests, benches). */
  reads: { slices: number; resultChars: number[] };
  /** The session's variables after the run (for the Session view). */
  variables?: SessionVariable[];
  /** Modules a %pip install replaced after the session had imported them: the session needs a restart. */
  restartModules?: string[];
}

export interface RunServiceOptions {
  /** Read per run, so setting changes apply at once. */
  settings: () => { autoStartCluster: boolean; pollIntervalCapMs: number };
  confirmStart?: (cluster: ClusterInfo) => Promise<boolean>;
  logger?: Logger;
  /** Overrides the poll schedule (benchmarks simulate other tools' polling with it). */
  schedule?: PollSchedule;
  /** The session code (default: loaded from the package or the source tree). */
  runtime?: SessionRuntime;
  /** Set false to read output only when a command ends (benchmarks compare both). */
  liveOutput?: boolean;
}

const MAX_ROWS = 10_000;

/** A session's id on the driver (names its variables listing): stable per (cluster, folder). */
export function sessionId(key: SessionKey): string {
  return createHash('sha256').update(`${key.clusterId}\u0000${key.folder}`).digest('hex').slice(0, 24);
}

export class RunService {
  private readonly logger: Logger;
  readonly runtime: SessionRuntime;
  readonly readers: ReaderPool;
  /** Each session's variables after its last run (the Session view). */
  readonly variables: SessionVariables;
  /** What each cluster's output cap is, learnt from its details. */
  private readonly facts = new Map<string, ClusterOutputFacts>();
  /** Runs on one session go one after another (their output reads included). */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Spools read to the end, removed by the session's next run. */
  private readonly finished = new Map<string, string[]>();

  constructor(
    readonly sessions: SessionManager,
    private readonly gate: ClusterGate,
    private readonly pusher: WorkspacePusher | undefined,
    private readonly options: RunServiceOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
    this.runtime = options.runtime ?? SessionRuntime.load();
    this.readers = new ReaderPool(sessions.api, this.runtime, this.logger);
    this.variables = new SessionVariables(this.readers, sessionId);
  }

  schedule(): PollSchedule {
    return this.options.schedule ?? adaptiveSchedule({ capMs: this.options.settings().pollIntervalCapMs });
  }

  /** Ensures the cluster is running, starting it (with consent or by setting) and reporting progress. */
  async ensureCluster(clusterId: string, signal?: AbortSignal, onProgress?: (m: string) => void): Promise<ClusterInfo> {
    const info = await this.gate.ensureRunning(clusterId, {
      autoStart: this.options.settings().autoStartCluster,
      confirmStart: this.options.confirmStart,
      signal,
      onState: (s: ClusterState, msg?: string) => onProgress?.(s === 'RUNNING' ? 'Cluster running' : `Cluster ${s.toLowerCase()}${msg ? `: ${msg}` : ''}…`),
    });
    this.facts.set(clusterId, info);
    return info;
  }

  /** The budget of one result on this cluster (its details are read once). */
  async budget(clusterId: string, signal?: AbortSignal): Promise<number> {
    let facts = this.facts.get(clusterId);
    if (!facts) {
      try {
        facts = await this.gate.get(clusterId, signal);
        this.facts.set(clusterId, facts);
      } catch (err) {
        this.logger.info(`cluster ${clusterId}: no details (${err instanceof Error ? err.message : String(err)}); assuming the 50,000-character cap`);
      }
    }
    return this.readers.budget(clusterId, resultBudget(facts));
  }

  remoteFileFor(target: RunTarget, localFile: string): string {
    const mapped = target.mapper.toRemote(localFile);
    if (mapped && mapped !== target.mapper.remoteRoot) return mapped;
    // A file outside the folder (or untitled) still gets a stable name under the remote root.
    const base = localFile.split(/[\\/]/).pop() || 'untitled.py';
    return `${target.mapper.remoteRoot}/${base}`;
  }

  /** Runs `work` after the session's earlier runs (and their output reads) are done. */
  private serial<T>(key: SessionKey, work: () => Promise<T>): Promise<T> {
    const k = `${key.clusterId}\u0000${key.folder}`;
    const before = this.queues.get(k) ?? Promise.resolve();
    const next = before.catch(() => undefined).then(work);
    this.queues.set(k, next);
    void next
      .finally(() => {
        if (this.queues.get(k) === next) this.queues.delete(k);
      })
      .catch(() => undefined);
    return next;
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
    return this.serial(key, async () => {
      if (!this.sessions.has(key)) await this.ensureCluster(target.clusterId, req.signal, req.onProgress);
      const outcome = await this.runInSession(req, key, remoteFile);
      if (outcome.variables) this.variables.record(key, outcome.variables);
      else if (outcome.lost) this.variables.clear(key);
      return { ...outcome, pushed, remoteFile, durationMs: performance.now() - started };
    });
  }

  private async runInSession(req: RunRequest, key: SessionKey, remoteFile: string): Promise<Omit<RunOutcome, 'pushed' | 'remoteFile' | 'durationMs'>> {
    const { target } = req;
    const clusterId = target.clusterId;
    const runId = randomUUID().replace(/-/g, '');
    const k = `${key.clusterId}\u0000${key.folder}`;
    const drop = this.finished.get(k) ?? [];
    this.finished.delete(k);
    const budget = await this.budget(clusterId, req.signal);
    const command = this.runtime.runCommand({
      run: runId,
      code: req.code.replace(/\r\n/g, '\n'),
      file: remoteFile,
      root: target.mapper.remoteRoot,
      offset: Math.max(0, req.lineOffset ?? 0),
      maxRows: MAX_ROWS,
      budget,
      drop,
      session: sessionId(key),
    });
    const live = this.options.liveOutput !== false;
    const out = new RunOutputReader({ onText: req.onText, onOutput: req.onOutput }, target.mapper, this.logger);
    const fromReader: SliceSource = (offset, hint, signal, limit) => this.readers.read(clusterId, runId, offset, budget, hint, signal, limit);
    if (live) this.readers.warm(clusterId);
    const exec = () =>
      this.sessions.run(key, command, {
        signal: req.signal,
        schedule: this.schedule(),
        onStarted: (id) => {
          req.onStarted?.(id);
          if (live) out.startTail(fromReader, tailSchedule(this.options.settings().pollIntervalCapMs));
        },
        onState: (s: CommandState) => req.onProgress?.(s === 'Queued' ? 'Queued…' : s === 'Running' ? 'Running…' : s === 'Cancelling' ? 'Cancelling…' : s),
      });
    let result: SessionRunResult;
    try {
      try {
        result = await exec();
      } catch (err) {
        // Only a refused execute request lands here with the cluster stopped: nothing ran yet.
        if (!isClusterNotRunning(err)) throw err;
        this.logger.info(`cluster ${clusterId} is not running any more; starting it and a new session`);
        this.sessions.forget(key);
        await this.ensureCluster(clusterId, req.signal, req.onProgress);
        result = { ...(await exec()), sessionLost: true };
      }
    } catch (err) {
      if (!(err instanceof SessionLostError)) {
        out.close();
        throw err;
      }
      // Show what the run printed before it was cut off, if the driver still has it.
      await out
        .drain(undefined, this.readers.ready(clusterId) || !err.contextGone ? fromReader : undefined, req.signal)
        .catch((e) => this.logger.info(`could not read the output of a lost run: ${e instanceof Error ? e.message : String(e)}`));
      this.logger.warn(`run ${runId} on cluster ${clusterId}: ${err.message} (${err.detail ?? ''})`);
      const lostOutput: ResultOutput = { kind: 'error', summary: err.message, traceback: `${err.message}\n${err.detail ?? ''}`.trim(), frames: [] };
      req.onOutput?.(lostOutput);
      const outputs = [...out.list.finalOutputs(), lostOutput];
      return {
        state: 'failed',
        outputs,
        newSession: false,
        sessionLost: false,
        lost: err.message,
        reads: { slices: out.sliceReads, resultChars: out.resultChars },
      };
    }
    const contextId = result.contextId;
    const fromSession: SliceSource = (offset, hint, signal, limit) =>
      readIn(this.sessions.api, this.runtime, clusterId, contextId, runId, offset, budget, hint, signal, limit);
    let summary: RunSummary | undefined;
    const outputs: ResultOutput[] = [];
    if (result.results?.resultType === 'text') {
      const parsed = parseRunResult(typeof result.results.data === 'string' ? result.results.data : '');
      summary = parsed.summary;
      // Text the REPL kept outside the spool (a logger bound to the old stdout, say).
      if (parsed.otherText.trim()) outputs.push({ kind: 'text', text: parsed.otherText.replace(/^Out\[[\d\s]+\]:\s/, '') });
    } else if (result.results && !(result.state === 'cancelled' && isCancelledResult(result.results))) {
      // The REPL itself failed (an out-of-memory driver, a dead kernel): its own error, and the spool so far.
      outputs.push(...(await convertResultsFetchingImages(result.results, target.mapper, (p) => readDbfsFile(this.gate.transport, p, req.signal))));
    }
    // The session's own context is free now and proven alive: read the rest from there. Not with
    // the run's signal: after a cancel, what the code printed before it stopped is still wanted.
    // With the reader session there too, two readers take turns on the rest (twice the throughput).
    await out.drain(summary, fromSession, undefined, live && this.readers.ready(clusterId) ? fromReader : undefined);
    if (out.ended) this.finished.set(k, [...(this.finished.get(k) ?? []), runId]);
    // Live callbacks have seen every spool record; the outputs from outside the spool come last.
    for (const o of outputs) req.onOutput?.(o);
    const all = [...out.list.finalOutputs(), ...outputs];
    let state: RunOutcome['state'];
    if (result.state === 'cancelled') state = 'cancelled';
    else if (!summary) state = 'failed';
    else if (summary.status === 'ok') state = 'succeeded';
    else if (summary.status === 'exit')
      state = out.list.exitCode === null || out.list.exitCode === 0 || out.list.exitCode === undefined ? 'succeeded' : 'failed';
    else state = 'failed';
    if (!summary && result.state !== 'cancelled' && !all.some((o) => o.kind === 'error')) {
      this.logger.warn(`run ${runId}: the cluster's result had no summary from Ferry's session code: ${JSON.stringify(result.results).slice(0, 2000)}`);
      throw new FerryError('unknown', "The cluster answered the run without Ferry's summary, so its output may be incomplete; the log has the result it sent.");
    }
    return {
      state,
      outputs: all,
      newSession: result.newSession,
      sessionLost: result.sessionLost,
      reads: { slices: out.sliceReads, resultChars: out.resultChars },
      variables: out.list.variables,
      restartModules: out.list.restartModules.length ? out.list.restartModules : undefined,
    };
  }
}
