// A virtualized grid: rows AND columns. Only the rows and columns in view exist in the DOM (a pool
// reused on every scroll), rows are fetched from the host by window, and a scroll height beyond
// what browsers can lay out (1M rows × 22 px) is mapped proportionally onto a smaller sizer.
import type { ResultCell } from '../src/results/model';
import type { HostMessage, TableView } from '../src/results/protocol';
import { el, onHostMessage, post, requestId, saveUiState, uiState } from './host';

const ROW_H = 22;
const HEADER_H = ROW_H + 4;
const PAGE = 100;
const MAX_PAGES = 40;
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
  private pages = new Map<number, ResultCell[][]>();
  private pending = new Map<number, number>();
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
    this.view = view;
    if (view.columns.length !== this.widths.length) this.widths = view.columns.map((c) => defaultWidth(c.type, c.name));
    if (changed) {
      this.pages.clear();
      this.pending.clear();
      this.anchor = this.focus = undefined;
      this.viewport.scrollTop = 0;
      this.top = this.offset = this.lastScrollTop = 0;
    }
    this.viewport.setAttribute('aria-rowcount', String(view.rowCount ?? -1));
    this.layout();
  }

  private rowCount(): number {
    return this.view.rowCount ?? Math.max(this.pages.size * PAGE, PAGE);
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
      const data = this.rowData(r);
      this.fillCells(rowEl, cols, left, (c, cell) => {
        if (!data) {
          cell.textContent = '…';
          cell.className = 'grid-cell pending';
          return;
        }
        const v = data[c];
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
    this.fetchVisible(first, count);
    if (!this.viewport.dataset.firstRowsMs && count > 0 && this.rowData(first) && this.rowData(first + count - 1)) {
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

  private rowData(r: number): ResultCell[] | undefined {
    return this.pages.get(Math.floor(r / PAGE))?.[r % PAGE];
  }

  private fetchVisible(first: number, count: number): void {
    const from = Math.floor(first / PAGE);
    const to = Math.floor((first + Math.max(count, 1) - 1) / PAGE);
    for (let p = from; p <= to; p++) {
      if (this.pages.has(p) || this.pending.has(p)) continue;
      const id = requestId();
      this.pending.set(p, id);
      post({ type: 'getRows', requestId: id, outputId: this.view.id, start: p * PAGE, count: PAGE });
    }
    if (this.pages.size > MAX_PAGES) {
      for (const p of [...this.pages.keys()].sort((a, b) => Math.abs(b - from) - Math.abs(a - from))) {
        if (this.pages.size <= MAX_PAGES) break;
        if (p < from - 2 || p > to + 2) this.pages.delete(p);
      }
    }
  }

  private onHost(m: HostMessage): void {
    if (m.type !== 'rows' || m.outputId !== this.view.id) return;
    const page = Math.floor(m.start / PAGE);
    if (this.pending.get(page) !== m.requestId) return;
    this.pending.delete(page);
    if (m.version !== this.view.version) return;
    this.pages.set(page, m.rows);
    if (this.view.rowCount === undefined && m.rowCount !== undefined) {
      this.view = { ...this.view, rowCount: m.rowCount };
      this.layout();
      return;
    }
    // Rows in view are painted at once rather than on the next frame: a frame less of "…".
    const first = this.firstRow();
    if (page >= Math.floor(first / PAGE) && page <= Math.floor((first + this.visibleRows()) / PAGE)) {
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
