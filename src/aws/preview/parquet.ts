// Reads the first rows of a Parquet object with range requests: the footer first (metadata and
// schema), then only the row groups that hold the first rows, and within them only the first pages
// when the file has a page index. Never the whole object, and never more than the byte budget: a
// file whose first row group is too large to read (no page index) is refused with a way forward.
import { parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, FileMetaData, SchemaElement } from 'hyparquet';
import type { ColumnType, ResultCell, ResultColumn } from '../../results/model';
import { DEFAULT_PARQUET_PREVIEW_BYTES, DEFAULT_PREVIEW_ROWS, megabytes, PreviewOptions, PreviewTable } from './table';

/** Reads bytes [start, end) of the object; how the caller does it (HTTP Range, a file) is its business. */
export type RangeReader = (start: number, end: number) => Promise<Uint8Array>;

export interface RangeSource {
  byteLength: number;
  read: RangeReader;
}

/** A Parquet preview that would read more than its budget. */
export class ParquetTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParquetTooLargeError';
  }
}

/** An AsyncBuffer for hyparquet over range reads, counting the bytes fetched; refuses a read past `maxBytes`. */
export function rangeAsyncBuffer(
  source: RangeSource,
  stats?: { bytesRead: number; requests: number },
  maxBytes = Infinity,
  tooLarge?: () => string,
): AsyncBuffer {
  let asked = 0;
  return {
    byteLength: source.byteLength,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = Math.min(end ?? source.byteLength, source.byteLength);
      asked += Math.max(0, stop - start);
      if (asked > maxBytes) throw new ParquetTooLargeError(tooLarge?.() ?? `A preview reads at most ${megabytes(maxBytes)} of a Parquet file.`);
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

/** Bytes of the row groups that hold rows [0, rows), and whether every column chunk in them has an offset (page) index. */
function firstGroups(metadata: FileMetaData, rows: number): { groups: number; groupRows: number; bytes: number; paged: boolean } {
  let groups = 0;
  let groupRows = 0;
  let bytes = 0;
  let paged = true;
  for (const group of metadata.row_groups) {
    if (groupRows >= rows) break;
    groups++;
    groupRows += Number(group.num_rows);
    for (const chunk of group.columns) {
      bytes += Number(chunk.meta_data?.total_compressed_size ?? 0);
      if (!chunk.offset_index_offset || !chunk.offset_index_length) paged = false;
    }
  }
  return { groups, groupRows, bytes, paged };
}

export async function readParquetPreview(
  source: RangeSource,
  opts: PreviewOptions & { stats?: { bytesRead: number; requests: number } } = {},
): Promise<PreviewTable> {
  const maxRows = opts.maxRows ?? DEFAULT_PREVIEW_ROWS;
  const maxBytes = opts.maxBytes ?? DEFAULT_PARQUET_PREVIEW_BYTES;
  // Known once the footer is read; the refusal names it.
  let first: ReturnType<typeof firstGroups> | undefined = undefined;
  const tooLarge = () => {
    const what = first
      ? `${first.groups === 1 ? 'a row group' : `${first.groups.toLocaleString('en-US')} row groups`} of ${first.groupRows.toLocaleString('en-US')} rows (${megabytes(first.bytes)}${first.paged ? '' : ', with no page index to read part of it'})`
      : 'its row groups';
    return `The first rows of this Parquet file are in ${what}; a preview reads at most ${megabytes(maxBytes)}. Query it with Athena instead (Create Athena Table from S3 Prefix…), or write it with smaller row groups.`;
  };
  const file = rangeAsyncBuffer(source, opts.stats, maxBytes, tooLarge);
  const metadata = await parquetMetadataAsync(file);
  const columns = parquetColumns(metadata);
  const total = Number(metadata.num_rows);
  const rowEnd = Math.min(maxRows, total);
  first = firstGroups(metadata, rowEnd);
  // Without a page index hyparquet reads whole column chunks: refuse before reading any of them.
  if (!first.paged && first.bytes > maxBytes) throw new ParquetTooLargeError(tooLarge());
  const objects = (await parquetReadObjects({ file, metadata, rowStart: 0, rowEnd, useOffsetIndex: true })) as Array<Record<string, unknown>>;
  const rows = objects.map((o) => columns.map((c) => cellOf(o[c.name])));
  return { columns, rows, truncated: total > rows.length, totalRows: total };
}
