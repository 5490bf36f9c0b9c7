// The viewer's sort and filter rules written the plain way (a comparator over row arrays, as the
// host did before columns and the worker), to check the fast paths against on random data.
import type { ResultCell } from '../../../src/results/model';
import type { SortSpec } from '../../../src/results/protocol';
import { cellText } from '../../../src/results/tableStore';

export function referenceSort(rows: ResultCell[][], sort: SortSpec): number[] {
  const col = sort.column;
  const dir = sort.direction === 'asc' ? 1 : -1;
  const numeric = rows.every((r) => r[col] === null || typeof r[col] === 'number' || typeof r[col] === 'boolean');
  const key = (v: ResultCell): number | string | null => {
    if (v === null) return null;
    if (numeric) return Number.isNaN(Number(v)) ? null : Number(v);
    return cellText(v).toLowerCase();
  };
  const keys = rows.map((r) => key(r[col]));
  return rows
    .map((_, i) => i)
    .sort((a, b) => {
      const ka = keys[a];
      const kb = keys[b];
      if (ka === null || kb === null) return ka === kb ? a - b : ka === null ? 1 : -1;
      const d = (ka < kb ? -1 : ka > kb ? 1 : 0) * dir;
      return d !== 0 ? d : a - b;
    });
}

export function referenceFilter(rows: ResultCell[][], order: number[], text: string): number[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return order;
  return order.filter((i) => rows[i].some((cell) => cell !== null && cellText(cell).toLowerCase().includes(needle)));
}
