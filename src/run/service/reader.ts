// Reading a run's spool from the cluster. Reads are short commands (`ferry_runtime.read`) whose
// results stay within the output budget; they have no side effects, so unlike a run they may be
// sent again (to a fresh reader context, or with a smaller budget when the service cut a slice).
// While a run is live its output is read from a *reader session*: a second execution context on
// the same cluster (commands in different contexts run at the same time), created once per
// cluster, with the session code installed, and reused for every later run.
import { isCancellation } from '../../core/errors';
import { Logger, silentLogger } from '../../core/logger';
import { ExecutionApi, isContextLost, SessionLostError } from './execution';
import { fixedSchedule, PollSchedule } from './pollSchedule';
import { SessionRuntime } from './runtime';
import { parseSlice, SliceHeader, SpoolFormatError } from './spool';

export interface Slice {
  header: SliceHeader;
  data: string;
  /** The result's length in characters (for the request accounting in tests and benches). */
  resultChars: number;
}

/** Reads are quick: check at once, then often (each check is a round trip; the read takes milliseconds). */
export const READ_SCHEDULE: PollSchedule = fixedSchedule([0, 3, 5, 10, 20, 40, 80, 150, 200]);

function textOf(results: { resultType?: string; data?: unknown; summary?: string; cause?: string } | undefined): { text?: string; error?: string } {
  if (!results) return { error: 'no result' };
  if (results.resultType === 'text') return { text: typeof results.data === 'string' ? results.data : '' };
  return { error: `${results.summary ?? ''} ${results.cause ?? ''}`.trim() || String(results.resultType) };
}

/** One read in a given context. Throws SpoolFormatError when the slice came back cut. */
export async function readIn(
  api: ExecutionApi,
  runtime: SessionRuntime,
  clusterId: string,
  contextId: string,
  runId: string,
  offset: number,
  budget: number,
  hint: number,
  signal?: AbortSignal,
  limit = 0,
): Promise<Slice> {
  const outcome = await api.execute(clusterId, contextId, runtime.readCommand(runId, offset, budget, hint, limit), {
    schedule: READ_SCHEDULE,
    signal,
    cancelOnGiveUp: false,
  });
  const { text, error } = textOf(outcome.results);
  if (text === undefined) throw new ReaderNotReady(error ?? 'the read failed');
  const { header, data } = parseSlice(text);
  return { header, data, resultChars: text.length };
}

/** The reader context has no session code (a new or restarted context): install it and read again. */
export class ReaderNotReady extends Error {}

export class ReaderPool {
  private readonly readers = new Map<string, { made: Promise<string>; id?: string }>();
  /** Budgets lowered after the service cut a slice, per cluster. */
  private readonly lowered = new Map<string, number>();

  constructor(
    private readonly api: ExecutionApi,
    private readonly runtime: SessionRuntime,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Starts creating the cluster's reader session if there is none (a run is about to start). */
  warm(clusterId: string): void {
    this.context(clusterId).catch((err) =>
      this.logger.info(`no reader session on cluster ${clusterId} yet: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  /** True when the cluster's reader session exists and is installed (reads will not wait for it). */
  ready(clusterId: string): boolean {
    return this.readers.get(clusterId)?.id !== undefined;
  }

  private context(clusterId: string): Promise<string> {
    const existing = this.readers.get(clusterId);
    if (existing) return existing.made;
    const entry: { made: Promise<string>; id?: string } = { made: Promise.resolve('') };
    entry.made = (async () => {
      const id = await this.api.createContext(clusterId);
      await this.api.execute(clusterId, id, this.runtime.install(), { schedule: READ_SCHEDULE, cancelOnGiveUp: false });
      this.logger.info(`reader session ${id} ready on cluster ${clusterId}`);
      entry.id = id;
      return id;
    })();
    this.readers.set(clusterId, entry);
    entry.made.catch(() => {
      if (this.readers.get(clusterId) === entry) this.readers.delete(clusterId);
    });
    return entry.made;
  }

  budget(clusterId: string, budget: number): number {
    return Math.min(budget, this.lowered.get(clusterId) ?? budget);
  }

  /** Reads one slice in the reader session, recreating it when it was lost. */
  async read(clusterId: string, runId: string, offset: number, budget: number, hint: number, signal?: AbortSignal, limit = 0): Promise<Slice> {
    let b = this.budget(clusterId, budget);
    let lastErr: unknown;
    for (let attempt = 0; attempt < 4; attempt++) {
      const contextId = await this.context(clusterId);
      try {
        return await readIn(this.api, this.runtime, clusterId, contextId, runId, offset, b, hint, signal, limit);
      } catch (err) {
        if (isCancellation(err)) throw err;
        lastErr = err;
        if (err instanceof SpoolFormatError) {
          // The service cut the result: its cap is lower than Ferry assumed. Read smaller slices.
          b = Math.max(2_000, Math.floor(b / 2));
          this.lowered.set(clusterId, b);
          this.logger.warn(`a spool slice arrived cut on cluster ${clusterId}; reading slices of ${b} characters from now on`);
          continue;
        }
        if (err instanceof ReaderNotReady || (err instanceof SessionLostError && err.contextGone) || isContextLost(err)) {
          // The reader session is gone or was never installed: make a new one (reads have no side effects).
          this.readers.delete(clusterId);
          continue;
        }
        throw err;
      }
    }
    throw lastErr instanceof Error ? lastErr : new Error(String(lastErr));
  }

  /** Destroys every reader session, best effort (on deactivate or a change of workspace). */
  async disposeAll(): Promise<void> {
    const all = [...this.readers.entries()];
    this.readers.clear();
    await Promise.all(
      all.map(async ([clusterId, entry]) => {
        const id = await entry.made.catch(() => undefined);
        if (id) await this.api.destroyContext(clusterId, id).catch(() => undefined);
      }),
    );
  }
}
