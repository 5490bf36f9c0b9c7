// The SQL side of the Athena stand-in: DuckDB over objects staged from the S3 stand-in. DuckDB runs
// with external access off and its configuration locked: the user's SQL can read, write, attach or
// install nothing but the staging folder, whose files the stand-in itself copies from the S3
// stand-in (so read_text('~/.aws/credentials') fails, and SET cannot turn the lock off). Each
// catalog table becomes a DuckDB view over its staged files (read_csv / read_json / read_parquet
// with the DDL's columns, delimiter, header skip and key=value partition folders). A query's result
// is materialized into a DuckDB table so that GetQueryResults can page it and the CSV can be written.
import fs from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { Catalog, CatalogTable } from './catalog';
import { duckType } from './ddl';

export type Cell = string | null;

export interface ResultColumn {
  name: string;
  duckType: string;
}

export interface StagedTable {
  files: string[];
  bytes: number;
}

function q(ident: string): string {
  return `"${ident.replace(/"/g, '""')}"`;
}

function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`not an s3:// URI: ${uri}`);
  return { bucket: m[1], prefix: m[2] };
}

export class DuckEngine {
  private instance?: DuckDBInstance;
  private conn?: DuckDBConnection;
  /** Staged object → the ETag it was downloaded at. */
  private readonly staged = new Map<string, string>();

  constructor(
    private readonly stagingDir: string,
    private readonly s3: S3Client,
    private readonly catalog: Catalog,
  ) {}

  async init(): Promise<void> {
    this.instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    this.conn = await this.instance.connect();
    await this.conn.run('SET preserve_insertion_order = true');
    // Athena's (Trino's) names for the aggregates DuckDB spells differently. approx_percentile is
    // DuckDB's t-digest (Athena uses a q-digest: both approximate); approx_distinct is exact here
    // ([deviation]: DuckDB's own HyperLogLog was 25% off on 1,000 values, Athena's has a 2.3%
    // standard error), so clients must not rely on it being exact.
    await this.conn.run('CREATE TEMP MACRO approx_percentile(x, p) AS approx_quantile(x, p)');
    await this.conn.run('CREATE TEMP MACRO approx_distinct(x) AS count(DISTINCT x)');
    // Order matters: the allowed folder is set while access is still on, then access goes off and
    // the configuration is locked for every later statement.
    await this.conn.run(`SET allowed_directories = [${lit(`${path.resolve(this.stagingDir)}${path.sep}`)}]`);
    await this.conn.run('SET autoinstall_known_extensions = false');
    await this.conn.run('SET autoload_known_extensions = false');
    await this.conn.run('SET enable_external_access = false');
    await this.conn.run('SET lock_configuration = true');
  }

  private get c(): DuckDBConnection {
    if (!this.conn) throw new Error('engine not started');
    return this.conn;
  }

  interrupt(): void {
    this.conn?.interrupt();
  }

  close(): void {
    this.conn?.closeSync();
    this.instance?.closeSync();
  }

  /** Copies the objects under a table's LOCATION into the staging folder (only those that changed). */
  async stage(database: string, table: CatalogTable): Promise<StagedTable> {
    const { bucket, prefix } = parseS3Uri(table.location);
    const base = prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix;
    const dir = path.join(this.stagingDir, database, table.name);
    const files: string[] = [];
    let bytes = 0;
    let token: string | undefined;
    const keep = new Set<string>();
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: base, ContinuationToken: token }));
      for (const obj of page.Contents ?? []) {
        const key = obj.Key ?? '';
        const rel = key.slice(base.length);
        const leaf = rel.split('/').pop() ?? '';
        // Hive skips folder markers and hidden files (_SUCCESS, .crc).
        if (!leaf || leaf.startsWith('_') || leaf.startsWith('.') || key.endsWith('$folder$')) continue;
        if (
          rel.includes('/') &&
          !rel
            .split('/')
            .slice(0, -1)
            .every((p) => /^[^=]+=.*$/.test(p)) &&
          table.partitionKeys.length
        )
          continue;
        // S3 keeps `..`, `.` and empty segments verbatim; as folder names they would climb out of
        // the staging folder. Such objects are not staged (how Athena reads them is unconfirmed).
        if (!rel.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..' && Buffer.byteLength(seg) <= 200 && !/[\\\0]/.test(seg))) continue;
        const local = path.join(dir, ...rel.split('/'));
        if (!local.startsWith(`${path.resolve(this.stagingDir)}${path.sep}`)) continue;
        keep.add(local);
        const etag = `${obj.ETag ?? ''}:${obj.Size ?? 0}`;
        if (this.staged.get(local) !== etag || !fs.existsSync(local)) {
          const got = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          fs.mkdirSync(path.dirname(local), { recursive: true });
          fs.writeFileSync(local, await got.Body!.transformToByteArray());
          this.staged.set(local, etag);
        }
        files.push(local);
        bytes += obj.Size ?? 0;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return { files: files.sort(), bytes };
  }

  /**
   * The SELECT that reads a table's staged files with its declared columns. With `pathFrom` (the
   * staging folder of the table), it also has Athena's hidden column "$path", the s3:// URI of the
   * object a row came from. Athena leaves "$path" out of SELECT *; DuckDB has no hidden columns, so
   * the column is there only for a query that names it ([deviation]: SELECT * of such a query
   * returns it too).
   */
  viewSql(table: CatalogTable, files: string[], pathFrom?: string): string {
    const cols = table.columns;
    const parts = table.partitionKeys;
    const base = table.location.endsWith('/') ? table.location : `${table.location}/`;
    const hidden = pathFrom ? `, replace(replace(filename, '\\', '/'), ${lit(`${pathFrom.split(path.sep).join('/')}/`)}, ${lit(base)}) AS "$path"` : '';
    const typed = [...cols, ...parts].map((col) => `TRY_CAST(${q(col.name)} AS ${duckType(col.type)}) AS ${q(col.name)}`).join(', ') + hidden;
    if (files.length === 0) {
      return `SELECT ${[...cols, ...parts].map((col) => `CAST(NULL AS ${duckType(col.type)}) AS ${q(col.name)}`).join(', ')}${pathFrom ? ', CAST(NULL AS VARCHAR) AS "$path"' : ''} WHERE false`;
    }
    const list = `[${files.map(lit).join(', ')}]`;
    const hive = parts.length
      ? `, hive_partitioning = true, hive_types = {${parts.map((p) => `${lit(p.name)}: 'VARCHAR'`).join(', ')}}`
      : ', hive_partitioning = false';
    let source: string;
    if (table.format === 'parquet') {
      source = `read_parquet(${list}${hive}, union_by_name = true${pathFrom ? ', filename = true' : ''})`;
    } else if (table.format === 'json') {
      const spec = cols.map((col) => `${lit(col.name)}: 'VARCHAR'`).join(', ');
      source = `read_json(${list}, format = 'newline_delimited', columns = {${spec}}${hive}, ignore_errors = true${pathFrom ? ', filename = true' : ''})`;
    } else {
      const spec = cols.map((col) => `${lit(col.name)}: 'VARCHAR'`).join(', ');
      const skip = Number(table.tableProperties['skip.header.line.count'] ?? '0') || 0;
      const quote = table.format === 'csv' ? lit(table.quoteChar ?? '"') : "''";
      const nullStr = table.serdeProperties['serialization.null.format'];
      const nullOpt = table.format === 'text' ? `, nullstr = ${lit(nullStr ?? '\\N')}` : '';
      source = `read_csv(${list}, columns = {${spec}}, header = false, skip = ${skip}, delim = ${lit(table.delimiter)}, quote = ${quote}, escape = ${quote}${nullOpt}, null_padding = true, ignore_errors = true, auto_detect = false${hive}${pathFrom ? ', filename = true' : ''})`;
    }
    return `SELECT ${typed} FROM ${source}`;
  }

  /** Makes the tables a query names readable, returning the bytes it will scan. */
  async prepareTables(sql: string): Promise<number> {
    let bytes = 0;
    const namesPath = /"\$path"/i.test(sql);
    for (const { database, table } of this.catalog.referencedTables(sql)) {
      const staged = await this.stage(database, table);
      bytes += staged.bytes;
      await this.c.run(`CREATE SCHEMA IF NOT EXISTS ${q(database)}`);
      await this.c.run(
        `CREATE OR REPLACE VIEW ${q(database)}.${q(table.name)} AS ${this.viewSql(table, staged.files, namesPath ? path.join(this.stagingDir, database, table.name) : undefined)}`,
      );
    }
    return bytes;
  }

  /** Runs a SELECT into a result table; returns its columns and row count. */
  async runQuery(sql: string, database: string, resultTable: string): Promise<{ columns: ResultColumn[]; rowCount: number }> {
    await this.c.run(`CREATE SCHEMA IF NOT EXISTS ${q(database)}`);
    await this.c.run(`USE memory.${q(database)}`);
    const body = sql.replace(/(^|[\s,(])"?awsdatacatalog"?\s*\./gi, '$1');
    await this.c.run(`CREATE TABLE memory.main.${q(resultTable)} AS ${body}`);
    const desc = await this.c.runAndReadAll(`DESCRIBE memory.main.${q(resultTable)}`);
    const columns = desc.getRowsJS().map((r) => ({ name: String(r[0]), duckType: String(r[1]) }));
    const count = await this.c.runAndReadAll(`SELECT count(*) FROM memory.main.${q(resultTable)}`);
    return { columns, rowCount: Number(count.getRowsJS()[0][0]) };
  }

  async page(resultTable: string, offset: number, limit: number): Promise<Cell[][]> {
    const r = await this.c.runAndReadAll(`SELECT CAST(COLUMNS(*) AS VARCHAR) FROM memory.main.${q(resultTable)} LIMIT ${limit} OFFSET ${offset}`);
    return r.getRowsJS() as Cell[][];
  }

  /** Streams a result table into a CSV file the way Athena writes it: every value quoted, NULL empty. */
  async writeCsv(resultTable: string, header: string[] | undefined, file: string): Promise<void> {
    const out = fs.createWriteStream(file);
    const line = (cells: Cell[]) => cells.map((v) => (v === null ? '' : `"${v.replace(/"/g, '""')}"`)).join(',') + '\n';
    if (header) out.write(line(header));
    const result = await this.c.stream(`SELECT CAST(COLUMNS(*) AS VARCHAR) FROM memory.main.${q(resultTable)}`);
    for await (const rows of result.yieldRowsJs()) {
      let chunk = '';
      for (const r of rows as Cell[][]) chunk += line(r);
      if (!out.write(chunk)) await new Promise<void>((res) => out.once('drain', () => res()));
    }
    await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  }

  async dropResult(resultTable: string): Promise<void> {
    await this.c.run(`DROP TABLE IF EXISTS memory.main.${q(resultTable)}`);
  }

  async dropView(database: string, table: string): Promise<void> {
    await this.c.run(`DROP VIEW IF EXISTS ${q(database)}.${q(table)}`).catch(() => undefined);
  }

  /** Partition folders found under a table's location (SHOW PARTITIONS). */
  async partitions(database: string, table: CatalogTable): Promise<string[]> {
    const staged = await this.stage(database, table);
    const base = path.join(this.stagingDir, database, table.name);
    const set = new Set<string>();
    for (const f of staged.files) {
      const rel = path.relative(base, path.dirname(f)).split(path.sep).join('/');
      if (rel && rel !== '.') set.add(rel);
    }
    return [...set].sort();
  }
}
