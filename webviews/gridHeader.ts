// One header cell of the grid: the column's name and type, its sort mark, the Reveal / Mask button
// of a column with personal data, and the resize handle. grid.ts owns the layout and says what a
// click does (HeaderActions).
import { describeKinds } from '../src/core/pii/kinds';
import type { ColumnPiiView, TableView } from '../src/results/protocol';
import { el } from './host';

export interface HeaderActions {
  sort(col: number): void;
  startResize(e: MouseEvent, col: number): void;
  /** Reveal (true) or mask again (false) a column with personal data. */
  reveal(col: number, reveal: boolean): void;
}

/**
 * Fills `cell` with column `c`'s header. Rebuilt only when what it shows changed: a header rebuilt
 * on every paint would swallow clicks on its buttons (the element under the mouse replaced between
 * press and release).
 */
export function paintHeaderCell(cell: HTMLDivElement, view: TableView, c: number, actions: HeaderActions): void {
  const col = view.columns[c];
  const key = JSON.stringify([
    c,
    col.name,
    col.sourceType ?? col.type,
    view.sortable,
    view.sort?.column === c ? view.sort.direction : '',
    col.pii?.masked ?? null,
    col.pii?.kinds ?? [],
  ]);
  if (cell.dataset.key === key) return;
  cell.dataset.key = key;
  cell.className = col.pii ? 'grid-cell has-pii' : 'grid-cell';
  cell.dataset.col = String(c);
  cell.textContent = '';
  cell.setAttribute('role', 'columnheader');
  cell.title = `${col.name} — ${col.sourceType ?? col.type}${view.sortable ? ' (click to sort)' : ''}`;
  cell.append(el('span', 'col-name', col.name), el('span', 'col-type', col.sourceType ?? col.type));
  if (view.sort?.column === c) cell.append(el('span', 'sort-mark', view.sort.direction === 'asc' ? '▲' : '▼'));
  if (col.pii) cell.append(piiButton(col.name, col.pii, (reveal) => actions.reveal(c, reveal)));
  const resizer = el('div', 'resizer');
  resizer.addEventListener('mousedown', (e) => actions.startResize(e, c));
  resizer.addEventListener('click', (e) => e.stopPropagation());
  cell.append(resizer);
  cell.onclick = () => actions.sort(c);
}

/** The header's Reveal (or Mask again) button of a column with personal data. */
function piiButton(column: string, pii: ColumnPiiView, reveal: (reveal: boolean) => void): HTMLButtonElement {
  const button = el('button', `pii-action ${pii.masked ? 'reveal' : 'mask'}`, pii.masked ? 'Reveal' : 'Mask');
  const what = describeKinds(pii.kinds);
  button.title = pii.masked
    ? `Personal data (${what}) is masked. Reveal shows this column's real values in this result only.`
    : `Showing this column's real values (${what}). Mask hides them again.`;
  button.setAttribute('aria-label', `${pii.masked ? 'Reveal' : 'Mask'} column ${column}`);
  button.addEventListener('click', (e) => {
    e.stopPropagation();
    reveal(pii.masked);
  });
  button.addEventListener('mousedown', (e) => e.stopPropagation());
  return button;
}
