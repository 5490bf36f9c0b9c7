// Command Execution 1.2 of the stand-in: each context is a persistent local Python process
// (python/driver.py) so variables live between commands; commands run one at a time per context;
// cancel sends SIGINT (KeyboardInterrupt) and, if the code does not stop within the grace time,
// replaces the process. Errors use the 1.2 body form `{"error": "..."}`.
import { ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ClusterRegistry } from './clusters';
import { ApiError, Params } from './http';
import { findPython } from './python';

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
  readyAt: number;
  queue: Command[];
  current?: Command;
  commands: Map<string, Command>;
  /** The process is being replaced on purpose (a cancel that did not stop the code). */
  replacing?: boolean;
}

const MAX_CONTEXTS = 30;

const v12 = (status: number, message: string): ApiError => new ApiError(status, 'INVALID_PARAMETER_VALUE', message, 'v12');

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

export class ExecutionContexts {
  private readonly contexts = new Map<string, Context>();
  private stopped = false;

  constructor(
    private readonly clusters: ClusterRegistry,
    private readonly opts: { python?: string; pythonEnv?: Record<string, string>; dataDir: string; driver: string; contextPendingMs: number; cancelGraceMs: number },
  ) {}

  private cluster(p: Params): string {
    const clusterId = p.str('clusterId');
    if (!clusterId) throw v12(400, 'Missing required field: clusterId');
    if (!this.clusters.exists(clusterId)) throw v12(400, `Cluster ${clusterId} does not exist`);
    return clusterId;
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
      throw v12(400, transient ? `ClusterNotReadyException: Cluster ${clusterId} is not ready yet (state ${state}).` : `Cluster ${clusterId} is not running (state ${state}). Start the cluster before creating an execution context.`);
    }
    if (language !== 'python') throw v12(400, `Language ${language} is not supported by the Ferry Databricks stand-in (python only).`);
    if (this.contexts.size >= MAX_CONTEXTS) throw v12(400, `Too many execution contexts are open right now.(Limit set currently to ${MAX_CONTEXTS})`);
    const python = await findPython(this.opts.python);
    if (!python.path) throw new ApiError(500, 'INTERNAL_ERROR', python.problem ?? 'No Python', 'v12');
    const ctx: Context = { id: String(1e15 + crypto.randomInt(0, 2e14)), clusterId, status: 'Pending', readyAt: Date.now() + this.opts.contextPendingMs, queue: [], commands: new Map() };
    this.contexts.set(ctx.id, ctx);
    this.spawn(ctx, python.path);
    return { id: ctx.id };
  }

  private spawn(ctx: Context, python: string): void {
    if (this.stopped) return;
    ctx.status = 'Pending';
    const cwd = path.join(this.opts.dataDir, 'driver');
    fs.mkdirSync(cwd, { recursive: true });
    const proc = spawn(python, ['-u', this.opts.driver], { cwd, stdio: ['pipe', 'pipe', 'pipe', 'pipe'], env: {
        ...process.env,
        ...this.opts.pythonEnv,
        MPLBACKEND: 'Agg',
        PYTHONUNBUFFERED: '1',
        PYTHONIOENCODING: 'utf-8',
        // This driver has no /Workspace mount: tell code that maps /Workspace paths where the
        // workspace files really live (on Databricks the FUSE mount makes this unnecessary).
        FERRY_WORKSPACE_FS_ROOT: path.join(this.opts.dataDir, 'workspace'),
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
      if (this.stopped || !this.contexts.has(ctx.id)) return;
      if (ctx.replacing) {
        ctx.replacing = false;
        this.spawn(ctx, python);
        return;
      }
      const cmd = ctx.current;
      if (ctx.status === 'Pending' && !cmd) {
        ctx.status = 'Error';
        ctx.error = `The Python process exited at start (${code ?? signal}): ${stderr.trim()}`;
        return;
      }
      if (cmd) this.finish(ctx, cmd, { resultType: 'error', summary: "<span class='ansi-red-fg'>Fatal error</span>: The Python kernel is unresponsive.", cause: `The Python process exited unexpectedly (${code ?? signal}).\n${stderr.trim()}` });
      this.spawn(ctx, python);
    });
  }

  private onMessage(ctx: Context, msg: { type: string; id?: string; results?: Record<string, unknown> }): void {
    if (msg.type === 'ready') {
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
    cmd.results = results;
    if (ctx.current === cmd) ctx.current = undefined;
  }

  private pump(ctx: Context): void {
    if (ctx.current || ctx.status !== 'Running' || !ctx.proc) return;
    const next = ctx.queue.shift();
    if (!next) return;
    ctx.current = next;
    next.status = 'Running';
    ctx.proc.stdin?.write(`${JSON.stringify({ id: next.id, code: next.code, file: next.file })}\n`);
  }

  status(p: Params): Record<string, unknown> {
    const c = this.context(p);
    return { id: c.id, status: c.status, ...(c.error ? { error: c.error } : {}) };
  }

  destroy(p: Params): Record<string, unknown> {
    const clusterId = this.cluster(p);
    const contextId = p.str('contextId');
    if (!contextId) throw v12(400, 'Missing required field: contextId');
    const c = this.contexts.get(contextId);
    if (!c || c.clusterId !== clusterId) throw v12(400, `ContextNotFound: Context ${contextId} does not exist on cluster ${clusterId}`);
    this.kill(c);
    return { id: contextId };
  }

  private kill(c: Context): void {
    this.contexts.delete(c.id);
    for (const cmd of c.commands.values()) if (cmd.cancelTimer) clearTimeout(cmd.cancelTimer);
    c.proc?.kill('SIGKILL');
    c.proc = undefined;
  }

  /** The cluster stopped (terminate, restart, permanent delete): its contexts are gone. */
  dropCluster(clusterId: string): void {
    for (const c of [...this.contexts.values()]) if (c.clusterId === clusterId) this.kill(c);
  }

  execute(p: Params): Record<string, unknown> {
    const c = this.context(p);
    const language = (p.str('language') ?? 'python').toLowerCase();
    if (language !== 'python') throw v12(400, `Language ${language} is not supported by the Ferry Databricks stand-in (python only).`);
    const code = p.str('command');
    if (code === undefined) throw v12(400, 'Missing required field: command');
    if (c.status === 'Error') throw v12(400, `Context ${c.id} is in state Error: ${c.error ?? ''}`);
    const cmd: Command = { id: crypto.randomBytes(16).toString('hex'), code, file: `<command-${1e15 + crypto.randomInt(0, 2e14)}>`, status: 'Queued' };
    c.commands.set(cmd.id, cmd);
    c.queue.push(cmd);
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
    const { cmd } = this.command(p);
    return { id: cmd.id, status: cmd.status, ...(cmd.results ? { results: cmd.results } : {}) };
  }

  cancel(p: Params): Record<string, unknown> {
    const { ctx, cmd } = this.command(p);
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

  async stop(): Promise<void> {
    this.stopped = true;
    for (const c of [...this.contexts.values()]) this.kill(c);
  }
}
