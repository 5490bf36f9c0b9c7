// Reads the first records of a JSON Lines stream. Columns are the union of the records' top-level
// keys in first-seen order; nested values are shown as JSON text. Lines are cut from the bytes as
// they arrive, so one huge line costs at most the line limit, and the read stops at the byte limit.
import type { ColumnType, ResultCell } from '../../results/model';
import {
  bytesLimitNote,
  ByteChunks,
  DEFAULT_PREVIEW_BYTES,
  DEFAULT_PREVIEW_ROWS,
  MAX_PREVIEW_COLUMNS,
  MAX_PREVIEW_ROW_BYTES,
  megabytes,
  PreviewOptions,
  PreviewTable,
} from './table';

export interface LineLimits {
  maxLineBytes?: number;
  maxBytes?: number;
}

/** Splits a byte stream into lines within limits; `stop` says which limit ended it early. */
export class LineReader {
  stop: { kind: 'bytes'; bytes: number } | { kind: 'lineSize'; line: number; limit: number } | undefined;
  bytesRead = 0;
  /** Physical lines completed, empty ones included (1-based numbers in messages). */
  lineNumber = 0;

  constructor(private readonly limits: LineLimits = {}) {}

  /** Non-empty lines, trimmed. */
  async *lines(source: ByteChunks): AsyncGenerator<string> {
    const maxLine = this.limits.maxLineBytes ?? Infinity;
    const decoder = new TextDecoder('utf-8');
    let parts: Buffer[] = [];
    let pending = 0;
    const finish = (last: Buffer): string => {
      const whole = parts.length ? Buffer.concat([...parts, last]) : last;
      parts = [];
      pending = 0;
      this.lineNumber++;
      let text = decoder.decode(whole);
      if (this.lineNumber === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      return text.trim();
    };
    for await (const chunk of source) {
      let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const room = (this.limits.maxBytes ?? Infinity) - this.bytesRead;
      const cut = buf.length >= room;
      if (cut) buf = buf.subarray(0, Math.max(0, room));
      this.bytesRead += buf.length;
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
        if (pending + nl - start > maxLine) return this.lineTooLong(maxLine);
        const line = finish(buf.subarray(start, nl));
        start = nl + 1;
        if (line) yield line;
      }
      const rest = buf.length - start;
      if (pending + rest > maxLine) return this.lineTooLong(maxLine);
      if (rest) {
        parts.push(Buffer.from(buf.subarray(start))); // a copy: the source may reuse its buffer
        pending += rest;
      }
      if (cut) {
        // The line cut by the limit is dropped, not parsed as if it were whole.
        this.stop = { kind: 'bytes', bytes: this.bytesRead };
        return;
      }
    }
    if (pending) {
      const line = finish(Buffer.alloc(0));
      if (line) yield line;
    }
  }

  private lineTooLong(limit: number): void {
    this.stop = { kind: 'lineSize', line: this.lineNumber + 1, limit };
  }
}

/** Non-empty lines of a stream (within the preview's line limit when `limits` say so). */
export function jsonLines(source: ByteChunks, limits: LineLimits = {}): AsyncGenerator<string> {
  return new LineReader(limits).lines(source);
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
    const t: ColumnType =
      typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v === 'boolean' ? 'boolean' : typeof v === 'string' ? 'string' : 'json';
    if (!type) type = t;
    else if (type !== t) type = (type === 'integer' && t === 'number') || (type === 'number' && t === 'integer') ? 'number' : 'string';
  }
  return type ?? 'string';
}

export async function readJsonLinesPreview(source: ByteChunks, opts: PreviewOptions = {}): Promise<PreviewTable> {
  const maxRows = opts.maxRows ?? DEFAULT_PREVIEW_ROWS;
  const reader = new LineReader({ maxLineBytes: MAX_PREVIEW_ROW_BYTES, maxBytes: opts.maxBytes ?? DEFAULT_PREVIEW_BYTES });
  const records: Array<Record<string, unknown>> = [];
  const names: string[] = [];
  const known = new Set<string>();
  let truncated = false;
  let tooManyKeys = false;
  for await (const line of reader.lines(source)) {
    if (opts.signal?.aborted) break;
    if (records.length >= maxRows) {
      truncated = true;
      break;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`Line ${reader.lineNumber} is not valid JSON: ${line.slice(0, 80)}`);
    }
    const record = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
    for (const k of Object.keys(record)) {
      if (known.has(k)) continue;
      if (known.size >= MAX_PREVIEW_COLUMNS) {
        tooManyKeys = true;
        break;
      }
      known.add(k);
      names.push(k);
    }
    records.push(record);
  }
  const notes: string[] = [];
  const stop = reader.stop;
  if (stop?.kind === 'bytes') notes.push(bytesLimitNote(stop.bytes, records.length));
  if (stop?.kind === 'lineSize')
    notes.push(`Line ${stop.line.toLocaleString('en-US')} is longer than ${megabytes(stop.limit)}; the preview shows the lines before it.`);
  if (tooManyKeys)
    notes.push(
      `The records have more than ${MAX_PREVIEW_COLUMNS.toLocaleString('en-US')} distinct keys; only the first ${MAX_PREVIEW_COLUMNS.toLocaleString('en-US')} are shown.`,
    );
  if (stop) truncated = true;
  const columns = names.map((name) => ({ name, type: typeOf(records.map((r) => r[name])) }));
  const rows = records.map((r) => names.map((n) => cellOf(r[n])));
  return { columns, rows, truncated, ...(notes.length ? { truncationNote: notes.join(' ') } : {}) };
}
