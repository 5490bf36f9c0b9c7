// Reads the CSV result object Athena writes next to every query: each value in double quotes with
// "" escapes, a NULL as an empty unquoted field, records separated by \n (newlines may sit inside
// quotes). Streams: rows come out in batches as the bytes arrive.

export type CsvCell = string | null;

export class AthenaCsvParser {
  private field = '';
  private record: CsvCell[] = [];
  private quoted = false;
  private inQuotes = false;
  private quotePending = false;
  private rows: CsvCell[][] = [];

  /** Feeds text; returns the records completed by it. */
  push(text: string): CsvCell[][] {
    let field = this.field;
    let i = 0;
    const n = text.length;
    while (i < n) {
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (text.charCodeAt(i) === 34) {
            field += '"';
            i++;
            continue;
          }
          this.inQuotes = false;
          continue;
        }
        const q = text.indexOf('"', i);
        if (q < 0) {
          field += text.slice(i);
          i = n;
        } else {
          field += text.slice(i, q);
          this.quotePending = true;
          i = q + 1;
        }
        continue;
      }
      const ch = text.charCodeAt(i);
      if (ch === 34 && field === '' && !this.quoted) {
        this.inQuotes = true;
        this.quoted = true;
      } else if (ch === 44) {
        this.record.push(this.quoted || field !== '' ? field : null);
        field = '';
        this.quoted = false;
      } else if (ch === 10) {
        if (field.endsWith('\r')) field = field.slice(0, -1);
        this.record.push(this.quoted || field !== '' ? field : null);
        this.rows.push(this.record);
        this.record = [];
        field = '';
        this.quoted = false;
      } else field += text[i];
      i++;
    }
    this.field = field;
    const out = this.rows;
    this.rows = [];
    return out;
  }

  /** Ends the input; returns a last record without a trailing newline, if any. */
  end(): CsvCell[][] {
    if (this.quotePending) {
      this.quotePending = false;
      this.inQuotes = false;
    }
    if (this.field !== '' || this.quoted || this.record.length) {
      this.record.push(this.quoted || this.field !== '' ? this.field : null);
      const last = this.record;
      this.record = [];
      this.field = '';
      this.quoted = false;
      return [last];
    }
    return [];
  }
}

/** Parses a whole stream of the result object into batches of records. */
export async function* athenaCsvRecords(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<CsvCell[][]> {
  const parser = new AthenaCsvParser();
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) {
    const rows = parser.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (rows.length) yield rows;
  }
  const tail = parser.push(decoder.decode());
  const last = [...tail, ...parser.end()];
  if (last.length) yield last;
}
