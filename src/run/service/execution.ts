// Command Execution 1.2: execution contexts and commands, with the adaptive poll schedule and a
// cancel that waits until the cluster has really stopped the command.
//
// Never twice: once commands/execute has answered with an id, nothing here sends that command
// again. A context lost or a cluster stopped while it ran, a teardown that ends it as
// CommandCancelledException without a cancel of ours, or status checks that keep failing are
// reported as SessionLostError ("may have partly run") for the user to decide. Only an execute
// request the cluster refused (a 4xx answer: the code never started) leaves the caller free to
// send it again, to a new context or after starting the cluster.
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
  /** Called once the command id is known (so a caller can offer its own cancel, or read its output live). */
  onStarted?: (commandId: string) => void;
  /** When status checks keep failing, send commands/cancel before giving up (default true; reads need not). */
  cancelOnGiveUp?: boolean;
}

export interface ExecutionApiOptions {
  schedule?: PollSchedule;
  /** Status checks that may fail in a row (proxy 502/504, resets) before Ferry gives up (default 20). */
  pollFailureLimit?: number;
}

export const SESSION_LOST_MESSAGE = 'The session was lost while the command was running; it may have partly run.';

/** The command had started and Ferry cannot tell how far it got; it is not sent again. */
export class SessionLostError extends FerryError {
  constructor(
    message: string,
    detail: string,
    /** The context itself is gone (not just Ferry's contact with it): the next run needs a new one. */
    readonly contextGone: boolean,
    readonly commandId?: string,
  ) {
    super('sessionLost', message, [], detail);
    this.name = 'SessionLostError';
  }
}

/** Errors that mean the context is gone (cluster restarted, context destroyed, evicted or expired). */
export function isContextLost(err: unknown): boolean {
  if (!(err instanceof DatabricksError)) return false;
  return (
    /context.*(not found|does not exist|doesn't exist|invalid|destroyed|is disconnected)|ContextNotFound|invalid context/i.test(err.serverMessage) &&
    err.status >= 400 &&
    err.status < 500
  );
}

/** Errors that mean the cluster is not running (so the context cannot exist either). */
export function isClusterNotRunning(err: unknown): boolean {
  if (!(err instanceof DatabricksError)) return false;
  return /ClusterNotReadyException|cluster .*(not running|is terminated|is in unexpected state|terminat)|is not running/i.test(err.serverMessage);
}

/** Failures of a status check that say nothing about the command (the network, a proxy, throttling). */
function isTransientPollFailure(err: unknown): boolean {
  if (!(err instanceof DatabricksError)) return false;
  if (err.kind === 'network' || err.status === 0) return true;
  if ([429, 500, 502, 503, 504].includes(err.status)) return true;
  // A 200 with an HTML proxy page, or a redirect to a sign-in page in front of the workspace.
  return err.errorCode === 'NOT_A_WORKSPACE' || err.errorCode === 'UNEXPECTED_REDIRECT';
}

/** An execute request that may have reached the cluster although no id came back. */
function mayHaveStarted(err: unknown): boolean {
  if (!(err instanceof DatabricksError)) return false;
  return err.kind === 'network' || err.status === 0 || err.status === 500 || err.status === 502 || err.status === 504;
}

function describe(err: unknown): string {
  if (err instanceof DatabricksError) return `${err.status ? `HTTP ${err.status} ` : ''}${err.errorCode}: ${err.serverMessage || err.message}`;
  return err instanceof Error ? err.message : String(err);
}

export class ExecutionApi {
  private readonly defaultSchedule: PollSchedule;
  private readonly pollFailureLimit: number;

  constructor(
    private readonly transport: DatabricksTransport,
    options: PollSchedule | ExecutionApiOptions = {},
  ) {
    const o: ExecutionApiOptions = 'delay' in options ? { schedule: options } : options;
    this.defaultSchedule = o.schedule ?? adaptiveSchedule();
    this.pollFailureLimit = o.pollFailureLimit ?? 20;
  }

  /**
   * Creates a Python context and waits until it is Running. The create request is retried on the
   * answers the Databricks SDKs treat as transient (ClusterNotReadyException, "Unknown worker
   * environment", throttling): no context exists yet, so nothing can run twice.
   */
  async createContext(clusterId: string, signal?: AbortSignal): Promise<string> {
    const { id } = await this.transport.request<{ id: string }>('POST', '/api/1.2/contexts/create', { body: { clusterId, language: 'python' }, signal });
    await pollUntil(
      async () => {
        const s = await this.transport.request<{ id: string; status: string }>('GET', '/api/1.2/contexts/status', {
          query: { clusterId, contextId: id },
          signal,
        });
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

  /** Sends commands/execute once; the id, or an error that says whether the code may have started. */
  private async send(clusterId: string, contextId: string, command: string, signal?: AbortSignal): Promise<string> {
    try {
      const { id } = await this.transport.request<{ id: string }>('POST', '/api/1.2/commands/execute', {
        body: { clusterId, contextId, language: 'python', command },
        signal,
        retry: false,
      });
      return id;
    } catch (err) {
      if (isCancellation(err) || !mayHaveStarted(err)) throw err;
      throw new SessionLostError(
        'Ferry lost the connection while sending the command, so it may have started on the cluster; it was not sent again.',
        describe(err),
        false,
      );
    }
  }

  /**
   * Runs one command and waits for it. A cancel (the signal) sends commands/cancel and waits for
   * Cancelled, or for Finished with CommandCancelledException, which also counts as cancelled.
   */
  async execute(clusterId: string, contextId: string, command: string, opts: ExecuteOptions = {}): Promise<CommandOutcome> {
    if (opts.signal?.aborted) throw new CancelledError();
    const id = await this.send(clusterId, contextId, command, opts.signal);
    opts.onStarted?.(id);
    const schedule = opts.schedule ?? this.defaultSchedule;
    let last: CommandState | undefined;
    let polls = 0;
    let failures = 0;
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
          let s: CommandStatus;
          try {
            s = await this.status(clusterId, contextId, id, opts.signal);
          } catch (err) {
            if (isCancellation(err)) throw err;
            if (isContextLost(err) || isClusterNotRunning(err)) throw new SessionLostError(SESSION_LOST_MESSAGE, describe(err), true, id);
            if (!isTransientPollFailure(err)) throw err;
            failures++;
            if (failures >= this.pollFailureLimit) throw await this.giveUp(clusterId, contextId, id, failures, err, opts.cancelOnGiveUp !== false);
            return undefined;
          }
          failures = 0;
          observe(s);
          if (s.status === 'Finished') {
            // Without a cancel of ours, CommandCancelledException means the context was torn down.
            if (isCancelledResult(s.results))
              throw new SessionLostError(
                SESSION_LOST_MESSAGE,
                'The cluster ended the command with CommandCancelledException, but Ferry did not cancel it: the session was detached, evicted or restarted.',
                true,
                id,
              );
            return { state: 'finished', results: s.results, commandId: id, polls };
          }
          if (s.status === 'Cancelled')
            throw new SessionLostError(SESSION_LOST_MESSAGE, 'The cluster cancelled the command, but Ferry did not cancel it.', true, id);
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

  /** Status checks kept failing: send one cancel, best effort, and say whether it was accepted. */
  private async giveUp(
    clusterId: string,
    contextId: string,
    commandId: string,
    failures: number,
    err: unknown,
    sendCancel: boolean,
  ): Promise<SessionLostError> {
    let cancel: string;
    if (!sendCancel) cancel = 'Ferry did not cancel it';
    else
      try {
        await this.cancel(clusterId, contextId, commandId);
        cancel = 'Ferry sent a cancel, and the cluster accepted it';
      } catch (cancelErr) {
        cancel = `Ferry sent a cancel, but it did not go through (${describe(cancelErr)})`;
      }
    return new SessionLostError(
      `Ferry could not check on the running command (${failures} status checks in a row failed: ${describe(err)}). ${cancel}. The command may have partly run.`,
      `last failure: ${describe(err)}`,
      false,
      commandId,
    );
  }

  private async cancelAndWait(
    clusterId: string,
    contextId: string,
    commandId: string,
    schedule: PollSchedule,
    observe: (s: CommandStatus) => void,
    polls: () => number,
  ): Promise<CommandOutcome> {
    await this.cancel(clusterId, contextId, commandId);
    // Bounded: a cluster that never confirms still releases the caller after about a minute.
    const deadline = Date.now() + 60_000;
    return pollUntil<CommandOutcome>(async () => {
      let s: CommandStatus;
      try {
        s = await this.status(clusterId, contextId, commandId);
      } catch (err) {
        if (isContextLost(err) || isClusterNotRunning(err)) return { state: 'cancelled', commandId, polls: polls() };
        if (!isTransientPollFailure(err) || Date.now() > deadline) throw err;
        return undefined;
      }
      observe(s);
      if (s.status === 'Cancelled' || s.status === 'Error') return { state: 'cancelled', results: s.results, commandId, polls: polls() };
      if (s.status === 'Finished') return { state: isCancelledResult(s.results) ? 'cancelled' : 'finished', results: s.results, commandId, polls: polls() };
      if (Date.now() > deadline) return { state: 'cancelled', commandId, polls: polls() };
      return undefined;
    }, schedule);
  }
}
