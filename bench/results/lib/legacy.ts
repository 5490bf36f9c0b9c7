// The peer for the sort and memory benchmarks: the viewer host as it was before columns and the
// worker (main at dedf406, src/results/tableStore.ts): rows held as JS row arrays, sorted by a
// comparator over an index on the extension host's own thread, filtered there too.
import type { ResultCell } from '../../../src/results/model';
import type { SortSpec } from '../../../src/results/protocol';
import { cellText } from '../../../src/results/tableStore';

export function legacySortIndex(rows: ResultCell[][], sort: SortSpec): Uint32Array {
  const n = rows.length;
  const col = sort.column;
  const dir = sort.direction === 'asc' ? 1 : -1;
  const index = new Uint32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  let numeric = true;
  for (let i = 0; i < n; i++) {
    const v = rows[i][col];
    if (v !== null && typeof v !== 'number' && typeof v !== 'boolean') {
      numeric = false;
      break;
    }
  }
  if (numeric) {
    const keys = new Float64Array(n);
    const nulls = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const v = rows[i][col];
      if (v === null || (typeof v === 'number' && Number.isNaN(v))) nulls[i] = 1;
      else keys[i] = Number(v);
    }
    index.sort((a, b) => {
      if (nulls[a] !== nulls[b]) return nulls[a] - nulls[b];
      const d = (keys[a] - keys[b]) * dir;
      return d !== 0 ? d : a - b;
    });
    return index;
  }
  const keys: Array<string | null> = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = rows[i][col];
    keys[i] = v === null ? null : cellText(v).toLowerCase();
  }
  index.sort((a, b) => {
    const ka = keys[a];
    const kb = keys[b];
    if (ka === null || kb === null) return ka === kb ? a - b : ka === null ? 1 : -1;
    const d = (ka < kb ? -1 : ka > kb ? 1 : 0) * dir;
    return d !== 0 ? d : a - b;
  });
  return index;
}

export function legacyFilter(rows: ResultCell[][], base: Uint32Array | undefined, text: string): Uint32Array {
  const needle = text.trim().toLowerCase();
  const n = rows.length;
  const keep = new Uint32Array(n);
  let kept = 0;
  for (let k = 0; k < n; k++) {
    const i = base ? base[k] : k;
    const row = rows[i];
    for (let c = 0; c < row.length; c++) {
      const cell = row[c];
      if (cell !== null && cellText(cell).toLowerCase().includes(needle)) {
        keep[kept++] = i;
        break;
      }
    }
  }
  return keep.slice(0, kept);
}
