// The one CSV reader (csv-parse underneath), for S3 previews and Athena's result objects. It reads
// chunk by chunk and hands records back in batches, and it can bound what one record may hold, how
// many columns a row may have and how many bytes it reads in all: hostile input (an unclosed quote,
// a line of commas, an endless object) stops with a reason instead of growing without bound.
import { parse } from 'csv-parse';
import type { CastingContext, Options, Parser } from 'csv-parse';

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
export type CsvStop = { kind: 'bytes'; bytes: number } | { kind: 'recordSize'; record: number; limit: number } | { kind: 'columns'; record: number; limit: number };

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

class ColumnLimit extends Error {}

function abortError(): Error {
  return Object.assign(new Error('Cancelled'), { name: 'AbortError' });
}

function bytesOf(chunk: Uint8Array | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
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
    const { maxColumns, unquotedEmptyIsNull } = this.opts;
    const options: Options = {
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
    };
    if (maxColumns !== undefined || unquotedEmptyIsNull) {
      options.cast = (value: string, context: CastingContext) => {
        if (maxColumns !== undefined && context.index >= maxColumns) throw new ColumnLimit();
        return unquotedEmptyIsNull && value === '' && !context.quoting ? null : value;
      };
    }
    return options;
  }

  /** Records in batches (one batch per source chunk that completed any). */
  async *batches(source: CsvSource): AsyncGenerator<CsvCell[][]> {
    const parser: Parser = parse(this.parserOptions());
    let failure: Error | undefined;
    parser.on('error', (err: Error) => (failure ??= err));
    const take = (): CsvCell[][] => {
      const out: CsvCell[][] = [];
      let r: CsvCell[] | null;
      while ((r = parser.read() as CsvCell[] | null) !== null) out.push(r);
      this.records += out.length;
      return out;
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
        this.bytesRead += buf.length;
        parser.write(buf);
        let out = take();
        // Left unconsumed, the chunk means the parser stopped on an error it reports on the next tick.
        if (parser.writableLength > 0 || parser.errored || failure) {
          await new Promise((r) => setImmediate(r));
          out = out.concat(take());
          if (this.settle(failure ?? parser.errored)) {
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
      const tail = take();
      await new Promise<void>((resolve) => {
        parser.on('data', (r: CsvCell[]) => {
          tail.push(r);
          this.records++;
        });
        parser.once('end', resolve);
        parser.once('error', () => resolve());
        parser.once('close', resolve);
        parser.end();
      });
      this.settle(failure ?? parser.errored);
      if (tail.length) yield tail;
    } finally {
      parser.destroy();
    }
  }

  /** Records the limit that stopped the parser (true), throws a format error, or says nothing stopped it (false). */
  private settle(err: Error | null | undefined): boolean {
    if (!err) return false;
    const record = this.records + 1;
    const cause = (err as { cause?: unknown }).cause;
    if (err instanceof ColumnLimit || cause instanceof ColumnLimit) {
      this.stop = { kind: 'columns', record, limit: this.opts.maxColumns ?? 0 };
      return true;
    }
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
