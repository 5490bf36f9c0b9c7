// How a window of rows travels to the webview: column by column, each column in the smallest form
// its values allow (numbers and booleans as plain arrays, text as a dictionary of the window's
// distinct strings and a code per row), so a window is one small message. Shared by both sides.
import type { ResultCell } from './model';

export type EncodedColumn =
  /** Numbers; null is NULL, and the strings 'NaN', 'Infinity', '-Infinity' stand for themselves (JSON has no such numbers). */
  | { k: 'n'; v: Array<number | string | null> }
  | { k: 'b'; v: Array<boolean | null> }
  /** Text: d holds the distinct strings, c a code per row into d (-1 is NULL). */
  | { k: 's'; d: string[]; c: number[] }
  /** Anything else, as the cells are. */
  | { k: 'm'; v: ResultCell[] };

export function encodeColumn(values: ResultCell[]): EncodedColumn {
  let numbers = true;
  let booleans = true;
  let strings = true;
  for (const v of values) {
    if (v === null) continue;
    const t = typeof v;
    if (t !== 'number') numbers = false;
    if (t !== 'boolean') booleans = false;
    if (t !== 'string') strings = false;
    if (!numbers && !booleans && !strings) break;
  }
  if (numbers) return { k: 'n', v: values.map((x) => (x === null || Number.isFinite(x) ? (x as number | null) : String(x))) };
  if (booleans) return { k: 'b', v: values as Array<boolean | null> };
  if (strings) {
    const d: string[] = [];
    const seen = new Map<string, number>();
    const c = values.map((x) => {
      if (x === null) return -1;
      let code = seen.get(x as string);
      if (code === undefined) {
        code = d.push(x as string) - 1;
        seen.set(x as string, code);
      }
      return code;
    });
    return { k: 's', d, c };
  }
  return { k: 'm', v: values };
}

export function encodedLength(col: EncodedColumn): number {
  return col.k === 's' ? col.c.length : col.v.length;
}

export function decodeColumn(col: EncodedColumn): ResultCell[] {
  switch (col.k) {
    case 'n':
      return col.v.map((x) => (typeof x === 'string' ? Number(x) : x));
    case 's':
      return col.c.map((code) => (code < 0 ? null : (col.d[code] ?? null)));
    default:
      return col.v;
  }
}

function isCell(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Checks an encoded column from the other side; undefined when it is not one. */
export function validEncodedColumn(raw: unknown, rows: number): raw is EncodedColumn {
  if (!raw || typeof raw !== 'object') return false;
  const col = raw as Record<string, unknown>;
  switch (col.k) {
    case 'n':
      return (
        Array.isArray(col.v) &&
        col.v.length === rows &&
        col.v.every((x) => x === null || typeof x === 'number' || x === 'NaN' || x === 'Infinity' || x === '-Infinity')
      );
    case 'b':
      return Array.isArray(col.v) && col.v.length === rows && col.v.every((x) => x === null || typeof x === 'boolean');
    case 's':
      return (
        Array.isArray(col.d) &&
        Array.isArray(col.c) &&
        col.c.length === rows &&
        col.d.every((x) => typeof x === 'string') &&
        col.c.every((x) => Number.isInteger(x) && x >= -1 && x < (col.d as unknown[]).length)
      );
    case 'm':
      return Array.isArray(col.v) && col.v.length === rows && col.v.every(isCell);
    default:
      return false;
  }
}
