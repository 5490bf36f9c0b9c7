// Athena's result values as the result viewer wants them: every value arrives as a string (NULL as
// a Datum without VarCharValue); the column's Athena type decides what it becomes.
import type { ColumnInfo } from '@aws-sdk/client-athena';
import type { ColumnType, ResultCell, ResultColumn } from '../../results/model';

/** The viewer's column type for an Athena (Trino) type name. */
export function columnTypeOf(athenaType: string | undefined): ColumnType {
  const t = (athenaType ?? '').toLowerCase();
  if (t === 'tinyint' || t === 'smallint' || t === 'integer' || t === 'int' || t === 'bigint') return 'integer';
  if (t === 'double' || t === 'real' || t === 'float' || t.startsWith('decimal')) return 'number';
  if (t === 'boolean') return 'boolean';
  if (t === 'date') return 'date';
  if (t.startsWith('timestamp')) return 'timestamp';
  if (t === 'varbinary') return 'binary';
  if (t === 'json' || t.startsWith('array') || t.startsWith('map') || t.startsWith('row')) return 'json';
  if (t.startsWith('varchar') || t.startsWith('char') || t === 'string' || t === 'uuid') return 'string';
  return t ? 'unknown' : 'string';
}

export function resultColumns(info: ColumnInfo[] | undefined): ResultColumn[] {
  return (info ?? []).map((c, i) => ({ name: c.Name ?? c.Label ?? `_col${i}`, type: columnTypeOf(c.Type), sourceType: c.Type }));
}

/** One Athena value as a cell: numbers become numbers where that is exact; decimals keep their text. */
export function toCell(value: string | null | undefined, type: ColumnType, sourceType?: string): ResultCell {
  if (value === null || value === undefined) return null;
  if (type === 'integer') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (type === 'number') {
    if (sourceType?.toLowerCase().startsWith('decimal')) return value;
    const n = Number(value);
    return Number.isFinite(n) || value === 'NaN' ? n : value;
  }
  if (type === 'boolean') return value === 'true';
  return value;
}

export function convertRow(values: Array<string | null | undefined>, columns: ResultColumn[]): ResultCell[] {
  return columns.map((c, i) => toCell(values[i], c.type, c.sourceType));
}
