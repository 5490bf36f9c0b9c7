// Reads the first records of a JSON Lines stream. Columns are the union of the records' top-level
// keys in first-seen order; nested values are shown as JSON text.
import type { ColumnType, ResultCell } from '../../results/model';
import { ByteChunks, DEFAULT_PREVIEW_ROWS, PreviewOptions, PreviewTable, textChunks } from './table';

export async function* jsonLines(source: ByteChunks): AsyncGenerator<string> {
  let buffer = '';
  for await (const text of textChunks(source)) {
    buffer += text;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line) yield line;
    }
  }
  if (buffer.trim()) yield buffer.trim();
}

function cellOf(value: unknown): ResultCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

function typeOf(values: unknown[]): ColumnType {
  let type: ColumnType | undefined;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const t: ColumnType = typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v === 'boolean' ? 'boolean' : typeof v === 'string' ? 'string' : 'json';
    if (!type) type = t;
    else if (type !== t) type = (type === 'integer' && t === 'number') || (type === 'number' && t === 'integer') ? 'number' : 'string';
  }
  return type ?? 'string';
}

export async function readJsonLinesPreview(source: ByteChunks, opts: PreviewOptions = {}): Promise<PreviewTable> {
  const maxRows = opts.maxRows ?? DEFAULT_PREVIEW_ROWS;
  const records: Array<Record<string, unknown>> = [];
  const names: string[] = [];
  const known = new Set<string>();
  let truncated = false;
  for await (const line of jsonLines(source)) {
    if (opts.signal?.aborted) break;
    if (records.length >= maxRows) {
      truncated = true;
      break;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`Line ${records.length + 1} is not valid JSON: ${line.slice(0, 80)}`);
    }
    const record = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
    for (const k of Object.keys(record)) {
      if (!known.has(k)) {
        known.add(k);
        names.push(k);
      }
    }
    records.push(record);
  }
  const columns = names.map((name) => ({ name, type: typeOf(records.map((r) => r[name])) }));
  const rows = records.map((r) => names.map((n) => cellOf(r[n])));
  return { columns, rows, truncated };
}
