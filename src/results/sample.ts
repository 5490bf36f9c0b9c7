// A synthetic table for trying the viewer (and for its editor tests and benchmark): deterministic,
// with every column type, NULLs and empty strings. Strings come from small pools so that a
// 1,000,000 × 20 table stays around 200 MB rather than a string per cell.
import type { ResultCell, ResultColumn, TableOutput } from './model';

const CITIES = ['Lisbon', 'Porto', 'Oslo', 'Nairobi', 'Lima', 'Osaka', 'Quebec', 'Zagreb', 'Accra', 'Perth'];
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];

const BASE: ResultColumn[] = [
  { name: 'id', type: 'integer', sourceType: 'bigint' },
  { name: 'city', type: 'string', sourceType: 'varchar' },
  { name: 'amount', type: 'number', sourceType: 'double' },
  { name: 'active', type: 'boolean', sourceType: 'boolean' },
  { name: 'day', type: 'date', sourceType: 'date' },
  { name: 'note', type: 'string', sourceType: 'varchar' },
];

export function sampleColumns(count: number): ResultColumn[] {
  const cols = BASE.slice(0, Math.min(count, BASE.length));
  for (let i = cols.length; i < count; i++) cols.push({ name: `metric_${i}`, type: i % 2 ? 'integer' : 'number', sourceType: i % 2 ? 'int' : 'double' });
  return cols;
}

const DAYS = Array.from({ length: 365 }, (_, d) => new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10));

export function sampleRows(rows: number, columns: number): ResultCell[][] {
  const out: ResultCell[][] = new Array(rows);
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let r = 0; r < rows; r++) {
    const row: ResultCell[] = new Array(columns);
    for (let c = 0; c < columns; c++) {
      switch (c) {
        case 0:
          row[c] = r;
          break;
        case 1:
          row[c] = CITIES[(r * 7) % CITIES.length];
          break;
        case 2:
          row[c] = r % 97 === 0 ? null : Math.round(rand() * 100_000) / 100;
          break;
        case 3:
          row[c] = r % 3 === 0;
          break;
        case 4:
          row[c] = DAYS[r % DAYS.length];
          break;
        case 5:
          row[c] = r % 11 === 0 ? null : r % 13 === 0 ? '' : WORDS[r % WORDS.length];
          break;
        default:
          row[c] = c % 2 ? (r * c) % 1000 : Math.round(rand() * 1000) / 10;
      }
    }
    out[r] = row;
  }
  return out;
}

export function sampleTable(rows: number, columns: number): TableOutput {
  return { kind: 'table', columns: sampleColumns(columns), rows: sampleRows(rows, columns) };
}
