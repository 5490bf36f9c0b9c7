// The one way a stored file becomes a preview table, whatever stores it (an S3 object, a file on a
// Unity Catalog volume): text formats are read as a stream that is dropped once the first rows
// are in; Parquet reads its footer and the first row groups by range. Never the whole file.
import type { Readable } from 'node:stream';
import type { PreviewFormat } from '../s3/keys';
import { readCsvPreview, readTsvPreview } from './csv';
import { readJsonLinesPreview } from './jsonl';
import { readParquetPreview } from './parquet';
import { PreviewOptions, PreviewTable } from './table';

export interface PreviewByteSource {
  /** The file's size in bytes (Parquet's footer is at the end). */
  size(): Promise<number>;
  /** Bytes [start, end) of the file. */
  readRange(start: number, end: number): Promise<Uint8Array>;
  /** The file from its first byte; the preview destroys the stream once it has enough. */
  openStream(): Promise<Readable>;
}

export async function previewFromSource(
  source: PreviewByteSource,
  format: PreviewFormat,
  opts: PreviewOptions = {},
): Promise<PreviewTable & { format: PreviewFormat }> {
  if (format === 'parquet') {
    const table = await readParquetPreview({ byteLength: await source.size(), read: (start, end) => source.readRange(start, end) }, opts);
    return { ...table, format };
  }
  const body = await source.openStream();
  try {
    const reader = format === 'csv' ? readCsvPreview : format === 'tsv' ? readTsvPreview : readJsonLinesPreview;
    return { ...(await reader(body, opts)), format };
  } finally {
    body.destroy(); // stop downloading the rest of the file
  }
}
