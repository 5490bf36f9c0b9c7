// Reads the first rows of a CSV/TSV stream with the one CSV reader (src/core/csv.ts) and stops as
// soon as it has them, so a 50 GB object costs a window. Every limit that can stop it early (bytes
// read, one row's size, the column count) is named in the table's truncation note.
import { CsvCell, CsvFormatError, CsvReader, CsvStop } from '../../core/csv';
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
  typedTable,
} from './table';

export interface DelimitedOptions extends PreviewOptions {
  delimiter?: string;
  /** First row holds the column names (default true). */
  header?: boolean;
}

function stopNote(stop: CsvStop, rows: number): string {
  switch (stop.kind) {
    case 'bytes':
      return bytesLimitNote(stop.bytes, rows);
    case 'recordSize':
      return `Row ${stop.record.toLocaleString('en-US')} of the file is longer than ${megabytes(stop.limit)} (an unclosed quote?); the preview shows the rows before it.`;
    case 'columns':
      return `Row ${stop.record.toLocaleString('en-US')} of the file has more than ${stop.limit.toLocaleString('en-US')} columns; the preview shows the rows before it.`;
  }
}

/** Yields records one by one from chunked text (RFC 4180 quoting, CRLF, a BOM), within the preview limits. */
export async function* parseDelimited(source: ByteChunks, delimiter = ','): AsyncGenerator<string[]> {
  const reader = new CsvReader({ delimiter, maxRecordChars: MAX_PREVIEW_ROW_BYTES, maxColumns: MAX_PREVIEW_COLUMNS });
  for await (const batch of reader.batches(source)) for (const record of batch) yield record as string[];
}

/** The first `maxRows` rows of a delimited stream as a typed table. */
export async function readDelimitedPreview(source: ByteChunks, opts: DelimitedOptions = {}): Promise<PreviewTable> {
  const maxRows = opts.maxRows ?? DEFAULT_PREVIEW_ROWS;
  const header = opts.header ?? true;
  const reader = new CsvReader({
    delimiter: opts.delimiter ?? ',',
    maxRecordChars: MAX_PREVIEW_ROW_BYTES,
    maxColumns: MAX_PREVIEW_COLUMNS,
    maxBytes: opts.maxBytes ?? DEFAULT_PREVIEW_BYTES,
  });
  let names: string[] | undefined;
  const rows: CsvCell[][] = [];
  let truncated = false;
  let note: string | undefined;
  try {
    read: for await (const batch of reader.batches(source)) {
      for (const record of batch) {
        if (header && !names) {
          names = record.map((n, i) => (n ?? '').trim() || `column_${i + 1}`);
          continue;
        }
        if (rows.length >= maxRows) {
          truncated = true;
          break read; // leaving the loop returns the generator, which stops reading the stream
        }
        rows.push(record);
      }
      if (opts.signal?.aborted) break;
    }
  } catch (err) {
    // Rows before a malformed one are worth showing; a file that is not CSV at all is an error.
    if (!(err instanceof CsvFormatError) || rows.length === 0) throw err;
    truncated = true;
    note = `${err.message}; the preview shows the rows before it.`;
  }
  if (reader.stop) {
    truncated = true;
    note = stopNote(reader.stop, rows.length);
  }
  const width = rows.reduce((w, r) => Math.max(w, r.length), names?.length ?? 0);
  const cols = Array.from({ length: width }, (_, i) => names?.[i] ?? `column_${i + 1}`);
  return { ...typedTable(dedupe(cols), rows), truncated, ...(note ? { truncationNote: note } : {}) };
}

export function readCsvPreview(source: ByteChunks, opts: PreviewOptions = {}): Promise<PreviewTable> {
  return readDelimitedPreview(source, { ...opts, delimiter: ',' });
}

export function readTsvPreview(source: ByteChunks, opts: PreviewOptions = {}): Promise<PreviewTable> {
  return readDelimitedPreview(source, { ...opts, delimiter: '\t' });
}

/** Column names made unique (`a`, `a_2`), since both the viewer and Athena need distinct names. */
export function dedupe(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const count = (seen.get(n) ?? 0) + 1;
    seen.set(n, count);
    return count === 1 ? n : `${n}_${count}`;
  });
}
