// A virtualized grid: rows AND columns. Only the rows and columns in view exist in the DOM (a pool
// reused on every scroll), and a scroll height beyond what browsers can lay out (1M rows × 22 px)
// is mapped proportionally onto a smaller sizer.
// Rows come from the host in windows of WINDOW rows, one message each, column by column (wire.ts).
// The grid keeps a bounded cache of windows and asks ahead of the user: the windows around the
// viewport, the next ones in the direction of scrolling, and, while the scrollbar is being dragged,
// the windows where the next few jumps of the same size will land. A jump paints at once whatever
// rows it has and fills in the rest when their window lands.
import type { ResultCell } from '../src/results/model';
import type { HostMessage, TableView } from '../src/results/protocol';
import { decodeColumn } from '../src/results/wire';
import { el, onHostMessage, post, requestId, saveUiState, uiState } from './host';

const ROW_H = 22;
const HEADER_H = ROW_H + 4;
/** Rows per window: several screens, and small enough to encode and paint in a frame. */
const WINDOW = 256;
/** Windows kept (about 16,000 rows). */
const MAX_WINDOWS = 64;
/** Prefetches in flight at once (the windows in view are always asked for). */
const MAX_PREFETCH = 24;
/** Predicted jumps prefetched while the scrollbar is dragged (a drag moves a step a frame; a busy host may take several frames to answer). */
const JUMPS_AHEAD = 8;
const PENDING_MS = 10_000;
const MAX_SIZER_PX = 4_000_000;
const MIN_COL_W = 40;

interface Cellpos {
  row: number;
  col: number;
}

function defaultWidth(type: string, name: string): number {
  const base = type === 'boolean' ? 80 : type === 'integer' || type === 'number' ? 110 : type === 'date' ? 110 : type === 'timestamp' ? 180 : 160;
  return Math.max(base, Math.min(260, name.length * 8 + 70));
}

export class Grid {
  readonly viewport: HTMLDivElement;
  private readonly sizer: HTMLDivElement;
  private readonly layer: HTMLDivElement;
  private readonly headerRow: HTMLDivElement;
  private readonly rowPool: HTMLDivElement[] = [];
  private view: TableView;
  private widths: number[];
  private offsets: number[] = [];
  /** Cached windows: their columns (decoded) and row count, by window number. */
  private windows = new Map<number, { columns: ResultCell[][]; count: number }>();
  /** Windows asked for: the request id and when (a lost reply is asked again after PENDING_MS). */
  private pending = new Map<number, { id: number; at: number }>();
  /** Rows moved by the last scroll (signed): the direction and stride to prefetch along. */
  private velocity = 0;
  private frame = 0;
  /** The first row in view, fractional (see onScroll). */
  private top = 0;
  private offset = 0;
  private lastScrollTop = 0;
  private pendingTop: number | undefined;
  private anchor: Cellpos | undefined;
  private focus: Cellpos | undefined;
  private wholeRows = false;
  private rownumW = 60;
  private readonly unsubscribe: () => void;

  constructor(view: TableView) {
    this.view = view;
    const saved = uiState().outputs[view.id];
    this.widths = view.columns.map((c, i) => saved?.widths?.[i] ?? defaultWidth(c.type, c.name));
    this.viewport = el('div', 'grid-viewport');
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute('role', 'grid');
    this.viewport.setAttribute('aria-rowcount', String(view.rowCount ?? -1));
    this.viewport.dataset.createdMs = performance.now().toFixed(1);
    this.sizer = el('div', 'grid-sizer');
    this.layer = el('div', 'grid-layer');
    this.headerRow = el('div', 'grid-row header');
    this.headerRow.setAttribute('role', 'row');
    this.layer.append(this.headerRow);
    this.viewport.append(this.sizer, this.layer);
    this.viewport.addEventListener('scroll', () => {
      this.onScroll();
      this.schedule();
      saveUiState((s) => (s.outputs[this.view.id] = { ...s.outputs[this.view.id], scrollTop: this.viewport.scrollTop, scrollLeft: this.viewport.scrollLeft }));
    });
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.viewport.addEventListener('click', (e) => this.click(e.target as HTMLElement, e.shiftKey));
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
    this.unsubscribe = onHostMessage((m) => this.onHost(m));
    this.layout();
    if (saved?.scrollTop || saved?.scrollLeft) {
      requestAnimationFrame(() => {
        this.viewport.scrollTop = saved.scrollTop ?? 0;
        this.viewport.scrollLeft = saved.scrollLeft ?? 0;
      });
    }
  }

  dispose(): void {
    this.unsubscribe();
  }

  update(view: TableView): void {
    const changed = view.version !== this.view.version;
    const grew = view.rowCount !== this.view.rowCount;
    this.view = view;
    if (view.columns.length !== this.widths.length) this.widths = view.columns.map((c) => defaultWidth(c.type, c.name));
    if (grew && !changed) {
      // The result grew (or shrank) in the same order: only a window cut short by the old end is stale.
      for (const [w, win] of this.windows) if (win.count < WINDOW) this.windows.delete(w);
      this.pending.clear();
    }
    if (changed) {
      this.windows.clear();
      this.pending.clear();
      this.velocity = 0;
      this.anchor = this.focus = undefined;
      this.viewport.scrollTop = 0;
      this.top = this.offset = this.lastScrollTop = 0;
    }
    this.viewport.setAttribute('aria-rowcount', String(view.rowCount ?? -1));
    this.layout();
    if (changed) {
      // Paint the new order now: until the next frame the DOM would still show rows of the old one.
      if (this.frame) cancelAnimationFrame(this.frame);
      this.frame = 0;
      this.render();
    }
  }

  private rowCount(): number {
    return this.view.rowCount ?? Math.max(this.windows.size * WINDOW, WINDOW);
  }

  private layout(): void {
    this.offsets = [0];
    for (const w of this.widths) this.offsets.push(this.offsets[this.offsets.length - 1] + w);
    this.rownumW = Math.max(50, String(this.rowCount()).length * 8 + 20);
    const full = this.rowCount() * ROW_H + HEADER_H;
    this.sizer.style.height = `${Math.min(full, MAX_SIZER_PX)}px`;
    this.sizer.style.width = `${this.rownumW + this.offsets[this.offsets.length - 1]}px`;
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private scaled(): boolean {
    return this.rowCount() * ROW_H + HEADER_H > MAX_SIZER_PX;
  }

  private maxTop(): number {
    return Math.max(0, this.rowCount() - this.visibleRows() + 1);
  }

  /**
   * Maps the scroll position to the first row. Unscaled, it is exact. Scaled (the sizer is capped,
   * so 1 px of scrollbar is several rows), a big jump (a thumb drag) maps proportionally, while a
   * small one (wheel, PageDown, arrow keys) moves by exactly as many rows as pixels scrolled, so
   * paging never skips rows; the drift this adds to the thumb is dropped on the next big jump
   * and at either end.
   */
  private onScroll(): void {
    const before = this.top;
    this.mapScroll();
    const moved = this.top - before;
    if (moved !== 0) this.velocity = moved;
  }

  private mapScroll(): void {
    const vp = this.viewport;
    if (!this.scaled()) {
      this.top = vp.scrollTop / ROW_H;
      this.offset = 0;
    } else {
      const maxScroll = Math.max(1, vp.scrollHeight - vp.clientHeight);
      const at = Math.min(vp.scrollTop, maxScroll);
      const prop = (at / maxScroll) * this.maxTop();
      const delta = vp.scrollTop - this.lastScrollTop;
      if (this.pendingTop !== undefined) {
        this.offset = this.pendingTop - prop;
        this.pendingTop = undefined;
      } else if (at <= 0 || at >= maxScroll - 1 || Math.abs(delta) > vp.clientHeight * 1.5) this.offset = 0;
      else this.offset = this.top + delta / ROW_H - prop;
      this.top = Math.max(0, Math.min(this.maxTop(), prop + this.offset));
    }
    this.lastScrollTop = vp.scrollTop;
  }

  /** The first row in view. */
  firstRow(): number {
    return Math.max(0, Math.min(Math.floor(this.top), this.maxTop()));
  }

  private visibleRows(): number {
    return Math.max(1, Math.ceil((this.viewport.clientHeight - HEADER_H) / ROW_H));
  }

  private render(): void {
    const vp = this.viewport;
    const width = vp.clientWidth;
    const height = vp.clientHeight;
    // The layer sits over the visible area; its content is positioned relative to it.
    this.layer.style.transform = `translate(${vp.scrollLeft}px, ${vp.scrollTop}px)`;
    this.layer.style.width = `${width}px`;
    this.layer.style.height = `${height}px`;
    const rows = this.rowCount();
    const first = this.firstRow();
    const subOffset = this.scaled() ? Math.round((this.top - Math.floor(this.top)) * ROW_H) : vp.scrollTop % ROW_H;
    const count = Math.min(this.visibleRows() + 1, Math.max(0, rows - first));
    const left = vp.scrollLeft;
    const cols: number[] = [];
    for (let c = 0; c < this.widths.length; c++) {
      const x = this.offsets[c] - left;
      if (x + this.widths[c] > 0 && x < width - this.rownumW) cols.push(c);
    }
    this.renderHeader(cols, left);
    while (this.rowPool.length < count) {
      const row = el('div', 'grid-row data');
      row.setAttribute('role', 'row');
      row.append(el('div', 'grid-rownum'));
      this.layer.append(row);
      this.rowPool.push(row);
    }
    for (let i = 0; i < this.rowPool.length; i++) {
      const rowEl = this.rowPool[i];
      if (i >= count) {
        rowEl.style.display = 'none';
        continue;
      }
      const r = first + i;
      rowEl.style.display = '';
      rowEl.style.top = `${HEADER_H + i * ROW_H - subOffset}px`;
      rowEl.classList.toggle('odd', r % 2 === 1);
      rowEl.dataset.row = String(r);
      const num = rowEl.firstElementChild as HTMLDivElement;
      num.textContent = String(r + 1);
      num.style.width = `${this.rownumW}px`;
      const win = this.windowOf(r);
      const at = r % WINDOW;
      this.fillCells(rowEl, cols, left, (c, cell) => {
        if (!win) {
          cell.textContent = '…';
          cell.className = 'grid-cell pending';
          return;
        }
        const v = win.columns[c]?.[at];
        let cls = 'grid-cell';
        if (v === null || v === undefined) {
          cell.textContent = 'NULL';
          cls += ' null';
        } else if (v === '') {
          cell.textContent = '';
          cls += ' empty';
        } else {
          cell.textContent = String(v);
          if (typeof v === 'number') cls += ' num';
        }
        if (this.isSelected(r, c)) cls += ' selected';
        cell.className = cls;
        cell.dataset.col = String(c);
      });
    }
    this.fetch(first, count);
    // What this paint showed (the benchmark waits on these): the scroll position, and whether
    // every row in view had its data.
    let complete = true;
    for (let r = first; r < first + count && complete; r += WINDOW) complete = !!this.windowOf(r);
    if (count > 0) complete &&= !!this.windowOf(first + count - 1);
    vp.dataset.paintedScroll = String(vp.scrollTop);
    vp.dataset.paintedComplete = complete ? '1' : '0';
    if (!this.viewport.dataset.firstRowsMs && count > 0 && this.windowOf(first) && this.windowOf(first + count - 1)) {
      // When the first screenful was painted (the benchmark reads it against createdMs).
      this.viewport.dataset.firstRowsMs = performance.now().toFixed(1);
    }
  }

  private fillCells(rowEl: HTMLDivElement, cols: number[], left: number, fill: (c: number, cell: HTMLDivElement) => void): void {
    // Child 0 is the row number; cells follow and are reused.
    while (rowEl.children.length - 1 < cols.length) {
      const cell = el('div', 'grid-cell');
      cell.setAttribute('role', 'gridcell');
      rowEl.append(cell);
    }
    for (let i = rowEl.children.length - 1; i > cols.length; i--) rowEl.children[i].remove();
    cols.forEach((c, i) => {
      const cell = rowEl.children[i + 1] as HTMLDivElement;
      cell.style.left = `${this.rownumW + this.offsets[c] - left}px`;
      cell.style.width = `${this.widths[c]}px`;
      fill(c, cell);
    });
  }

  private renderHeader(cols: number[], left: number): void {
    const header = this.headerRow;
    if (!header.firstElementChild) header.append(el('div', 'grid-rownum', '#'));
    (header.firstElementChild as HTMLDivElement).style.width = `${this.rownumW}px`;
    this.fillCells(header, cols, left, (c, cell) => {
      const col = this.view.columns[c];
      cell.className = 'grid-cell';
      cell.dataset.col = String(c);
      cell.textContent = '';
      cell.setAttribute('role', 'columnheader');
      cell.title = `${col.name} — ${col.sourceType ?? col.type}${this.view.sortable ? ' (click to sort)' : ''}`;
      const name = el('span', 'col-name', col.name);
      const type = el('span', 'col-type', col.sourceType ?? col.type);
      cell.append(name, type);
      if (this.view.sort?.column === c) cell.append(el('span', 'sort-mark', this.view.sort.direction === 'asc' ? '▲' : '▼'));
      const resizer = el('div', 'resizer');
      resizer.addEventListener('mousedown', (e) => this.startResize(e, c));
      resizer.addEventListener('click', (e) => e.stopPropagation());
      cell.append(resizer);
      cell.onclick = () => this.toggleSort(c);
    });
  }

  private toggleSort(c: number): void {
    if (!this.view.sortable) return;
    const cur = this.view.sort;
    const next = cur?.column !== c ? { column: c, direction: 'asc' as const } : cur.direction === 'asc' ? { column: c, direction: 'desc' as const } : null;
    post({ type: 'sort', outputId: this.view.id, sort: next });
  }

  private startResize(e: MouseEvent, c: number): void {
    e.preventDefault();
    e.stopPropagation();
    const startX = e.clientX;
    const startW = this.widths[c];
    const move = (ev: MouseEvent) => {
      this.widths[c] = Math.max(MIN_COL_W, startW + ev.clientX - startX);
      this.layout();
    };
    const up = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      saveUiState((s) => (s.outputs[this.view.id] = { ...s.outputs[this.view.id], widths: [...this.widths] }));
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  }

  /** Sets a column's width (also used by tests through the DOM). */
  setWidth(c: number, w: number): void {
    this.widths[c] = Math.max(MIN_COL_W, w);
    this.layout();
  }

  /** The cached window holding row r, if it holds it. */
  private windowOf(r: number): { columns: ResultCell[][]; count: number } | undefined {
    const win = this.windows.get(Math.floor(r / WINDOW));
    return win && r % WINDOW < win.count ? win : undefined;
  }

  /** Windows to have, most wanted first: those in view, around it, and along the scroll. */
  private wanted(first: number, count: number): number[] {
    const rows = this.rowCount();
    const out: number[] = [];
    const add = (row: number) => {
      const w = Math.floor(row / WINDOW);
      if (row >= 0 && row < rows && !out.includes(w)) out.push(w);
    };
    const last = first + Math.max(count, 1) - 1;
    for (let r = first; r <= last; r += WINDOW) add(r);
    add(last);
    const ahead = this.velocity < 0 ? -1 : 1;
    // The next screens in the direction of travel, then the previous ones.
    add(ahead > 0 ? last + count : first - count);
    add(ahead > 0 ? last + WINDOW : first - WINDOW);
    add(ahead > 0 ? first - count : last + count);
    // A drag of the thumb moves by about the same stride each frame: be where it lands next.
    if (Math.abs(this.velocity) > count * 2) {
      for (let j = 1; j <= JUMPS_AHEAD; j++) {
        const at = Math.round(first + this.velocity * j);
        if (at < 0 || at >= rows) break;
        add(at);
        add(at + count - 1);
      }
    }
    return out;
  }

  private fetch(first: number, count: number): void {
    const want = this.wanted(first, count);
    const visible = new Set(want.slice(0, Math.ceil(Math.max(count, 1) / WINDOW) + 1));
    for (const w of want) {
      const asked = this.pending.get(w);
      if (this.windows.has(w) || (asked && performance.now() - asked.at < PENDING_MS)) continue;
      if (!visible.has(w) && this.pending.size >= MAX_PREFETCH) continue;
      const id = requestId();
      this.pending.set(w, { id, at: performance.now() });
      post({ type: 'getRows', requestId: id, outputId: this.view.id, start: w * WINDOW, count: WINDOW });
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

  private onHost(m: HostMessage): void {
    if (m.type !== 'rows' || m.outputId !== this.view.id) return;
    const w = Math.floor(m.start / WINDOW);
    if (this.pending.get(w)?.id !== m.requestId) return;
    this.pending.delete(w);
    if (m.version !== this.view.version) return;
    this.windows.set(w, { columns: m.columns.map(decodeColumn), count: m.count });
    if (this.view.rowCount === undefined && m.rowCount !== undefined) {
      this.view = { ...this.view, rowCount: m.rowCount };
      this.layout();
      return;
    }
    // Rows in view are painted at once rather than on the next frame: a frame less of "…".
    const first = this.firstRow();
    if (w >= Math.floor(first / WINDOW) && w <= Math.floor((first + this.visibleRows()) / WINDOW)) {
      if (this.frame) cancelAnimationFrame(this.frame);
      this.frame = 0;
      this.render();
    }
  }

  // ---- selection and copy ----------------------------------------------------------------

  private isSelected(r: number, c: number): boolean {
    if (!this.anchor || !this.focus) return false;
    const [r0, r1] = [Math.min(this.anchor.row, this.focus.row), Math.max(this.anchor.row, this.focus.row)];
    const [c0, c1] = [Math.min(this.anchor.col, this.focus.col), Math.max(this.anchor.col, this.focus.col)];
    return r >= r0 && r <= r1 && c >= c0 && c <= c1;
  }

  /** Handles a click in the grid: a cell selects it, a row number selects the row; Shift extends. */
  click(target: HTMLElement, shift: boolean): void {
    const rowEl = target.closest('.grid-row.data') as HTMLElement | null;
    if (!rowEl) return;
    const r = Number(rowEl.dataset.row);
    const last = this.view.columns.length - 1;
    if (target.classList.contains('grid-rownum')) {
      if (shift && this.anchor) this.focus = { row: r, col: last };
      else {
        this.anchor = { row: r, col: 0 };
        this.focus = { row: r, col: last };
      }
      this.wholeRows = true;
    } else {
      const cell = target.closest('.grid-cell') as HTMLElement | null;
      if (!cell?.dataset.col) return;
      const pos = { row: r, col: Number(cell.dataset.col) };
      if (shift && this.anchor) this.focus = pos;
      else {
        this.anchor = this.focus = pos;
        this.wholeRows = false;
      }
    }
    this.viewport.focus();
    this.schedule();
  }

  copySelection(): boolean {
    if (!this.anchor || !this.focus) return false;
    post({
      type: 'copy',
      outputId: this.view.id,
      rowStart: Math.min(this.anchor.row, this.focus.row),
      rowEnd: Math.max(this.anchor.row, this.focus.row),
      colStart: Math.min(this.anchor.col, this.focus.col),
      colEnd: Math.max(this.anchor.col, this.focus.col),
      withHeader: this.wholeRows,
    });
    return true;
  }

  private onKey(e: KeyboardEvent): void {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c') {
      if (this.copySelection()) e.preventDefault();
      return;
    }
    if ((e.ctrlKey || e.metaKey) && e.key === 'End') {
      e.preventDefault();
      this.viewport.scrollTop = this.viewport.scrollHeight;
      return;
    }
    if ((e.ctrlKey || e.metaKey) && e.key === 'Home') {
      e.preventDefault();
      this.viewport.scrollTop = 0;
      return;
    }
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[e.key];
    if (!move || !this.focus) return;
    e.preventDefault();
    const row = Math.max(0, Math.min(this.rowCount() - 1, this.focus.row + move[0]));
    const col = Math.max(0, Math.min(this.view.columns.length - 1, this.focus.col + move[1]));
    this.focus = { row, col };
    if (!e.shiftKey) {
      this.anchor = this.focus;
      this.wholeRows = false;
    }
    this.scrollIntoView(row, col);
    this.schedule();
  }

  private scrollIntoView(row: number, col: number): void {
    const vp = this.viewport;
    const first = this.firstRow();
    const visible = this.visibleRows() - 1;
    if (row < first || row >= first + visible) {
      const target = row < first ? row : row - visible + 1;
      if (!this.scaled()) vp.scrollTop = target * ROW_H;
      else {
        this.pendingTop = target;
        vp.scrollTop = (target / Math.max(1, this.maxTop())) * (vp.scrollHeight - vp.clientHeight);
      }
    }
    const x = this.offsets[col];
    if (x < vp.scrollLeft) vp.scrollLeft = x;
    else if (x + this.widths[col] > vp.scrollLeft + vp.clientWidth - this.rownumW) vp.scrollLeft = x + this.widths[col] - vp.clientWidth + this.rownumW;
  }
}
