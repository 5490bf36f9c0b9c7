// The cluster list shared by the clusters view, the status bar and run-on-cluster, and the one
// place that decides when to poll:
//  - while a cluster is in transition (PENDING, RESTARTING, RESIZING, TERMINATING): quickly,
//    backing off from 1 s to 10 s;
//  - while the view is visible and nothing moves: slowly, backing off from 30 s to 2 min,
//    back to 30 s whenever something changes;
//  - while the view is hidden: only until a transition the user started here settles; otherwise
//    no requests at all.
import { ClusterDetails, ClustersService, ClusterState, isTransitional } from './clusters';
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

export const DEFAULT_POLL_POLICY: PollPolicy = { transitionMs: 1000, transitionCapMs: 10_000, idleMs: 30_000, idleCapMs: 120_000, watchGraceMs: 20_000, watchMaxMs: 30 * 60_000 };

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

export type ClusterAction = 'start' | 'stop' | 'restart';

interface Watch {
  since: number;
  sawTransition: boolean;
}

export class ClustersModel {
  private list: ClusterDetails[] | undefined;
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

  constructor(
    private readonly service: () => Promise<ClustersService>,
    private readonly timers: Timers = realTimers,
    private readonly policy: PollPolicy = DEFAULT_POLL_POLICY,
  ) {
    this.transitionDelay = policy.transitionMs;
    this.idleDelay = policy.idleMs;
  }

  get clusters(): ClusterDetails[] | undefined {
    return this.list;
  }

  get error(): unknown {
    return this.lastError;
  }

  get isVisible(): boolean {
    return this.visible;
  }

  find(clusterId: string): ClusterDetails | undefined {
    return this.list?.find((c) => c.cluster_id === clusterId);
  }

  /** When the next poll is due, in ms from now (undefined: none scheduled). For tests. */
  nextPollInMs: number | undefined;

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
        const service = await this.service();
        this.requests++;
        const next = await service.list();
        if (generation !== this.generation) return;
        const changed = signature(next) !== signature(this.list ?? []);
        this.list = next;
        this.lastError = undefined;
        this.updateWatches();
        if (changed) this.idleDelay = this.policy.idleMs;
        if (!next.some((c) => isTransitional(c.state)) && this.watched.size === 0) this.transitionDelay = this.policy.transitionMs;
      } catch (err) {
        if (generation !== this.generation) return;
        this.lastError = err;
        this.list = undefined;
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

  /** Runs a start/stop/restart and watches the cluster until its transition settles. */
  async act(clusterId: string, action: ClusterAction): Promise<void> {
    const service = await this.service();
    if (action === 'start') await service.start(clusterId);
    else if (action === 'stop') await service.stop(clusterId);
    else await service.restart(clusterId);
    this.addWatch(clusterId);
    await this.refresh();
  }

  /** Watches a cluster whose state someone else (run-on-cluster) set moving. */
  watch(clusterId: string): void {
    this.addWatch(clusterId);
    this.schedule();
  }

  private addWatch(clusterId: string): void {
    this.watched.set(clusterId, { since: this.timers.now(), sawTransition: false });
    this.transitionDelay = this.policy.transitionMs;
  }

  /** Drops everything (the active workspace changed). */
  reset(): void {
    this.generation++;
    this.cancelTimer();
    this.loading = undefined;
    this.list = undefined;
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

  private updateWatches(): void {
    const now = this.timers.now();
    for (const [id, w] of this.watched) {
      const state: ClusterState | undefined = this.find(id)?.state;
      if (isTransitional(state)) w.sawTransition = true;
      const settled = !isTransitional(state);
      if ((settled && (w.sawTransition || now - w.since > this.policy.watchGraceMs)) || now - w.since > this.policy.watchMaxMs || state === undefined) this.watched.delete(id);
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
    const moving = this.watched.size > 0 || (this.visible && (this.list ?? []).some((c) => isTransitional(c.state)));
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

function signature(list: ClusterDetails[]): string {
  return list.map((c) => `${c.cluster_id}:${c.state}:${c.num_workers ?? ''}:${c.cluster_name ?? ''}`).join('|');
}
