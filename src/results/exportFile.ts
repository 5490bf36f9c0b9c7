// The bytes of a table export (CSV with a BOM, or a JSON array), written atomically: a result
// whose rows fail midway, or an export that is cancelled, leaves no file and no change.
import { writeFileAtomically } from '../core/atomicFile';
import type { ResultCell, ResultColumn } from './model';
import type { ExportFormat } from './protocol';
import { csvHeader, csvLines, jsonRows } from './serialize';

export interface ExportableTable {
  columns: ResultColumn[];
  allRows(signal?: AbortSignal): AsyncIterable<ResultCell[][]>;
}

/** Writes the whole table to `target`; returns the rows written. */
export async function exportTableToFile(table: ExportableTable, format: ExportFormat, target: string, signal?: AbortSignal): Promise<number> {
  let rows = 0;
  async function* text(): AsyncGenerator<string> {
    yield format === 'csv' ? '\ufeff' + csvHeader(table.columns) : '[\n';
    for await (const chunk of table.allRows(signal)) {
      yield format === 'csv' ? csvLines(chunk) : jsonRows(table.columns, chunk, rows === 0);
      rows += chunk.length;
    }
    if (format === 'json') yield '\n]\n';
  }
  await writeFileAtomically(target, text(), signal);
  return rows;
}
