// A CSV, TSV, JSON-lines or Parquet file on a volume as a preview table, through the same preview
// code S3 uses: text is streamed and dropped after the first rows, Parquet is read by range.
import { previewFromSource } from '../aws/preview/byteSource';
import { PreviewOptions, PreviewTable } from '../aws/preview/table';
import { previewFormat, PreviewFormat } from '../aws/s3/keys';
import { FerryError } from '../core/errors';
import { VolumeFilesService } from './volumeFiles';

export async function previewVolumeFile(
  files: VolumeFilesService,
  path: string,
  opts: PreviewOptions & { format?: PreviewFormat } = {},
): Promise<PreviewTable & { format: PreviewFormat }> {
  const format = opts.format ?? previewFormat(path);
  if (!format) throw new FerryError('invalidInput', `${path.slice(path.lastIndexOf('/') + 1)} is not a CSV, TSV, JSON-lines or Parquet file.`);
  return previewFromSource(
    {
      size: async () => (await files.head(path, opts.signal)).size,
      readRange: (start, end) => files.readRange(path, start, end, opts.signal),
      openStream: async () => (await files.openRead(path, opts.signal)).body,
    },
    format,
    opts,
  );
}
