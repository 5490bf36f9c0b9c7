// Persistent execution contexts, one per (cluster, workspace folder), created on first use and
// reused so that variables live between runs. A context the cluster has lost (a restart, an idle
// expiry) before a command started is recreated once, and the caller is told so it can say that
// earlier state is gone; one lost while a command ran is reported, never worked around.
import { Logger, silentLogger } from '../../core/logger';
import { CommandOutcome, ExecuteOptions, ExecutionApi, isContextLost, SessionLostError } from './execution';

export interface SessionKey {
  clusterId: string;
  /** A stable id of the workspace folder (its URI string). */
  folder: string;
}

export interface SessionRunResult extends CommandOutcome {
  /** True when a new context had to be created for this run (first run, or the old one was lost). */
  newSession: boolean;
  /** True when a previous context existed but was lost, so earlier variables are gone. */
  sessionLost: boolean;
  contextId: string;
}

function keyOf(k: SessionKey): string {
  return `${k.clusterId}\u0000${k.folder}`;
}

export class SessionManager {
  private readonly contexts = new Map<string, { key: SessionKey; id: Promise<string> }>();

  constructor(
    readonly api: ExecutionApi,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** The live context id for a key, if one has been created. */
  async current(key: SessionKey): Promise<string | undefined> {
    const entry = this.contexts.get(keyOf(key));
    return entry ? entry.id.catch(() => undefined) : undefined;
  }

  has(key: SessionKey): boolean {
    return this.contexts.has(keyOf(key));
  }

  /** Every session this manager holds (for the status bar and Restart Session). */
  keys(): SessionKey[] {
    return [...this.contexts.values()].map((e) => e.key);
  }

  private acquire(key: SessionKey, signal?: AbortSignal): { id: Promise<string>; created: boolean } {
    const k = keyOf(key);
    const existing = this.contexts.get(k);
    if (existing) return { id: existing.id, created: false };
    const id = this.api.createContext(key.clusterId, signal);
    this.contexts.set(k, { key, id });
    // A failed creation must not poison the key: the next run tries again.
    id.catch(() => {
      if (this.contexts.get(k)?.id === id) this.contexts.delete(k);
    });
    this.logger.info(`creating a Python session on cluster ${key.clusterId}`);
    return { id, created: true };
  }

  /**
   * Runs a command in the key's context, creating the context if needed. When the cluster refuses
   * the execute request because the context is gone (a restart, an eviction), the code never
   * started: a new context is made and the command sent to it, once. Once a command has an id it is
   * never sent again; a context lost while it ran ends in SessionLostError (and is forgotten).
   */
  async run(key: SessionKey, command: string, opts: ExecuteOptions = {}): Promise<SessionRunResult> {
    const first = this.acquire(key, opts.signal);
    const contextId = await first.id;
    try {
      const outcome = await this.api.execute(key.clusterId, contextId, command, opts);
      return { ...outcome, newSession: first.created, sessionLost: false, contextId };
    } catch (err) {
      if (err instanceof SessionLostError) {
        if (err.contextGone) this.forget(key);
        throw err;
      }
      if (!isContextLost(err)) throw err;
      this.logger.warn(`session ${contextId} on cluster ${key.clusterId} was lost before the command started; creating a new one`);
      this.forget(key);
      const again = this.acquire(key, opts.signal);
      const newId = await again.id;
      const outcome = await this.api.execute(key.clusterId, newId, command, opts);
      return { ...outcome, newSession: true, sessionLost: !first.created, contextId: newId };
    }
  }

  /** Drops the key's context locally (when it is known to be gone) without calling the cluster. */
  forget(key: SessionKey): void {
    this.contexts.delete(keyOf(key));
  }

  /** Destroys the key's context on the cluster; the next run starts a fresh one. */
  async restart(key: SessionKey): Promise<boolean> {
    const k = keyOf(key);
    const entry = this.contexts.get(k);
    if (!entry) return false;
    this.contexts.delete(k);
    const id = await entry.id.catch(() => undefined);
    if (id) await this.api.destroyContext(key.clusterId, id).catch((err) => this.logger.warn(`destroying context ${id} failed`, err));
    return true;
  }

  /** Destroys every context (on deactivate), best effort. */
  async disposeAll(): Promise<void> {
    await Promise.all(this.keys().map((k) => this.restart(k)));
  }
}
