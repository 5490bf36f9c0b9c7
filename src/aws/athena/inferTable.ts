// Infers a table from a sample of the objects under an S3 prefix: the first data object's format
// (by extension), its columns and types (CSV header and rows, JSON lines, or the Parquet schema
// from the footer), and key=value partition folders. Reads at most a megabyte of text.
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { readDelimitedPreview } from '../preview/csv';
import { readJsonLinesPreview } from '../preview/jsonl';
import { parquetColumns, readParquetMetadata } from '../preview/parquet';
import { FerryError } from '../../core/errors';
import { athenaTableName, formatOfKey, InferredTable, partitionKeysOf } from './tableDdl';

const SAMPLE_BYTES = 1024 * 1024;
const SAMPLE_ROWS = 200;

function isDataKey(prefix: string, key: string): boolean {
  const leaf = key.slice(prefix.length).split('/').pop() ?? '';
  return !!leaf && !leaf.startsWith('_') && !leaf.startsWith('.') && !key.endsWith('$folder$');
}

/**
 * With `sampleKey` (an object under the prefix) that object is sampled instead of the first one
 * listed; `sampleBytes` reads less text than the default megabyte.
 */
export async function inferTableFromPrefix(
  s3: S3Client,
  opts: { bucket: string; prefix: string; database: string; signal?: AbortSignal; sampleKey?: string; sampleBytes?: number },
): Promise<InferredTable> {
  const sampleBytes = Math.max(4096, Math.min(SAMPLE_BYTES, opts.sampleBytes ?? SAMPLE_BYTES));
  const prefix = opts.prefix && !opts.prefix.endsWith('/') ? `${opts.prefix}/` : opts.prefix;
  let token: string | undefined;
  let sampleKey: string | undefined = opts.sampleKey && formatOfKey(opts.sampleKey) ? opts.sampleKey : undefined;
  for (let pages = 0; pages < 5 && !sampleKey; pages++) {
    const list = await s3.send(new ListObjectsV2Command({ Bucket: opts.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: 1000 }), {
      abortSignal: opts.signal,
    });
    sampleKey = (list.Contents ?? []).map((o) => o.Key ?? '').find((k) => isDataKey(prefix, k) && formatOfKey(k));
    token = list.IsTruncated ? list.NextContinuationToken : undefined;
    if (!token) break;
  }
  if (!sampleKey) throw new FerryError('notFound', `No CSV, TSV, JSON or Parquet objects under s3://${opts.bucket}/${prefix}`);
  const format = formatOfKey(sampleKey)!;
  if (/\.(gz|bz2|zst|snappy)$/i.test(sampleKey) && format !== 'parquet') {
    throw new FerryError('invalidInput', `Ferry cannot sample compressed text (${sampleKey}); write the table's columns by hand.`);
  }
  let columns;
  if (format === 'parquet') {
    const head = await s3.send(new HeadObjectCommand({ Bucket: opts.bucket, Key: sampleKey }), { abortSignal: opts.signal });
    const byteLength = head.ContentLength ?? 0;
    const metadata = await readParquetMetadata({
      byteLength,
      read: async (start, end) => {
        const got = await s3.send(new GetObjectCommand({ Bucket: opts.bucket, Key: sampleKey, Range: `bytes=${start}-${end - 1}` }), {
          abortSignal: opts.signal,
        });
        return got.Body!.transformToByteArray();
      },
    });
    columns = parquetColumns(metadata);
  } else {
    const got = await s3.send(new GetObjectCommand({ Bucket: opts.bucket, Key: sampleKey, Range: `bytes=0-${sampleBytes - 1}` }), { abortSignal: opts.signal });
    const text = await got.Body!.transformToString();
    // Drop a last line the range cut in half.
    const whole = text.length >= sampleBytes && text.includes('\n') ? text.slice(0, text.lastIndexOf('\n') + 1) : text;
    const source = (async function* () {
      yield whole;
    })();
    const table =
      format === 'json'
        ? await readJsonLinesPreview(source, { maxRows: SAMPLE_ROWS })
        : await readDelimitedPreview(source, { maxRows: SAMPLE_ROWS, delimiter: format === 'tsv' ? '\t' : ',' });
    columns = table.columns;
  }
  if (!columns.length) throw new FerryError('invalidInput', `Could not find any columns in ${sampleKey}`);
  const segments = prefix
    .split('/')
    .filter(Boolean)
    .filter((s) => !s.includes('='));
  return {
    database: opts.database,
    table: athenaTableName(segments.at(-1) ?? opts.bucket),
    location: `s3://${opts.bucket}/${prefix}`,
    format,
    columns,
    partitionKeys: partitionKeysOf(prefix, sampleKey),
  };
}
