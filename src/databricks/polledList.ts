// A list of remote resources (clusters, SQL warehouses) shared by a view, the status bar and the
// commands, and the one place that decides when to poll it:
//  - while an item is in transition (a cluster PENDING, a warehouse STARTING): quickly, backing
//    off from 1 s to 10 s;
//  - while the view is visible and nothing moves: slowly, backing off from 30 s to 2 min,
//    back to 30 s whenever something changes;
//  - while the view is hidden: only until a transition the user started here settles; otherwise
//    no requests at all.
import { Emitter } from './emitter';

export interface PollPolicy {
  transitionMs: number;
  transitionCapMs: number;
  idleMs: number;
  idleCapMs: number;
  /** How long a user's action is watched if no transition shows up (the server may be slow to move). */
  watchGraceMs: number;
  /** Stop watching a transition after this long (a cluster stuck in PENDING). */
  watchMaxMs: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  transitionMs: 1000,
  transitionCapMs: 10_000,
  idleMs: 30_000,
  idleCapMs: 120_000,
  watchGraceMs: 20_000,
  watchMaxMs: 30 * 60_000,
};

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  now: () => Date.now(),
};

interface Watch {
  since: number;
  sawTransition: boolean;
}

/** What the list needs to know about one kind of resource. */
export interface PolledKind<T, S> {
  list(): Promise<T[]>;
  id(item: T): string;
  state(item: T): S | undefined;
  isTransitional(state: S | undefined): boolean;
  /** What counts as a change worth resetting the idle backoff (ids, states, names). */
  signature(item: T): string;
}

/** A kind whose list comes from a service made on demand (after a sign-in or a profile change, a new one). */
export function listedBy<T, S>(service: () => Promise<{ list(): Promise<T[]> }>, shape: Omit<PolledKind<T, S>, 'list'>): () => Promise<PolledKind<T, S>> {
  return async () => {
    const s = await service();
    return { ...shape, list: () => s.list() };
  };
}

export class PolledList<T, S> {
  private items: T[] | undefined;
  private lastError: unknown;
  private loading: Promise<void> | undefined;
  private visible = false;
  private timer: unknown;
  private transitionDelay: number;
  private idleDelay: number;
  private readonly watched = new Map<string, Watch>();
  private generation = 0;
  private readonly changed = new Emitter<void>();
  readonly onDidChange = (l: () => void): { dispose(): void } => this.changed.event(l);
  /** Number of list requests made (for tests and the polling benchmark). */
  requests = 0;
  /** When the next poll is due, in ms from now (undefined: none scheduled). For tests. */
  nextPollInMs: number | undefined;

  constructor(
    private readonly kind: () => Promise<PolledKind<T, S>>,
    private readonly timers: Timers = realTimers,
    private readonly policy: PollPolicy = DEFAULT_POLL_POLICY,
  ) {
    this.transitionDelay = policy.transitionMs;
    this.idleDelay = policy.idleMs;
  }

  protected get current(): T[] | undefined {
    return this.items;
  }

  get error(): unknown {
    return this.lastError;
  }

  get isVisible(): boolean {
    return this.visible;
  }

  find(id: string): T | undefined {
    return this.items?.find((c) => this.idOf(c) === id);
  }

  private kindCache: PolledKind<T, S> | undefined;

  private idOf(item: T): string {
    return this.kindCache ? this.kindCache.id(item) : '';
  }

  setVisible(visible: boolean): void {
    if (this.visible === visible) return;
    this.visible = visible;
    if (visible) {
      this.idleDelay = this.policy.idleMs;
      void this.refresh();
    } else {
      this.schedule();
    }
  }

  /** Loads the list now (a concurrent caller shares the request). */
  refresh(): Promise<void> {
    if (this.loading) return this.loading;
    const generation = this.generation;
    this.cancelTimer();
    this.loading = (async () => {
      try {
        const kind = await this.kind();
        this.kindCache = kind;
        this.requests++;
        const next = await kind.list();
        if (generation !== this.generation) return;
        const changed = next.map((i) => kind.signature(i)).join('|') !== (this.items ?? []).map((i) => kind.signature(i)).join('|');
        this.items = next;
        this.lastError = undefined;
        this.updateWatches();
        if (changed) this.idleDelay = this.policy.idleMs;
        if (!next.some((c) => kind.isTransitional(kind.state(c))) && this.watched.size === 0) this.transitionDelay = this.policy.transitionMs;
      } catch (err) {
        if (generation !== this.generation) return;
        this.lastError = err;
        this.items = undefined;
        this.watched.clear();
      } finally {
        if (generation === this.generation) {
          this.loading = undefined;
          this.changed.fire();
          this.schedule();
        }
      }
    })();
    return this.loading;
  }

  /** Runs an action on an item (start, stop…) and watches it until its transition settles. */
  protected async perform(id: string, action: () => Promise<void>): Promise<void> {
    await action();
    this.addWatch(id);
    await this.refresh();
  }

  /** Watches an item whose state someone else (a run, a statement) set moving. */
  watch(id: string): void {
    this.addWatch(id);
    this.schedule();
  }

  private addWatch(id: string): void {
    this.watched.set(id, { since: this.timers.now(), sawTransition: false });
    this.transitionDelay = this.policy.transitionMs;
  }

  /** Drops everything (the active workspace changed). */
  reset(): void {
    this.generation++;
    this.cancelTimer();
    this.loading = undefined;
    this.items = undefined;
    this.lastError = undefined;
    this.watched.clear();
    this.changed.fire();
    if (this.visible) void this.refresh();
  }

  dispose(): void {
    this.generation++;
    this.cancelTimer();
    this.changed.dispose();
  }

  private transitional(item: T | undefined): boolean {
    return !!item && !!this.kindCache && this.kindCache.isTransitional(this.kindCache.state(item));
  }

  private updateWatches(): void {
    const now = this.timers.now();
    for (const [id, w] of this.watched) {
      const item = this.find(id);
      const moving = this.transitional(item);
      if (moving) w.sawTransition = true;
      if ((!moving && (w.sawTransition || now - w.since > this.policy.watchGraceMs)) || now - w.since > this.policy.watchMaxMs || item === undefined)
        this.watched.delete(id);
    }
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.nextPollInMs = undefined;
  }

  private schedule(): void {
    this.cancelTimer();
    if (this.loading) return;
    const moving = this.watched.size > 0 || (this.visible && (this.items ?? []).some((c) => this.transitional(c)));
    let delay: number | undefined;
    if (moving) {
      delay = this.transitionDelay;
      this.transitionDelay = Math.min(this.policy.transitionCapMs, Math.round(this.transitionDelay * 1.5));
    } else if (this.visible && this.lastError === undefined) {
      delay = this.idleDelay;
      this.idleDelay = Math.min(this.policy.idleCapMs, this.idleDelay * 2);
    }
    if (delay === undefined) return;
    this.nextPollInMs = delay;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, delay);
  }
}
