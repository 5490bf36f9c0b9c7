// Reads the first rows of a Parquet object with range requests: the footer first (metadata and
// schema), then only the row groups that hold the first rows. Never the whole object.
import { parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, FileMetaData, SchemaElement } from 'hyparquet';
import type { ColumnType, ResultCell, ResultColumn } from '../../results/model';
import { DEFAULT_PREVIEW_ROWS, PreviewOptions, PreviewTable } from './table';

/** Reads bytes [start, end) of the object; how the caller does it (HTTP Range, a file) is its business. */
export type RangeReader = (start: number, end: number) => Promise<Uint8Array>;

export interface RangeSource {
  byteLength: number;
  read: RangeReader;
}

/** An AsyncBuffer for hyparquet over range reads, counting the bytes fetched. */
export function rangeAsyncBuffer(source: RangeSource, stats?: { bytesRead: number; requests: number }): AsyncBuffer {
  return {
    byteLength: source.byteLength,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = Math.min(end ?? source.byteLength, source.byteLength);
      const bytes = await source.read(start, stop);
      if (stats) {
        stats.bytesRead += bytes.byteLength;
        stats.requests++;
      }
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}

export function parquetColumnType(el: SchemaElement): ColumnType {
  const logical = el.logical_type?.type;
  if (logical === 'TIMESTAMP') return 'timestamp';
  if (logical === 'DATE' || el.converted_type === 'DATE') return 'date';
  if (logical === 'STRING' || el.converted_type === 'UTF8' || logical === 'ENUM' || logical === 'UUID') return 'string';
  if (logical === 'JSON' || el.converted_type === 'JSON') return 'json';
  if (el.converted_type === 'TIMESTAMP_MILLIS' || el.converted_type === 'TIMESTAMP_MICROS') return 'timestamp';
  if (logical === 'DECIMAL' || el.converted_type === 'DECIMAL') return 'number';
  switch (el.type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
    case 'INT64':
      return 'integer';
    case 'FLOAT':
    case 'DOUBLE':
      return 'number';
    case 'INT96':
      return 'timestamp';
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
      return 'binary';
    default:
      return el.num_children ? 'json' : 'unknown';
  }
}

function sourceType(el: SchemaElement): string {
  return [el.type ?? 'GROUP', el.logical_type?.type ?? el.converted_type].filter(Boolean).join('/');
}

function cellOf(value: unknown): ResultCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

export async function readParquetMetadata(source: RangeSource): Promise<FileMetaData> {
  return parquetMetadataAsync(rangeAsyncBuffer(source));
}

/** The top-level columns of a Parquet file, typed. */
export function parquetColumns(metadata: FileMetaData): ResultColumn[] {
  return parquetSchema(metadata).children.map((c) => ({ name: c.element.name, type: parquetColumnType(c.element), sourceType: sourceType(c.element) }));
}

export async function readParquetPreview(source: RangeSource, opts: PreviewOptions & { stats?: { bytesRead: number; requests: number } } = {}): Promise<PreviewTable> {
  const maxRows = opts.maxRows ?? DEFAULT_PREVIEW_ROWS;
  const file = rangeAsyncBuffer(source, opts.stats);
  const metadata = await parquetMetadataAsync(file);
  const columns = parquetColumns(metadata);
  const total = Number(metadata.num_rows);
  const objects = (await parquetReadObjects({ file, metadata, rowStart: 0, rowEnd: Math.min(maxRows, total) })) as Array<Record<string, unknown>>;
  const rows = objects.map((o) => columns.map((c) => cellOf(o[c.name])));
  return { columns, rows, truncated: total > rows.length, totalRows: total };
}
