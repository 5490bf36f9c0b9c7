// Reads the first rows of a CSV/TSV stream (RFC 4180 quoting: quoted fields, "" escapes, newlines
// inside quotes, CRLF) and stops reading as soon as it has them, so a 50 GB object costs a window.
import { ByteChunks, DEFAULT_PREVIEW_ROWS, PreviewOptions, PreviewTable, textChunks, typedTable } from './table';

export interface DelimitedOptions extends PreviewOptions {
  delimiter?: string;
  /** First row holds the column names (default true). */
  header?: boolean;
}

/** Yields records one by one from chunked text. */
export async function* parseDelimited(source: ByteChunks, delimiter = ','): AsyncGenerator<string[]> {
  let field = '';
  let record: string[] = [];
  let inQuotes = false;
  let quotePending = false; // saw a quote inside quotes: either an escape ("") or the closing quote
  let sawAny = false;
  let first = true;
  for await (let text of textChunks(source)) {
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      sawAny = true;
      if (inQuotes) {
        if (quotePending) {
          quotePending = false;
          if (ch === '"') {
            field += '"';
            continue;
          }
          inQuotes = false; // fall through: ch is handled as outside quotes
        } else if (ch === '"') {
          quotePending = true;
          continue;
        } else {
          field += ch;
          continue;
        }
      }
      if (ch === '"' && field === '') inQuotes = true;
      else if (ch === delimiter) {
        record.push(field);
        field = '';
      } else if (ch === '\n') {
        record.push(field.endsWith('\r') ? field.slice(0, -1) : field);
        field = '';
        yield record;
        record = [];
        sawAny = false;
      } else field += ch;
    }
  }
  if (sawAny || field !== '' || record.length) {
    record.push(field.endsWith('\r') ? field.slice(0, -1) : field);
    if (!(record.length === 1 && record[0] === '')) yield record;
  }
}

/** The first `maxRows` rows of a delimited stream as a typed table. */
export async function readDelimitedPreview(source: ByteChunks, opts: DelimitedOptions = {}): Promise<PreviewTable> {
  const maxRows = opts.maxRows ?? DEFAULT_PREVIEW_ROWS;
  const header = opts.header ?? true;
  let names: string[] | undefined;
  const rows: string[][] = [];
  let truncated = false;
  for await (const record of parseDelimited(source, opts.delimiter ?? ',')) {
    if (opts.signal?.aborted) break;
    if (header && !names) {
      names = record.map((n, i) => n.trim() || `column_${i + 1}`);
      continue;
    }
    if (rows.length >= maxRows) {
      truncated = true;
      break; // leaving the loop returns the generator, which stops reading the stream
    }
    rows.push(record);
  }
  const width = Math.max(names?.length ?? 0, ...rows.map((r) => r.length));
  const cols = Array.from({ length: width }, (_, i) => names?.[i] ?? `column_${i + 1}`);
  return { ...typedTable(dedupe(cols), rows), truncated };
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
