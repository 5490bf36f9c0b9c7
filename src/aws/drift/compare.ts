// Compare Datasets, editor-free: two datasets (Athena tables, or S3 objects or prefixes) profiled
// in Athena with one query each, then their drift per column. An S3 dataset gets a temporary
// external table over its folder, its columns inferred from a sample as "Create Athena Table from
// S3 Prefix" infers them; a single object is picked out of its folder with Athena's "$path". The
// temporary tables are dropped afterwards whatever happens (an external table's DROP leaves the
// data alone).
import { randomBytes } from 'node:crypto';
import type { QueryExecution } from '@aws-sdk/client-athena';
import type { S3Client } from '@aws-sdk/client-s3';
import { CancelledError, FerryError } from '../../core/errors';
import { Logger, silentLogger } from '../../core/logger';
import { inferTableFromPrefix } from '../athena/inferTable';
import { AthenaService } from '../athena/service';
import { createTableDdl, ddlColumns, formatOfKey, qualifiedName } from '../athena/tableDdl';
import { BinSpec, columnKind, DriftColumn } from './profile';
import { driftReport, DriftReport } from './psi';
import { baselineSql, comparisonSql, parseProfile, rowsByName, SqlSource, sqlString } from './sql';

/** Text read to infer an S3 dataset's columns (its first rows: the rest is Athena's to read). */
const SCHEMA_SAMPLE_BYTES = 128 * 1024;

export type DatasetRef = { kind: 'table'; catalog?: string; database: string; table: string } | { kind: 's3'; bucket: string; key: string };

export function datasetLabel(ref: DatasetRef): string {
  return ref.kind === 'table' ? `${ref.database}.${ref.table}` : `s3://${ref.bucket}/${ref.key}`;
}

/** `db.table`, `"db"."odd table"` or `s3://bucket/key` (a key ending in / is a prefix). */
export function parseDatasetRef(text: string): DatasetRef | undefined {
  const t = text.trim();
  const s3 = /^s3:\/\/([^/]+)\/(.*)$/i.exec(t);
  if (s3) return { kind: 's3', bucket: s3[1], key: s3[2] };
  const table = /^(?:"([^"]+)"|([\w-]+))\.(?:"([^"]+)"|([\w-]+))$/.exec(t);
  if (table) return { kind: 'table', database: table[1] ?? table[2], table: table[3] ?? table[4] };
  return undefined;
}

export interface DriftDeps {
  athena: AthenaService;
  s3(bucket: string): Promise<S3Client>;
  /** The database temporary tables are made in (the one queries run in). */
  database: string;
  catalog: string;
  logger?: Logger;
}

export interface DriftOptions {
  threshold: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface DriftResult {
  report: DriftReport;
  labels: [string, string];
  /** The two profile queries, as sent. */
  sql: [string, string];
  executions: QueryExecution[];
  /** Bytes Athena scanned for the two profile queries. */
  scannedBytes: number;
  /** The baseline's bins per column (decile edges or top categories). */
  specs: Record<string, BinSpec | undefined>;
}

interface Resolved {
  source: SqlSource;
  columns: Array<{ name: string; type: string }>;
  drop?: string;
}

async function resolve(deps: DriftDeps, ref: DatasetRef, tag: string, signal?: AbortSignal): Promise<Resolved> {
  if (ref.kind === 'table') {
    const t = await deps.athena.getTable(ref.catalog ?? deps.catalog, ref.database, ref.table);
    const columns = [...(t.Columns ?? []), ...(t.PartitionKeys ?? [])].map((c) => ({ name: c.Name ?? '', type: c.Type ?? 'string' })).filter((c) => c.name);
    return { source: { table: qualifiedName(ref.database, ref.table) }, columns };
  }
  const isObject = !!ref.key && !ref.key.endsWith('/');
  if (isObject && !formatOfKey(ref.key))
    throw new FerryError('invalidInput', `s3://${ref.bucket}/${ref.key} is not a CSV, TSV, JSON or Parquet object, so Athena cannot read it as a table.`);
  const folder = isObject ? ref.key.slice(0, ref.key.lastIndexOf('/') + 1) : ref.key;
  const inferred = await inferTableFromPrefix(await deps.s3(ref.bucket), {
    bucket: ref.bucket,
    prefix: folder,
    database: deps.database,
    signal,
    sampleKey: isObject ? ref.key : undefined,
    sampleBytes: SCHEMA_SAMPLE_BYTES,
  });
  const name = `ferry_drift_${randomBytes(4).toString('hex')}_${tag}`;
  const ddl = createTableDdl({ ...inferred, table: name, partitionKeys: [] });
  if (signal?.aborted) throw new CancelledError();
  await deps.athena.run(ddl, { database: deps.database, catalog: deps.catalog, signal });
  const drop = `DROP TABLE IF EXISTS ${qualifiedName(deps.database, name)}`;
  const where = isObject ? `"$path" = ${sqlString(`s3://${ref.bucket}/${ref.key}`)}` : undefined;
  return { source: { table: qualifiedName(deps.database, name), where }, columns: ddlColumns({ ...inferred, table: name }), drop };
}

async function rowsOf(deps: DriftDeps, q: QueryExecution, signal?: AbortSignal): Promise<Array<Record<string, string | number | boolean | null>>> {
  const source = deps.athena.rows(q);
  const columns = await source.open(signal);
  const rows = [];
  for (let start = 0; ; start += 1000) {
    const page = await source.getRows(start, 1000, signal);
    rows.push(...page);
    if (page.length < 1000) break;
  }
  return rowsByName(
    columns.map((c) => c.name),
    rows,
  );
}

export async function compareDatasets(deps: DriftDeps, a: DatasetRef, b: DatasetRef, opts: DriftOptions): Promise<DriftResult> {
  const logger = deps.logger ?? silentLogger;
  const labels: [string, string] = [datasetLabel(a), datasetLabel(b)];
  const drops: string[] = [];
  try {
    opts.onProgress?.('Reading the datasets’ columns…');
    const ra = await resolve(deps, a, 'a', opts.signal);
    if (ra.drop) drops.push(ra.drop);
    const rb = await resolve(deps, b, 'b', opts.signal);
    if (rb.drop) drops.push(rb.drop);
    const inB = new Map(rb.columns.map((c) => [c.name.toLowerCase(), c]));
    const shared = ra.columns.filter((c) => inB.has(c.name.toLowerCase()));
    if (!shared.length) throw new FerryError('invalidInput', `${labels[0]} and ${labels[1]} have no column in common, so there is nothing to compare.`);
    // The baseline's type decides how a column is compared; the other side is cast to it.
    const columns: DriftColumn[] = shared.map((c) => ({ name: c.name, kind: columnKind(c.type), sqlType: c.type }));
    const aNames = new Set(ra.columns.map((c) => c.name.toLowerCase()));
    const only = {
      a: ra.columns.filter((c) => !inB.has(c.name.toLowerCase())).map((c) => c.name),
      b: rb.columns.filter((c) => !aNames.has(c.name.toLowerCase())).map((c) => c.name),
    };

    const sqlA = baselineSql(ra.source, columns);
    logger.info(`Compare Datasets: profile of ${labels[0]}:\n${sqlA}`);
    const qa = await deps.athena.run(sqlA, {
      database: deps.database,
      catalog: deps.catalog,
      signal: opts.signal,
      onProgress: (p) => opts.onProgress?.(`${labels[0]}: ${p.state.toLowerCase()}…`),
    });
    const baseline = parseProfile(await rowsOf(deps, qa, opts.signal), columns);

    const sqlB = comparisonSql(rb.source, columns, baseline.specs);
    logger.info(`Compare Datasets: profile of ${labels[1]} over the bins of ${labels[0]}:\n${sqlB}`);
    const qb = await deps.athena.run(sqlB, {
      database: deps.database,
      catalog: deps.catalog,
      signal: opts.signal,
      onProgress: (p) => opts.onProgress?.(`${labels[1]}: ${p.state.toLowerCase()}…`),
    });
    const comparison = parseProfile(await rowsOf(deps, qb, opts.signal), columns, baseline.specs);

    const report = driftReport(columns, baseline.profile, comparison.profile, baseline.specs, opts.threshold, only);
    const scannedBytes = [qa, qb].reduce((n, q) => n + (q.Statistics?.DataScannedInBytes ?? 0), 0);
    return { report, labels, sql: [sqlA, sqlB], executions: [qa, qb], scannedBytes, specs: baseline.specs };
  } finally {
    for (const drop of drops) {
      // Not with the run's signal: a cancelled comparison still removes its tables.
      await deps.athena
        .run(drop, { database: deps.database, catalog: deps.catalog })
        .catch((err) => logger.warn(`Compare Datasets: could not drop a temporary table (${drop}): ${err instanceof Error ? err.message : String(err)}`));
    }
  }
}
