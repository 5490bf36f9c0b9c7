// Command Execution 1.2 of the stand-in. Each context is a persistent local Python process
// (python/driver.py, started on the context's first command, in the driver's virtual environment
// so that pip installs into it as on a cluster) so variables live between commands;
// commands run one at a time per context, and contexts of one cluster run at the same time, as
// on a real cluster. Cancel sends SIGINT (KeyboardInterrupt) and, if the code does not stop within
// the grace time, replaces the process. Errors use the 1.2 body form `{"error": "..."}`.
//
// The limits of a real cluster are modelled (docs/reference/services-2026.md §1.1, §1.2):
// - results are capped as the cluster's runtime caps them (outputCaps.ts);
// - at most 145 contexts per cluster; at the cap the least recently used idle context is evicted,
//   and when none is idle, creation fails with the attach-limit message [observed, KB];
// - a context torn down while a command runs (eviction by an admin call, cluster restart or
//   termination) ends that command as CommandCancelledException [observed, paiqo/Databricks-VSCode#132];
//   later calls on the old context answer `Context ExecutionContextId(<id>) is disconnected.`
//   [observed, KB]; the HTTP status (400) is [unconfirmed];
// - `contexts/create` answers `ClusterNotReadyException` for `contextNotReadyMs` after the cluster
//   reached RUNNING (every SDK retries that message; its status and body form are [unconfirmed]);
// - image results larger than a data URL can sensibly carry are stored as DBFS files under
//   /FileStore/plots and answered as `/plots/<uuid>.png` (the threshold is [unconfirmed]).
// Every command result handed out is recorded (its size in characters) for the request log at
// GET /__admin/execution, as is every commands/execute (context, command id, SHA-256 of the text).
import { ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ClusterRegistry } from './clusters';
import { ApiError, Params } from './http';
import { capResults, resultChars, textCapOf } from './outputCaps';
import { driverEnvironment, findPython } from './python';

export type ContextStatus = 'Pending' | 'Running' | 'Error';
export type CommandStatus = 'Queued' | 'Running' | 'Cancelling' | 'Finished' | 'Cancelled' | 'Error';

interface Command {
  id: string;
  code: string;
  file: string;
  status: CommandStatus;
  results?: Record<string, unknown>;
  cancelTimer?: NodeJS.Timeout;
}

interface Context {
  id: string;
  clusterId: string;
  status: ContextStatus;
  error?: string;
  proc?: ChildProcess;
  /** The process said it is ready to take commands. */
  procReady: boolean;
  readyAt: number;
  /** Last time a command finished here (or creation): idle contexts are evicted oldest first. */
  lastUsed: number;
  queue: Command[];
  current?: Command;
  commands: Map<string, Command>;
  /** The process is being replaced on purpose (a cancel that did not stop the code). */
  replacing?: boolean;
  /** Torn down: commands that were here answer cancelled; everything else answers disconnected. */
  gone?: boolean;
}

/** Fixed per cluster (KB "maximum execution context"; Azure resource limits table). */
export const MAX_CONTEXTS_PER_CLUSTER = 145;
/** Images whose data URL is longer than this are stored as /plots files ([unconfirmed] threshold). */
export const PLOT_FILE_THRESHOLD = 200_000;

export interface ExecutionOptions {
  python?: string;
  pythonEnv?: Record<string, string>;
  dataDir: string;
  driver: string;
  contextPendingMs: number;
  cancelGraceMs: number;
  /** How long after the cluster reached RUNNING contexts/create answers ClusterNotReadyException. */
  contextNotReadyMs?: number;
  /** Where /plots/<name> images are written (DBFS /FileStore/plots). */
  plotsDir?: string;
}

export interface ExecutionLog {
  executes: Array<{ contextId: string; commandId: string; sha256: string; chars: number; at: number }>;
  results: Array<{ contextId: string; commandId: string; resultType: string; chars: number }>;
  maxResultChars: number;
  evicted: number;
}

const v12 = (status: number, message: string): ApiError => new ApiError(status, 'INVALID_PARAMETER_VALUE', message, 'v12');
const disconnected = (id: string): ApiError => v12(400, `Context ExecutionContextId(${id}) is disconnected.`);

export function cancelledResult(): Record<string, unknown> {
  return {
    resultType: 'error',
    summary: "<span class='ansi-red-fg'>CommandCancelledException</span>: Command cancelled by user",
    cause:
      'com.databricks.backend.common.rpc.CommandCancelledException\n' +
      '\tat com.databricks.backend.daemon.driver.DriverLocal.$anonfun$executeCommand$1(DriverLocal.scala:1031)\n' +
      '\tat com.databricks.backend.daemon.driver.PythonDriverLocal.cancelCommand(PythonDriverLocal.scala:812)',
  };
}

/** What a command that was running when its context was torn down ends with [observed]. */
export function shutdownResult(): Record<string, unknown> {
  return {
    resultType: 'error',
    summary: "<span class='ansi-red-fg'>CommandCancelledException</span>",
    cause:
      'com.databricks.backend.common.rpc.CommandCancelledException\n' +
      '\tat com.databricks.backend.daemon.driver.ExecContextState.$anonfun$shutdown$1(ExecContextState.scala:412)\n' +
      '\tat com.databricks.backend.daemon.driver.ExecContextState.shutdown(ExecContextState.scala:398)',
  };
}

export class ExecutionContexts {
  private readonly contexts = new Map<string, Context>();
  private stopped = false;
  private log: ExecutionLog = { executes: [], results: [], maxResultChars: 0, evicted: 0 };

  constructor(
    private readonly clusters: ClusterRegistry,
    private readonly opts: ExecutionOptions,
  ) {}

  private cluster(p: Params): string {
    const clusterId = p.str('clusterId');
    if (!clusterId) throw v12(400, 'Missing required field: clusterId');
    if (!this.clusters.exists(clusterId)) throw v12(400, `Cluster ${clusterId} does not exist`);
    return clusterId;
  }

  private notRunning(clusterId: string): ApiError | undefined {
    const state = this.clusters.state(clusterId);
    if (state === 'RUNNING' || state === 'RESIZING') return undefined;
    return v12(400, `Cluster ${clusterId} is not running (state ${state}). Start the cluster before running commands.`);
  }

  private context(p: Params): Context {
    const clusterId = this.cluster(p);
    const contextId = p.str('contextId');
    if (!contextId) throw v12(400, 'Missing required field: contextId');
    const c = this.contexts.get(contextId);
    if (!c || c.clusterId !== clusterId) throw v12(400, `ContextNotFound: Context ${contextId} does not exist on cluster ${clusterId}`);
    return c;
  }

  async create(p: Params): Promise<Record<string, unknown>> {
    const clusterId = this.cluster(p);
    const language = (p.str('language') ?? 'python').toLowerCase();
    const state = this.clusters.state(clusterId);
    if (state !== 'RUNNING' && state !== 'RESIZING') {
      const transient = state === 'PENDING' || state === 'RESTARTING';
      throw v12(
        400,
        transient
          ? `ClusterNotReadyException: Cluster ${clusterId} is not ready yet (state ${state}).`
          : `Cluster ${clusterId} is not running (state ${state}). Start the cluster before creating an execution context.`,
      );
    }
    const since = this.clusters.runningSince(clusterId);
    if (since !== undefined && this.opts.contextNotReadyMs && Date.now() - since < this.opts.contextNotReadyMs) {
      throw v12(400, `ClusterNotReadyException: The Spark driver of cluster ${clusterId} is starting. Please retry in a few seconds.`);
    }
    if (language !== 'python') throw v12(400, `Language ${language} is not supported by the Ferry Databricks stand-in (python only).`);
    this.makeRoom(clusterId);
    const python = await findPython(this.opts.python);
    if (!python.path) throw new ApiError(500, 'INTERNAL_ERROR', python.problem ?? 'No Python', 'v12');
    const now = Date.now();
    const ctx: Context = {
      id: String(1e15 + crypto.randomInt(0, 2e14)),
      clusterId,
      status: 'Pending',
      procReady: false,
      readyAt: now + this.opts.contextPendingMs,
      lastUsed: now,
      queue: [],
      commands: new Map(),
    };
    this.contexts.set(ctx.id, ctx);
    return { id: ctx.id };
  }

  /** At the per-cluster cap: evict the least recently used idle context, or refuse. */
  private makeRoom(clusterId: string): void {
    const live = [...this.contexts.values()].filter((c) => c.clusterId === clusterId && !c.gone);
    if (live.length < MAX_CONTEXTS_PER_CLUSTER) return;
    const idle = live.filter((c) => !c.current && c.queue.length === 0).sort((a, b) => a.lastUsed - b.lastUsed);
    if (!idle.length) throw v12(400, 'Can’t attach this notebook because the cluster has reached the attached notebook limit. Detach a notebook and retry.');
    this.tearDown(idle[0]);
    this.log.evicted++;
  }

  /** Pending until contextPendingMs has passed; the process itself starts with the first command. */
  private refresh(ctx: Context): void {
    if (ctx.status === 'Pending' && !ctx.replacing && Date.now() >= ctx.readyAt && (!ctx.proc || ctx.procReady)) ctx.status = 'Running';
  }

  private async ensureProcess(ctx: Context): Promise<void> {
    if (ctx.proc || this.stopped || ctx.gone) return;
    const python = await findPython(this.opts.python);
    if (!python.path) {
      ctx.status = 'Error';
      ctx.error = python.problem;
      return;
    }
    let interpreter: string;
    try {
      interpreter = await driverEnvironment(python.path, path.join(this.opts.dataDir, 'driver-env'));
    } catch (err) {
      ctx.status = 'Error';
      ctx.error = err instanceof Error ? err.message : String(err);
      return;
    }
    if (!ctx.proc && !ctx.gone) this.spawn(ctx, interpreter);
  }

  private spawn(ctx: Context, python: string): void {
    if (this.stopped) return;
    ctx.procReady = false;
    const cwd = path.join(this.opts.dataDir, 'driver');
    fs.mkdirSync(cwd, { recursive: true });
    const proc = spawn(python, ['-u', this.opts.driver], {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...this.opts.pythonEnv,
        MPLBACKEND: 'Agg',
        PYTHONUNBUFFERED: '1',
        PYTHONIOENCODING: 'utf-8',
        // This driver has no /Workspace mount: tell code that maps /Workspace paths where the
        // workspace files really live (on Databricks the FUSE mount makes this unnecessary).
        FERRY_WORKSPACE_FS_ROOT: path.join(this.opts.dataDir, 'workspace'),
        // The driver's local temp space (on Databricks /local_disk0/tmp): one per stand-in.
        FERRY_DRIVER_TMP: path.join(this.opts.dataDir, 'driver-tmp'),
      },
    });
    ctx.proc = proc;
    let stderr = '';
    proc.stdout?.on('data', () => undefined);
    proc.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    proc.stdin?.on('error', () => undefined);
    const results = proc.stdio[3] as NodeJS.ReadableStream;
    let buf = '';
    results.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim()) this.onMessage(ctx, JSON.parse(line) as { type: string; id?: string; results?: Record<string, unknown> });
      }
    });
    proc.on('exit', (code, signal) => {
      if (ctx.proc !== proc) return;
      ctx.proc = undefined;
      ctx.procReady = false;
      if (this.stopped || ctx.gone || !this.contexts.has(ctx.id)) return;
      if (ctx.replacing) {
        ctx.replacing = false;
        this.spawn(ctx, python);
        return;
      }
      const cmd = ctx.current;
      if (!cmd && ctx.queue.length) {
        ctx.status = 'Error';
        ctx.error = `The Python process exited at start (${code ?? signal}): ${stderr.trim()}`;
        return;
      }
      if (cmd)
        this.finish(ctx, cmd, {
          resultType: 'error',
          summary: "<span class='ansi-red-fg'>Fatal error</span>: The Python kernel is unresponsive.",
          cause: `The Python process exited unexpectedly (${code ?? signal}).\n${stderr.trim()}`,
        });
      this.spawn(ctx, python);
    });
  }

  private onMessage(ctx: Context, msg: { type: string; id?: string; results?: Record<string, unknown> }): void {
    if (msg.type === 'ready') {
      ctx.procReady = true;
      const wait = ctx.readyAt - Date.now();
      const ready = (): void => {
        if (ctx.status === 'Pending') ctx.status = 'Running';
        this.pump(ctx);
      };
      if (wait > 0) setTimeout(ready, wait).unref();
      else ready();
      return;
    }
    const cmd = ctx.current;
    if (!cmd || cmd.id !== msg.id) return;
    this.finish(ctx, cmd, msg.type === 'cancelled' ? cancelledResult() : (msg.results ?? { resultType: 'text', data: '' }));
    this.pump(ctx);
  }

  private finish(ctx: Context, cmd: Command, results: Record<string, unknown>): void {
    if (cmd.cancelTimer) clearTimeout(cmd.cancelTimer);
    cmd.status = 'Finished';
    const details = this.clusters.details(ctx.clusterId) ?? {};
    cmd.results = capResults(this.plotFiles(results), textCapOf(details));
    ctx.lastUsed = Date.now();
    if (ctx.current === cmd) ctx.current = undefined;
  }

  /** Large figures as /plots files on DBFS, as real clusters answer them. */
  private plotFiles(results: Record<string, unknown>): Record<string, unknown> {
    const dir = this.opts.plotsDir;
    if (!dir) return results;
    const store = (u: unknown): unknown => {
      const m = typeof u === 'string' && u.length > PLOT_FILE_THRESHOLD ? /^data:image\/png;base64,(.*)$/s.exec(u) : null;
      if (!m) return u;
      fs.mkdirSync(dir, { recursive: true });
      const name = `${crypto.randomUUID()}.png`;
      fs.writeFileSync(path.join(dir, name), Buffer.from(m[1], 'base64'));
      return `/plots/${name}`;
    };
    if (results.resultType === 'image') return { ...results, fileName: store(results.fileName) };
    if (results.resultType === 'images' && Array.isArray(results.fileNames)) return { ...results, fileNames: results.fileNames.map(store) };
    return results;
  }

  private pump(ctx: Context): void {
    if (ctx.current || ctx.gone || !ctx.proc || !ctx.procReady) return;
    this.refresh(ctx);
    if (ctx.status !== 'Running') return;
    const next = ctx.queue.shift();
    if (!next) return;
    ctx.current = next;
    next.status = 'Running';
    ctx.proc.stdin?.write(`${JSON.stringify({ id: next.id, code: next.code, file: next.file })}\n`);
  }

  status(p: Params): Record<string, unknown> {
    const c = this.context(p);
    if (c.gone) throw disconnected(c.id);
    this.refresh(c);
    return { id: c.id, status: c.status, ...(c.error ? { error: c.error } : {}) };
  }

  destroy(p: Params): Record<string, unknown> {
    const clusterId = this.cluster(p);
    const contextId = p.str('contextId');
    if (!contextId) throw v12(400, 'Missing required field: contextId');
    const c = this.contexts.get(contextId);
    if (!c || c.clusterId !== clusterId) throw v12(400, `ContextNotFound: Context ${contextId} does not exist on cluster ${clusterId}`);
    if (c.gone) throw disconnected(c.id);
    this.kill(c);
    this.contexts.delete(c.id);
    return { id: contextId };
  }

  private kill(c: Context): void {
    for (const cmd of c.commands.values()) if (cmd.cancelTimer) clearTimeout(cmd.cancelTimer);
    c.proc?.kill('SIGKILL');
    c.proc = undefined;
  }

  /** The context is torn down (evicted, detached, its cluster stopped): what ran there ends as cancelled. */
  private tearDown(c: Context): void {
    if (c.gone) return;
    for (const cmd of [c.current, ...c.queue]) {
      if (!cmd) continue;
      if (cmd.cancelTimer) clearTimeout(cmd.cancelTimer);
      cmd.status = 'Finished';
      cmd.results = shutdownResult();
    }
    c.current = undefined;
    c.queue = [];
    c.gone = true;
    c.status = 'Error';
    this.kill(c);
  }

  /** The cluster stopped (terminate, restart, permanent delete): its contexts are gone. */
  dropCluster(clusterId: string): void {
    for (const c of [...this.contexts.values()]) if (c.clusterId === clusterId) this.tearDown(c);
  }

  /** Admin: tear one context down as the cluster does when it evicts or detaches it. */
  evict(contextId: string): boolean {
    const c = this.contexts.get(contextId);
    if (!c || c.gone) return false;
    this.tearDown(c);
    this.log.evicted++;
    return true;
  }

  async execute(p: Params): Promise<Record<string, unknown>> {
    const c = this.context(p);
    if (c.gone) throw disconnected(c.id);
    const stopped = this.notRunning(c.clusterId);
    if (stopped) throw stopped;
    const language = (p.str('language') ?? 'python').toLowerCase();
    if (language !== 'python') throw v12(400, `Language ${language} is not supported by the Ferry Databricks stand-in (python only).`);
    const code = p.str('command');
    if (code === undefined) throw v12(400, 'Missing required field: command');
    if (c.status === 'Error') throw v12(400, `Context ${c.id} is in state Error: ${c.error ?? ''}`);
    const cmd: Command = { id: crypto.randomBytes(16).toString('hex'), code, file: `<command-${1e15 + crypto.randomInt(0, 2e14)}>`, status: 'Queued' };
    c.commands.set(cmd.id, cmd);
    c.queue.push(cmd);
    this.log.executes.push({
      contextId: c.id,
      commandId: cmd.id,
      sha256: crypto.createHash('sha256').update(code).digest('hex'),
      chars: code.length,
      at: Date.now(),
    });
    await this.ensureProcess(c);
    this.pump(c);
    return { id: cmd.id };
  }

  private command(p: Params): { ctx: Context; cmd: Command } {
    const ctx = this.context(p);
    const commandId = p.str('commandId');
    if (!commandId) throw v12(400, 'Missing required field: commandId');
    const cmd = ctx.commands.get(commandId);
    if (!cmd) throw v12(400, `Command ${commandId} does not exist in context ${ctx.id}`);
    return { ctx, cmd };
  }

  commandStatus(p: Params): Record<string, unknown> {
    const { ctx, cmd } = this.command(p);
    if (ctx.gone && !cmd.results) throw disconnected(ctx.id);
    if (cmd.results) {
      const chars = resultChars(cmd.results);
      this.log.results.push({ contextId: ctx.id, commandId: cmd.id, resultType: String(cmd.results.resultType), chars });
      if (chars > this.log.maxResultChars) this.log.maxResultChars = chars;
    }
    return { id: cmd.id, status: cmd.status, ...(cmd.results ? { results: cmd.results } : {}) };
  }

  cancel(p: Params): Record<string, unknown> {
    const { ctx, cmd } = this.command(p);
    if (ctx.gone) throw disconnected(ctx.id);
    if (cmd.status === 'Queued') {
      ctx.queue = ctx.queue.filter((q) => q !== cmd);
      this.finish(ctx, cmd, cancelledResult());
    } else if (cmd.status === 'Running') {
      cmd.status = 'Cancelling';
      ctx.proc?.kill('SIGINT');
      cmd.cancelTimer = setTimeout(() => {
        if (ctx.current !== cmd || !ctx.proc) return;
        // The code ignored KeyboardInterrupt: replace the process (its variables are lost).
        this.finish(ctx, cmd, cancelledResult());
        ctx.replacing = true;
        ctx.status = 'Pending';
        ctx.proc.kill('SIGKILL');
      }, this.opts.cancelGraceMs);
      cmd.cancelTimer.unref();
    }
    return { id: cmd.id };
  }

  /** The request log of this API (GET /__admin/execution). */
  executionLog(): ExecutionLog & { contexts: Array<{ id: string; clusterId: string; status: string; gone: boolean; lastUsed: number }> } {
    return {
      ...this.log,
      contexts: [...this.contexts.values()].map((c) => ({ id: c.id, clusterId: c.clusterId, status: c.status, gone: !!c.gone, lastUsed: c.lastUsed })),
    };
  }

  resetLog(): void {
    this.log = { executes: [], results: [], maxResultChars: 0, evicted: 0 };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const c of [...this.contexts.values()]) this.kill(c);
    this.contexts.clear();
  }
}
