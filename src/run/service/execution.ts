// Command Execution 1.2: execution contexts and commands, with the adaptive poll schedule and a
// cancel that waits until the cluster has really stopped the command.
import { CancelledError, FerryError, isCancellation } from '../../core/errors';
import { DatabricksError } from '../../databricks/errors';
import { DatabricksTransport } from '../../databricks/transport';
import { adaptiveSchedule, pollUntil, PollSchedule } from './pollSchedule';
import { CommandResults, isCancelledResult } from './results';

export type CommandState = 'Queued' | 'Running' | 'Cancelling' | 'Finished' | 'Cancelled' | 'Error';

export interface CommandStatus {
  id: string;
  status: CommandState;
  results?: CommandResults;
}

export interface CommandOutcome {
  /** finished: ran to the end (user errors included, see results); cancelled: stopped by a cancel. */
  state: 'finished' | 'cancelled';
  results?: CommandResults;
  commandId: string;
  /** Status checks made after the execute call. */
  polls: number;
}

export interface ExecuteOptions {
  signal?: AbortSignal;
  schedule?: PollSchedule;
  /** Called with each new state (Queued, Running, …) for progress reporting. */
  onState?: (state: CommandState) => void;
  /** Called once the command id is known (so a caller can offer its own cancel). */
  onStarted?: (commandId: string) => void;
}

/** Errors that mean the context is gone (cluster restarted, context destroyed or expired). */
export function isContextLost(err: unknown): boolean {
  if (!(err instanceof DatabricksError)) return false;
  return /context.*(not found|does not exist|doesn't exist|invalid|destroyed)|ContextNotFound|invalid context/i.test(err.serverMessage) && err.status >= 400 && err.status < 500;
}

/** Errors that mean the cluster is not running (so the context cannot exist either). */
export function isClusterNotRunning(err: unknown): boolean {
  if (!(err instanceof DatabricksError)) return false;
  return /ClusterNotReadyException|cluster .*(not running|is terminated|is in unexpected state|terminat)|is not running/i.test(err.serverMessage);
}

export class ExecutionApi {
  constructor(
    private readonly transport: DatabricksTransport,
    private readonly defaultSchedule: PollSchedule = adaptiveSchedule(),
  ) {}

  /** Creates a Python context and waits until it is Running. */
  async createContext(clusterId: string, signal?: AbortSignal): Promise<string> {
    const { id } = await this.transport.request<{ id: string }>('POST', '/api/1.2/contexts/create', { body: { clusterId, language: 'python' }, signal, retry: false });
    await pollUntil(
      async () => {
        const s = await this.transport.request<{ id: string; status: string }>('GET', '/api/1.2/contexts/status', { query: { clusterId, contextId: id }, signal });
        if (s.status === 'Running') return true;
        if (s.status === 'Error') throw new FerryError('unknown', `The cluster could not create a Python session (context ${id} is in state Error)`);
        return undefined;
      },
      this.defaultSchedule,
      signal,
    );
    return id;
  }

  async destroyContext(clusterId: string, contextId: string): Promise<void> {
    await this.transport.request('POST', '/api/1.2/contexts/destroy', { body: { clusterId, contextId } });
  }

  async status(clusterId: string, contextId: string, commandId: string, signal?: AbortSignal): Promise<CommandStatus> {
    return this.transport.request<CommandStatus>('GET', '/api/1.2/commands/status', { query: { clusterId, contextId, commandId }, signal });
  }

  async cancel(clusterId: string, contextId: string, commandId: string): Promise<void> {
    await this.transport.request('POST', '/api/1.2/commands/cancel', { body: { clusterId, contextId, commandId } });
  }

  /**
   * Runs one command and waits for it. A cancel (the signal) sends commands/cancel and waits for
   * Cancelled, or for Finished with CommandCancelledException, which also counts as cancelled.
   */
  async execute(clusterId: string, contextId: string, command: string, opts: ExecuteOptions = {}): Promise<CommandOutcome> {
    if (opts.signal?.aborted) throw new CancelledError();
    // Not retried: a lost response would otherwise run the user's code twice.
    const { id } = await this.transport.request<{ id: string }>('POST', '/api/1.2/commands/execute', { body: { clusterId, contextId, language: 'python', command }, signal: opts.signal, retry: false });
    opts.onStarted?.(id);
    const schedule = opts.schedule ?? this.defaultSchedule;
    let last: CommandState | undefined;
    let polls = 0;
    const observe = (s: CommandStatus) => {
      polls++;
      if (s.status !== last) {
        last = s.status;
        opts.onState?.(s.status);
      }
    };
    try {
      return await pollUntil<CommandOutcome>(
        async () => {
          const s = await this.status(clusterId, contextId, id, opts.signal);
          observe(s);
          if (s.status === 'Finished') {
            return { state: isCancelledResult(s.results) ? 'cancelled' : 'finished', results: s.results, commandId: id, polls };
          }
          if (s.status === 'Cancelled') return { state: 'cancelled', results: s.results, commandId: id, polls };
          if (s.status === 'Error') {
            const detail = s.results?.cause ?? s.results?.summary ?? (typeof s.results?.data === 'string' ? s.results.data : '');
            throw new FerryError('unknown', `The cluster failed to run the command${detail ? `: ${String(detail).split('\n')[0]}` : ''}`);
          }
          return undefined;
        },
        schedule,
        opts.signal,
      );
    } catch (err) {
      if (!isCancellation(err) || !opts.signal?.aborted) throw err;
      return this.cancelAndWait(clusterId, contextId, id, schedule, observe, () => polls);
    }
  }

  private async cancelAndWait(clusterId: string, contextId: string, commandId: string, schedule: PollSchedule, observe: (s: CommandStatus) => void, polls: () => number): Promise<CommandOutcome> {
    await this.cancel(clusterId, contextId, commandId);
    // Bounded: a cluster that never confirms still releases the caller after about a minute.
    const deadline = Date.now() + 60_000;
    return pollUntil<CommandOutcome>(async () => {
      const s = await this.status(clusterId, contextId, commandId);
      observe(s);
      if (s.status === 'Cancelled' || s.status === 'Error') return { state: 'cancelled', results: s.results, commandId, polls: polls() };
      if (s.status === 'Finished') return { state: isCancelledResult(s.results) ? 'cancelled' : 'finished', results: s.results, commandId, polls: polls() };
      if (Date.now() > deadline) return { state: 'cancelled', commandId, polls: polls() };
      return undefined;
    }, schedule);
  }
}
