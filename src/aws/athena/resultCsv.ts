// Reads the CSV result object Athena writes next to every query: each value in double quotes with
// "" escapes, a NULL as an empty unquoted field, records separated by \n (newlines may sit inside
// quotes). Streams through the one CSV reader: rows come out in batches as the bytes arrive.
import { CsvCell, CsvReader } from '../../core/csv';

export type { CsvCell };

/** Parses a whole stream of the result object into batches of records (NULL apart from ""). */
export function athenaCsvRecords(source: AsyncIterable<Uint8Array | string>, signal?: AbortSignal): AsyncGenerator<CsvCell[][]> {
  return new CsvReader({ unquotedEmptyIsNull: true, signal }).batches(source);
}
