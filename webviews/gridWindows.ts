// The grid's rows as the host sends them: windows of WINDOW rows, one message each, kept in a
// bounded cache. It asks ahead of the user — the windows around the viewport, the next ones in the
// direction of scrolling, and, while the scrollbar is dragged, where the next jumps of the same
// stride will land — and drops the windows farthest from the view when the cache is full.
import type { ResultCell } from '../src/results/model';
import type { HostMessage } from '../src/results/protocol';
import { decodeColumn } from '../src/results/wire';
import { WINDOW, wantedWindows } from './gridPrefetch';
import { post, requestId } from './host';

export { WINDOW };
/** Windows kept at most (256 rows each: 16,384 rows). */
const MAX_WINDOWS = 64;
/** Windows asked for ahead of need at most at a time (those in view are always asked for). */
const MAX_PREFETCH = 24;
/** A window asked for and not answered is asked again after this long. */
const PENDING_MS = 10_000;

export interface RowWindow {
  columns: ResultCell[][];
  count: number;
}

type RowsMessage = Extract<HostMessage, { type: 'rows' }>;

export class RowWindows {
  /** Cached windows: their columns (decoded) and row count, by window number. */
  private readonly windows = new Map<number, RowWindow>();
  /** Windows asked for: the request id and when (a lost reply is asked again after PENDING_MS). */
  private readonly pending = new Map<number, { id: number; at: number }>();

  constructor(private readonly outputId: string) {}

  get size(): number {
    return this.windows.size;
  }

  /** The window holding row `r`, when it is here. */
  of(r: number): RowWindow | undefined {
    const win = this.windows.get(Math.floor(r / WINDOW));
    return win && r % WINDOW < win.count ? win : undefined;
  }

  /** Forgets every window (a new order, a column masked or revealed). */
  clear(): void {
    this.windows.clear();
    this.pending.clear();
  }

  /** The result grew or shrank in the same order: only a window cut short by the old end is stale. */
  dropPartial(): void {
    for (const [w, win] of this.windows) if (win.count < WINDOW) this.windows.delete(w);
    this.pending.clear();
  }

  /** Asks for the windows rows `first`… need and the ones ahead of the scroll (`velocity`, rows per move). */
  fetch(first: number, count: number, rows: number, velocity: number): void {
    const want = wantedWindows(first, count, rows, velocity);
    const visible = new Set(want.slice(0, Math.ceil(Math.max(count, 1) / WINDOW) + 1));
    for (const w of want) {
      const asked = this.pending.get(w);
      if (this.windows.has(w) || (asked && performance.now() - asked.at < PENDING_MS)) continue;
      if (!visible.has(w) && this.pending.size >= MAX_PREFETCH) continue;
      const id = requestId();
      this.pending.set(w, { id, at: performance.now() });
      post({ type: 'getRows', requestId: id, outputId: this.outputId, start: w * WINDOW, count: WINDOW });
    }
    if (this.windows.size > MAX_WINDOWS) {
      const keep = new Set(want);
      const centre = Math.floor(first / WINDOW);
      const byDistance = [...this.windows.keys()].filter((w) => !keep.has(w)).sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
      for (const w of byDistance) {
        if (this.windows.size <= MAX_WINDOWS) break;
        this.windows.delete(w);
      }
    }
  }

  /** Takes a window the host sent; returns its number, or undefined when it was not asked for or is stale. */
  accept(m: RowsMessage, current: { version: number; maskRevision: number }): number | undefined {
    const w = Math.floor(m.start / WINDOW);
    if (this.pending.get(w)?.id !== m.requestId) return undefined;
    this.pending.delete(w);
    if (m.version !== current.version || m.mask !== current.maskRevision) return undefined;
    this.windows.set(w, { columns: m.columns.map(decodeColumn), count: m.count });
    return w;
  }
}
