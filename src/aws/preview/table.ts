// What the preview readers produce: the first rows of an object as a table, plus the column types
// guessed from them. Pure (no editor API, no SDK): the S3 view shows it, and Athena reuses it to
// infer a table's schema from a sample.
import type { ColumnType, ResultCell, ResultColumn } from '../../results/model';

export interface PreviewTable {
  columns: ResultColumn[];
  rows: ResultCell[][];
  /** True when the object holds more rows than were read. */
  truncated: boolean;
  /** Total rows when the format says so (Parquet's footer); undefined for text formats. */
  totalRows?: number;
  /** What was cut and why, when a limit (bytes read, row size, columns) ended the read early. */
  truncationNote?: string;
}

export interface PreviewOptions {
  /** Rows to read at most (default 1000). */
  maxRows?: number;
  /** Bytes to read at most (default DEFAULT_PREVIEW_BYTES for text, DEFAULT_PARQUET_PREVIEW_BYTES for Parquet). */
  maxBytes?: number;
  signal?: AbortSignal;
}

export const DEFAULT_PREVIEW_ROWS = 1000;

const MB = 1024 * 1024;
/** A text preview reads at most this much of an object, whatever the row limit. */
export const DEFAULT_PREVIEW_BYTES = 32 * MB;
/** A Parquet preview reads at most this much (the footer and the pages of the first rows). */
export const DEFAULT_PARQUET_PREVIEW_BYTES = 128 * MB;
/** One CSV row or JSON line may hold at most this much. */
export const MAX_PREVIEW_ROW_BYTES = 8 * MB;
/** Columns a preview shows at most (a spreadsheet's limit too). */
export const MAX_PREVIEW_COLUMNS = 16_384;

/** "8 MB", "1.5 MB": sizes in the preview's notes. */
export function megabytes(bytes: number): string {
  const mb = bytes / MB;
  return `${mb >= 10 || Number.isInteger(mb) ? Math.round(mb).toLocaleString('en-US') : mb.toFixed(1)} MB`;
}

/** The note for a read that stopped at the byte limit. */
export function bytesLimitNote(bytes: number, rows: number): string {
  return `Only the first ${megabytes(bytes)} of the object were read (the preview's limit): ${rows.toLocaleString('en-US')} rows shown.`;
}

/** A byte source the text readers consume chunk by chunk (a Node Readable is one). */
export type ByteChunks = AsyncIterable<Uint8Array | string>;

const INTEGER = /^[-+]?\d+$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The narrowest type every non-empty value of a text column fits. */
export function inferTextType(values: Iterable<string | null>): ColumnType {
  const candidates: ColumnType[] = ['integer', 'number', 'boolean', 'date', 'timestamp'];
  const ok = new Set(candidates);
  let seen = false;
  for (const v of values) {
    if (v === null || v === '') continue;
    seen = true;
    if (ok.has('integer') && !INTEGER.test(v)) ok.delete('integer');
    if (ok.has('number') && !NUMBER.test(v)) ok.delete('number');
    if (ok.has('boolean') && !BOOLEAN.test(v)) ok.delete('boolean');
    if (ok.has('date') && !DATE.test(v)) ok.delete('date');
    if (ok.has('timestamp') && !TIMESTAMP.test(v)) ok.delete('timestamp');
    if (!ok.size) return 'string';
  }
  if (!seen) return 'string';
  return candidates.find((c) => ok.has(c)) ?? 'string';
}

/** Converts text cells to the column's inferred type (numbers as numbers, booleans as booleans). */
export function typedCell(value: string | null, type: ColumnType): ResultCell {
  if (value === null) return null;
  if (value === '' && type !== 'string') return null;
  if (type === 'integer' || type === 'number') {
    const n = Number(value);
    return Number.isFinite(n) && (type === 'number' || Number.isSafeInteger(n)) ? n : value;
  }
  if (type === 'boolean') return /^true$/i.test(value);
  return value;
}

/** Columns named by `names` with types inferred from `rows`, and the rows converted to those types. */
export function typedTable(names: string[], textRows: Array<Array<string | null>>): { columns: ResultColumn[]; rows: ResultCell[][] } {
  const columns = names.map((name, i) => ({ name, type: inferTextType(textRows.map((r) => r[i] ?? null)) }));
  const rows = textRows.map((r) => columns.map((c, i) => typedCell(r[i] ?? null, c.type)));
  return { columns, rows };
}

export async function* textChunks(source: ByteChunks): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}
