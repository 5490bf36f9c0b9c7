// The one CSV reader (csv-parse underneath), for S3 previews and Athena's result objects. It reads
// chunk by chunk and hands records back in batches, and it can bound what one record may hold, how
// many columns a row may have and how many bytes it reads in all: hostile input (an unclosed quote,
// a line of commas, an endless object) stops with a reason instead of growing without bound.
import { parse } from 'csv-parse';
import type { Options, Parser } from 'csv-parse';

export type CsvCell = string | null;

/** A byte source read chunk by chunk (a Node Readable is one). */
export type CsvSource = AsyncIterable<Uint8Array | string>;

export interface CsvReadOptions {
  delimiter?: string;
  /** Athena's rule: an unquoted empty field is NULL and `""` is the empty string. Otherwise both are ''. */
  unquotedEmptyIsNull?: boolean;
  /** Characters one record may hold, its fields together (0 or absent: no limit). */
  maxRecordChars?: number;
  /** Fields one record may have (absent: no limit). */
  maxColumns?: number;
  /** Bytes to read at most; the record cut by this limit is dropped (absent: no limit). */
  maxBytes?: number;
  signal?: AbortSignal;
}

/** Why reading stopped early, with the 1-based number of the record it stopped at. */
export type CsvStop =
  { kind: 'bytes'; bytes: number } | { kind: 'recordSize'; record: number; limit: number } | { kind: 'columns'; record: number; limit: number };

/** Input that is not CSV (a quote closed in the middle of a field, one never closed at the end). */
export class CsvFormatError extends Error {
  constructor(
    readonly record: number,
    detail: string,
  ) {
    super(`Row ${record} is not valid CSV: ${detail}`);
    this.name = 'CsvFormatError';
  }
}

function abortError(): Error {
  return Object.assign(new Error('Cancelled'), { name: 'AbortError' });
}

function bytesOf(chunk: Uint8Array | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** The parser is fed at most this much at a time, so a limit is checked at least this often. */
const SLICE = 64 * 1024;

/**
 * Athena's NULL rule for one record: which empty fields were unquoted in the record's raw text.
 * csv-parse can say whether a field was quoted only through its per-field cast hook, which costs
 * about twenty times the parse itself, so the raw text is read instead, and only for the records
 * that have an empty value at all (a value that is not empty is never NULL).
 */
function applyNullRule(record: CsvCell[], raw: string, delimiter: string): CsvCell[] {
  if (!record.includes('')) return record;
  let p = 0;
  for (let i = 0; i < record.length; i++) {
    if (raw[p] === '"') {
      // A quoted field: to its closing quote ("" is an escaped quote), then past the delimiter.
      let q = raw.indexOf('"', p + 1);
      while (q >= 0 && raw[q + 1] === '"') q = raw.indexOf('"', q + 2);
      p = q < 0 ? raw.length : raw.indexOf(delimiter, q + 1);
    } else {
      if (record[i] === '') record[i] = null;
      p = raw.indexOf(delimiter, p);
    }
    if (p < 0) break;
    p += delimiter.length;
  }
  return record;
}

interface RawRecord {
  record: CsvCell[];
  raw: string;
}

export class CsvReader {
  /** Set when a limit ended the read; the records before it were all handed out. */
  stop: CsvStop | undefined;
  /** Bytes taken from the source. */
  bytesRead = 0;
  /** Records handed out. */
  records = 0;

  constructor(private readonly opts: CsvReadOptions = {}) {}

  private parserOptions(): Options {
    return {
      delimiter: this.opts.delimiter ?? ',',
      bom: true,
      // Both, in one file too (files joined from Windows and Unix sources); a lone \r stays in its field.
      record_delimiter: ['\r\n', '\n'],
      // A quote inside an unquoted field is a character, as spreadsheets write it.
      relax_quotes: true,
      relax_column_count: true,
      // An empty line is a record: in Athena's output it is a row whose one column is NULL.
      skip_empty_lines: false,
      max_record_size: this.opts.maxRecordChars ?? 0,
      raw: !!this.opts.unquotedEmptyIsNull,
    };
  }

  /** Records in batches (one batch per source chunk that completed any). */
  async *batches(source: CsvSource): AsyncGenerator<CsvCell[][]> {
    const parser: Parser = parse(this.parserOptions());
    const delimiter = this.opts.delimiter ?? ',';
    const maxColumns = this.opts.maxColumns ?? Infinity;
    // The record being built: csv-parse keeps it (for backward compatibility) on parser.state.
    const building = (parser as unknown as { state?: { record?: unknown[] } }).state;
    let failure: Error | undefined;
    parser.on('error', (err: Error) => (failure ??= err));
    const wide = (length: number): boolean => {
      if (length <= maxColumns) return false;
      this.stop = { kind: 'columns', record: this.records + 1, limit: maxColumns };
      return true;
    };
    /** The records parsed so far, up to a limit; true in `stopped` when one was hit. */
    const take = (out: CsvCell[][]): boolean => {
      if (this.stop) return true;
      let r: unknown;
      while ((r = parser.read()) !== null) {
        const record = this.opts.unquotedEmptyIsNull ? applyNullRule((r as RawRecord).record, (r as RawRecord).raw, delimiter) : (r as CsvCell[]);
        if (wide(record.length)) return true;
        out.push(record);
        this.records++;
      }
      return wide(building?.record?.length ?? 0);
    };
    try {
      let cut = false;
      for await (const chunk of source) {
        if (this.opts.signal?.aborted) throw abortError();
        let buf = bytesOf(chunk);
        const room = this.opts.maxBytes === undefined ? Infinity : this.opts.maxBytes - this.bytesRead;
        if (buf.length >= room) {
          buf = buf.subarray(0, Math.max(0, room));
          cut = true;
        }
        const out: CsvCell[][] = [];
        for (let at = 0; at < buf.length; at += SLICE) {
          const slice = buf.subarray(at, at + SLICE);
          this.bytesRead += slice.length;
          parser.write(slice);
          let stopped = take(out);
          // Left unconsumed, the slice means the parser stopped on an error it reports on the next tick.
          if (!stopped && (parser.writableLength > 0 || parser.errored || failure)) {
            await new Promise((r) => setImmediate(r));
            stopped = take(out) || this.settle(failure ?? parser.errored);
          }
          if (stopped) {
            if (out.length) yield out;
            return;
          }
        }
        if (out.length) yield out;
        if (cut) {
          // The record cut in half by the limit is never handed out: the parser is not ended.
          this.stop = { kind: 'bytes', bytes: this.bytesRead };
          return;
        }
      }
      const tail: CsvCell[][] = [];
      if (take(tail)) {
        if (tail.length) yield tail;
        return;
      }
      await new Promise<void>((resolve) => {
        parser.once('end', resolve);
        parser.once('error', () => resolve());
        parser.once('close', resolve);
        parser.on('readable', () => take(tail));
        parser.end();
      });
      take(tail);
      const stopped = this.settle(failure ?? parser.errored);
      if (tail.length) yield tail;
      if (stopped) return;
    } finally {
      parser.destroy();
    }
  }

  /** Records the limit that stopped the parser (true), throws a format error, or says nothing stopped it (false). */
  private settle(err: Error | null | undefined): boolean {
    if (!err) return false;
    const record = this.records + 1;
    if ((err as { code?: string }).code === 'CSV_MAX_RECORD_SIZE') {
      this.stop = { kind: 'recordSize', record, limit: this.opts.maxRecordChars ?? 0 };
      return true;
    }
    if (err.name === 'AbortError') throw err;
    throw new CsvFormatError(record, err.message.replace(/^(Invalid|Quote)[^:]*:\s*/, ''));
  }
}

/** Every record of a source, in batches; throws on input that is not CSV. */
export function csvBatches(source: CsvSource, opts: CsvReadOptions = {}): AsyncGenerator<CsvCell[][]> {
  return new CsvReader(opts).batches(source);
}
