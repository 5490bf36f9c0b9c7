// CSV, JSON and TSV text of a table, for export and copy. Nulls are empty in CSV/TSV (the only
// way those formats have) and null in JSON.
import type { ResultCell, ResultColumn } from './model';
import { cellText } from './tableStore';

export function csvField(cell: ResultCell): string {
  const text = cellText(cell);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLines(rows: ResultCell[][]): string {
  let out = '';
  for (const row of rows) out += row.map(csvField).join(',') + '\r\n';
  return out;
}

export function csvHeader(columns: ResultColumn[]): string {
  return columns.map((c) => csvField(c.name)).join(',') + '\r\n';
}

/** Rows as JSON objects keyed by column name, one per line inside a JSON array. */
export function jsonRows(columns: ResultColumn[], rows: ResultCell[][], first: boolean): string {
  let out = '';
  rows.forEach((row, i) => {
    const obj: Record<string, ResultCell> = {};
    columns.forEach((c, j) => (obj[c.name] = row[j] ?? null));
    out += (first && i === 0 ? '' : ',\n') + JSON.stringify(obj);
  });
  return out;
}

function tsvField(cell: ResultCell): string {
  return cellText(cell).replace(/[\t\r\n]/g, ' ');
}

export function tsv(columns: ResultColumn[] | undefined, rows: ResultCell[][]): string {
  const lines: string[] = [];
  if (columns) lines.push(columns.map((c) => tsvField(c.name)).join('\t'));
  for (const row of rows) lines.push(row.map(tsvField).join('\t'));
  return lines.join('\n');
}
