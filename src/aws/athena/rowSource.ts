// The rows of one Athena result for the result viewer. The grid's windows page through
// GetQueryResults on demand (1,000 rows a request, tokens kept so a page is never fetched twice);
// sort, filter and export read the CSV result object from S3 in one streamed GET instead.
import { AthenaClient, GetQueryResultsCommand, GetQueryResultsCommandOutput } from '@aws-sdk/client-athena';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ResultCell, ResultColumn, RowSource } from '../../results/model';
import { athenaCsvRecords } from './resultCsv';
import { convertRow, resultColumns } from './values';

export interface AthenaResultInfo {
  queryExecutionId: string;
  /** DML (SELECT) results repeat the column names as the first row of the first page. */
  statementType?: string;
  /** s3://bucket/key of the result object (QueryExecution.ResultConfiguration.OutputLocation). */
  outputLocation?: string;
}

/** The S3 client for a bucket (in the bucket's own region: AwsClients.forBucket). */
export type S3ForBucket = (bucket: string) => Promise<S3Client>;

export interface RowSourceOptions {
  pageSize?: number;
  /** Wraps each API call (retry on throttling); identity by default. */
  call?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Rows per batch yielded by allRows(). */
  batchRows?: number;
}

export function parseS3Location(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new Error(`Not an S3 object location: ${uri}`);
  return { bucket: m[1], key: m[2] };
}

/** True when the first row of the first page is the header (a SELECT), false for DDL/SHOW/DESCRIBE. */
export function firstRowIsHeader(statementType: string | undefined): boolean {
  return statementType === 'DML';
}

export class AthenaRowSource implements RowSource {
  private readonly rows: ResultCell[][] = [];
  private nextToken: string | undefined;
  private done = false;
  private started = false;
  private pending?: Promise<void>;
  private cols: ResultColumn[] = [];
  readonly pageSize: number;
  /** GetQueryResults calls made (for tests and the benchmark). */
  requests = 0;

  constructor(
    private readonly athena: AthenaClient,
    private readonly s3: S3ForBucket,
    readonly info: AthenaResultInfo,
    private readonly opts: RowSourceOptions = {},
  ) {
    this.pageSize = Math.min(1000, Math.max(1, opts.pageSize ?? 1000));
  }

  /** Loads the first page and returns the columns (from ResultSetMetadata). */
  async open(signal?: AbortSignal): Promise<ResultColumn[]> {
    if (!this.started) await this.loadPage(signal);
    return this.cols;
  }

  columns(): ResultColumn[] {
    return this.cols;
  }

  rowCount(): number | undefined {
    return this.done ? this.rows.length : undefined;
  }

  /** Rows loaded so far (the grid may show them while more are fetched). */
  loadedCount(): number {
    return this.rows.length;
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return this.opts.call ? this.opts.call(fn) : fn();
  }

  private loadPage(signal?: AbortSignal): Promise<void> {
    if (this.pending) return this.pending;
    this.pending = (async () => {
      const first = !this.started;
      const out: GetQueryResultsCommandOutput = await this.call(() =>
        this.athena.send(new GetQueryResultsCommand({ QueryExecutionId: this.info.queryExecutionId, MaxResults: this.pageSize, NextToken: this.nextToken }), {
          abortSignal: signal,
        }),
      );
      this.requests++;
      this.started = true;
      if (first) this.cols = resultColumns(out.ResultSet?.ResultSetMetadata?.ColumnInfo);
      let page = out.ResultSet?.Rows ?? [];
      if (first && firstRowIsHeader(this.info.statementType)) page = page.slice(1);
      for (const r of page)
        this.rows.push(
          convertRow(
            (r.Data ?? []).map((d) => d.VarCharValue ?? null),
            this.cols,
          ),
        );
      this.nextToken = out.NextToken;
      if (!this.nextToken) this.done = true;
    })().finally(() => (this.pending = undefined));
    return this.pending;
  }

  async getRows(start: number, count: number, signal?: AbortSignal): Promise<ResultCell[][]> {
    while (!this.done && this.rows.length < start + count) {
      if (signal?.aborted) throw Object.assign(new Error('Cancelled'), { name: 'AbortError' });
      await this.loadPage(signal);
    }
    return this.rows.slice(start, start + count);
  }

  /** Every row, streamed from the CSV result object in S3 (one GET), in batches. */
  async *allRows(signal?: AbortSignal): AsyncIterable<ResultCell[][]> {
    if (!this.started) await this.loadPage(signal);
    if (this.done || !this.info.outputLocation) {
      // Everything is already here (or there is no object to read): no second trip.
      while (!this.done) await this.loadPage(signal);
      for (let i = 0; i < this.rows.length; i += 5000) yield this.rows.slice(i, i + 5000);
      return;
    }
    const { bucket, key } = parseS3Location(this.info.outputLocation);
    const s3 = await this.s3(bucket);
    const got = await this.call(() => s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal }));
    const body = got.Body as AsyncIterable<Uint8Array> | undefined;
    if (!body) return;
    let skipHeader = firstRowIsHeader(this.info.statementType);
    const batchRows = this.opts.batchRows ?? 5000;
    let batch: ResultCell[][] = [];
    for await (const records of athenaCsvRecords(body, signal)) {
      if (signal?.aborted) throw Object.assign(new Error('Cancelled'), { name: 'AbortError' });
      for (const rec of records) {
        if (skipHeader) {
          skipHeader = false;
          continue;
        }
        batch.push(convertRow(rec, this.cols));
        if (batch.length >= batchRows) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length) yield batch;
  }
}
