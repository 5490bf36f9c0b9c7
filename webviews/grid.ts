// A virtualized grid: rows AND columns. Only the rows and columns in view exist in the DOM (a pool
// reused on every scroll), and a scroll height beyond what browsers can lay out (1M rows × 22 px)
// is mapped proportionally onto a smaller sizer.
// Rows come from the host in windows (gridWindows.ts: the cache and what to ask for ahead of the
// user). A jump paints at once whatever rows it has and fills in the rest when their window lands.
// The header cells are gridHeader.ts; the selection is gridSelection.ts.
import type { HostMessage, TableView } from '../src/results/protocol';
import { el, onHostMessage, post, saveUiState, uiState } from './host';
import { HeaderActions, paintHeaderCell } from './gridHeader';
import { GridSelection } from './gridSelection';
import { RowWindows, WINDOW } from './gridWindows';

const ROW_H = 22;
const HEADER_H = ROW_H + 4;
const MAX_SIZER_PX = 4_000_000;
const MIN_COL_W = 40;
/** Room a header keeps at its right for a masked column's Reveal / Mask button. */
const PII_ACTION_W = 60;

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
  private readonly windows: RowWindows;
  /** Rows moved by the last scroll (signed): the direction and stride to prefetch along. */
  private velocity = 0;
  private frame = 0;
  /** The first row in view, fractional (see onScroll). */
  private top = 0;
  private offset = 0;
  private lastScrollTop = 0;
  private pendingTop: number | undefined;
  private readonly selection = new GridSelection();
  private readonly headerActions: HeaderActions = {
    sort: (c) => this.toggleSort(c),
    startResize: (e, c) => this.startResize(e, c),
    reveal: (c, reveal) => post({ type: 'revealColumn', outputId: this.view.id, column: c, reveal }),
  };
  private rownumW = 60;
  private readonly unsubscribe: () => void;

  constructor(view: TableView) {
    this.view = view;
    this.windows = new RowWindows(view.id);
    const saved = uiState().outputs[view.id];
    this.widths = view.columns.map((c, i) => saved?.widths?.[i] ?? defaultWidth(c.type, c.name) + (c.pii ? PII_ACTION_W : 0));
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
    // A column was revealed or masked again: the same rows, shown differently; the scroll stays.
    const remasked = view.maskRevision !== this.view.maskRevision;
    this.view = view;
    if (remasked && !changed) this.windows.clear();
    if (view.columns.length !== this.widths.length) this.widths = view.columns.map((c) => defaultWidth(c.type, c.name));
    if (grew && !changed) {
      // The result grew (or shrank) in the same order: only a window cut short by the old end is stale.
      this.windows.dropPartial();
    }
    if (changed) {
      this.windows.clear();
      this.velocity = 0;
      this.selection.clear();
      this.viewport.scrollTop = 0;
      this.top = this.offset = this.lastScrollTop = 0;
    }
    this.viewport.setAttribute('aria-rowcount', String(view.rowCount ?? -1));
    this.layout();
    if (changed || remasked) {
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
      const win = this.windows.of(r);
      const at = r % WINDOW;
      this.fillCells(rowEl, cols, left, (c, cell) => {
        if (!win) {
          cell.textContent = '…';
          cell.className = 'grid-cell pending';
          return;
        }
        const v = win.columns[c]?.[at];
        let cls = this.view.columns[c]?.pii?.masked ? 'grid-cell masked' : 'grid-cell';
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
        if (this.selection.has(r, c)) cls += ' selected';
        cell.className = cls;
        cell.dataset.col = String(c);
      });
    }
    this.windows.fetch(first, count, this.rowCount(), this.velocity);
    // What this paint showed (the benchmark waits on these): the scroll position, and whether
    // every row in view had its data.
    let complete = true;
    for (let r = first; r < first + count && complete; r += WINDOW) complete = !!this.windows.of(r);
    if (count > 0) complete &&= !!this.windows.of(first + count - 1);
    vp.dataset.paintedScroll = String(vp.scrollTop);
    vp.dataset.paintedComplete = complete ? '1' : '0';
    if (!this.viewport.dataset.firstRowsMs && count > 0 && this.windows.of(first) && this.windows.of(first + count - 1)) {
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
    this.fillCells(header, cols, left, (c, cell) => paintHeaderCell(cell, this.view, c, this.headerActions));
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
  private onHost(m: HostMessage): void {
    if (m.type !== 'rows' || m.outputId !== this.view.id) return;
    const w = this.windows.accept(m, this.view);
    if (w === undefined) return;
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

  /** Handles a click in the grid: a cell selects it, a row number selects the row; Shift extends. */
  click(target: HTMLElement, shift: boolean): void {
    const rowEl = target.closest('.grid-row.data') as HTMLElement | null;
    if (!rowEl) return;
    const r = Number(rowEl.dataset.row);
    const last = this.view.columns.length - 1;
    if (target.classList.contains('grid-rownum')) this.selection.selectRow(r, last, shift);
    else {
      const cell = target.closest('.grid-cell') as HTMLElement | null;
      if (!cell?.dataset.col) return;
      this.selection.selectCell({ row: r, col: Number(cell.dataset.col) }, shift);
    }
    this.viewport.focus();
    this.schedule();
  }

  copySelection(): boolean {
    const range = this.selection.range();
    if (!range) return false;
    post({ type: 'copy', outputId: this.view.id, ...range });
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
    if (!move) return;
    const focus = this.selection.move(move[0], move[1], this.rowCount(), this.view.columns.length, e.shiftKey);
    if (!focus) return;
    e.preventDefault();
    this.scrollIntoView(focus.row, focus.col);
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
