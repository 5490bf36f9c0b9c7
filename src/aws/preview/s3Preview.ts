// Reads the first window of an S3 object as a table: text formats stream from GetObject and stop
// early; Parquet reads its footer and the first row groups with range requests.
import { Readable } from 'node:stream';
import { previewFormat, PreviewFormat } from '../s3/keys';
import { S3Service } from '../s3/s3Service';
import { previewFromSource } from './byteSource';
import { PreviewOptions, PreviewTable } from './table';

export async function previewS3Object(
  s3: S3Service,
  bucket: string,
  key: string,
  opts: PreviewOptions & { format?: PreviewFormat } = {},
): Promise<PreviewTable & { format: PreviewFormat }> {
  const format = opts.format ?? previewFormat(key);
  if (!format) throw new Error(`No table preview for ${key}`);
  return previewFromSource(
    {
      size: async () => (await s3.head(bucket, key, opts.signal)).size ?? 0,
      readRange: (start, end) => s3.getBytes(bucket, key, { start, end: end - 1 }, opts.signal),
      openStream: async () => (await s3.getStream(bucket, key, undefined, opts.signal)).body as Readable,
    },
    format,
    opts,
  );
}
