// A statement's columns and values as the result viewer wants them. JSON_ARRAY sends every
// non-null value as a string; the column's Databricks type_name decides what it becomes (the same
// rules as Athena's: integers that fit become numbers, decimals keep their exact text).
import { toCell } from '../../aws/athena/values';
import type { ColumnType, ResultCell, ResultColumn } from '../../results/model';
import type { ColumnSchema } from './statementApi';

export function columnTypeOf(typeName: string | undefined): ColumnType {
  switch ((typeName ?? '').toUpperCase()) {
    case 'BYTE':
    case 'SHORT':
    case 'INT':
    case 'LONG':
      return 'integer';
    case 'FLOAT':
    case 'DOUBLE':
    case 'DECIMAL':
      return 'number';
    case 'BOOLEAN':
      return 'boolean';
    case 'DATE':
      return 'date';
    case 'TIMESTAMP':
    case 'TIMESTAMP_NTZ':
      return 'timestamp';
    case 'BINARY':
      return 'binary';
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT':
      return 'json';
    case 'STRING':
    case 'CHAR':
    case '':
      return 'string';
    default:
      return 'unknown';
  }
}

export function statementColumns(columns: ColumnSchema[] | undefined): ResultColumn[] {
  return [...(columns ?? [])]
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
    .map((c, i) => ({ name: c.name || `_c${i}`, type: columnTypeOf(c.type_name), sourceType: c.type_text ?? c.type_name }));
}

export function convertRows(rows: Array<Array<string | null>>, columns: ResultColumn[]): ResultCell[][] {
  return rows.map((r) => columns.map((c, i) => toCell(r[i], c.type, c.sourceType)));
}
