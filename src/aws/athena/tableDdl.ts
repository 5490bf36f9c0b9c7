// Athena names and statements: quoting identifiers, the SELECT a table action generates, the DDL of
// a table rebuilt from its metadata (no billed SHOW CREATE TABLE), and a CREATE EXTERNAL TABLE
// inferred from a sample of the objects under an S3 prefix.
import type { TableMetadata } from '@aws-sdk/client-athena';
import type { ColumnType, ResultColumn } from '../../results/model';

/** Double-quoted identifier for queries (Trino). */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Back-quoted identifier for DDL (Hive). */
export function quoteDdlIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

export function qualifiedName(database: string, table: string): string {
  return `${quoteIdent(database)}.${quoteIdent(table)}`;
}

export function previewSql(database: string, table: string, limit = 100): string {
  return `SELECT * FROM ${qualifiedName(database, table)} LIMIT ${limit}`;
}

export function generateSelectSql(database: string, t: TableMetadata, limit = 100): string {
  const cols = [...(t.Columns ?? []), ...(t.PartitionKeys ?? [])].map((c) => `  ${quoteIdent(c.Name ?? '')}`);
  return `SELECT\n${cols.join(',\n')}\nFROM ${qualifiedName(database, t.Name ?? '')}\nLIMIT ${limit};\n`;
}

function sqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\t/g, '\\t').split('\u0001').join('\\001')}'`;
}

/** CREATE EXTERNAL TABLE text from GetTableMetadata's answer. */
export function ddlFromMetadata(database: string, t: TableMetadata): string {
  const cols = (list: TableMetadata['Columns']) =>
    (list ?? []).map((c) => `  ${quoteDdlIdent(c.Name ?? '')} ${c.Type ?? 'string'}${c.Comment ? ` COMMENT ${sqlString(c.Comment)}` : ''}`).join(',\n');
  const p = t.Parameters ?? {};
  const lines = [`CREATE EXTERNAL TABLE ${quoteDdlIdent(database)}.${quoteDdlIdent(t.Name ?? '')} (`, cols(t.Columns), ')'];
  if (t.PartitionKeys?.length) lines.push('PARTITIONED BY (', cols(t.PartitionKeys), ')');
  const serde = p['serde.serialization.lib'];
  const classification = (p.classification ?? '').toLowerCase();
  if (classification === 'parquet' || /parquet/i.test(p.inputformat ?? '')) lines.push('STORED AS PARQUET');
  else if (serde) lines.push(`ROW FORMAT SERDE ${sqlString(serde)}`);
  else if (p['field.delim'] !== undefined) lines.push(`ROW FORMAT DELIMITED FIELDS TERMINATED BY ${sqlString(p['field.delim'])}`);
  if (p.location) lines.push(`LOCATION ${sqlString(p.location)}`);
  const skip = Object.entries(p).filter(
    ([k]) => !['EXTERNAL', 'location', 'inputformat', 'outputformat', 'serde.serialization.lib', 'field.delim', 'transient_lastDdlTime'].includes(k),
  );
  if (skip.length) lines.push(`TBLPROPERTIES (\n${skip.map(([k, v]) => `  ${sqlString(k)}=${sqlString(v)}`).join(',\n')}\n)`);
  return `${lines.join('\n')};\n`;
}

export type SampleFormat = 'csv' | 'tsv' | 'json' | 'parquet';

export function formatOfKey(key: string): SampleFormat | undefined {
  const k = key.toLowerCase().replace(/\.(gz|bz2|snappy|zst)$/, '');
  if (k.endsWith('.parquet') || k.endsWith('.pq')) return 'parquet';
  if (k.endsWith('.tsv') || k.endsWith('.tab')) return 'tsv';
  if (k.endsWith('.csv') || k.endsWith('.txt')) return 'csv';
  if (k.endsWith('.json') || k.endsWith('.jsonl') || k.endsWith('.ndjson')) return 'json';
  return undefined;
}

/** Hive type for an inferred column (Parquet columns use their physical/logical type). */
export function hiveTypeOf(col: ResultColumn): string {
  const src = (col.sourceType ?? '').toUpperCase();
  if (src) {
    if (src.startsWith('INT64')) return 'bigint';
    if (src.startsWith('INT32/DATE') || src.includes('DATE')) return 'date';
    if (src.includes('TIMESTAMP') || src.startsWith('INT96')) return 'timestamp';
    if (src.startsWith('INT32')) return 'int';
    if (src.startsWith('DOUBLE')) return 'double';
    if (src.startsWith('FLOAT')) return 'float';
    if (src.startsWith('BOOLEAN')) return 'boolean';
    if (src.includes('DECIMAL')) return 'double';
    if (src.startsWith('BYTE_ARRAY')) return 'string';
  }
  const map: Record<ColumnType, string> = {
    integer: 'bigint',
    number: 'double',
    boolean: 'boolean',
    date: 'date',
    timestamp: 'timestamp',
    string: 'string',
    json: 'string',
    binary: 'binary',
    unknown: 'string',
  };
  return map[col.type];
}

/** A column name Athena accepts: lower case letters, digits and underscores. */
export function athenaColumnName(name: string, index: number): string {
  const n = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return n ? (/^[0-9]/.test(n) ? `_${n}` : n) : `col_${index + 1}`;
}

export function athenaTableName(name: string): string {
  return athenaColumnName(name, 0) || 'new_table';
}

export interface InferredTable {
  database: string;
  table: string;
  location: string;
  format: SampleFormat;
  columns: ResultColumn[];
  /** key=value folders found under the prefix, in order. */
  partitionKeys: string[];
}

/** Partition keys from the folders between the prefix and a sample object (`year=2024/month=01/`). */
export function partitionKeysOf(prefix: string, key: string): string[] {
  const rel = key.slice(prefix.length).split('/').slice(0, -1);
  const keys: string[] = [];
  for (const part of rel) {
    const m = /^([^=]+)=/.exec(part);
    if (!m) return [];
    keys.push(m[1]);
  }
  return keys;
}

/** The columns createTableDdl declares for an inferred table: Athena names (unique) and Hive types. */
export function ddlColumns(t: InferredTable): Array<{ name: string; type: string }> {
  const seen = new Set<string>();
  return t.columns.map((c, i) => {
    let name = athenaColumnName(c.name, i);
    while (seen.has(name)) name = `${name}_${i + 1}`;
    seen.add(name);
    const type = hiveTypeOf(c);
    // OpenCSVSerde reads dates and timestamps only as epoch numbers: keep them as text.
    return { name, type: t.format === 'csv' && (type === 'date' || type === 'timestamp') ? 'string' : type };
  });
}

export function createTableDdl(t: InferredTable): string {
  const declared = ddlColumns(t);
  const seen = new Set(declared.map((c) => c.name));
  const cols = declared.map((c) => `  ${quoteDdlIdent(c.name)} ${c.type}`);
  const partitions = t.partitionKeys.filter((k) => !seen.has(athenaColumnName(k, 0)));
  const lines = [`CREATE EXTERNAL TABLE IF NOT EXISTS ${quoteDdlIdent(t.database)}.${quoteDdlIdent(t.table)} (`, cols.join(',\n'), ')'];
  if (partitions.length) lines.push(`PARTITIONED BY (${partitions.map((k) => `${quoteDdlIdent(athenaColumnName(k, 0))} string`).join(', ')})`);
  if (t.format === 'parquet') lines.push('STORED AS PARQUET');
  else if (t.format === 'json') lines.push("ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'");
  else if (t.format === 'tsv') lines.push("ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t'");
  else lines.push("ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'", "WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '\"')");
  lines.push(`LOCATION '${t.location.replace(/'/g, "\\'")}'`);
  if (t.format === 'csv' || t.format === 'tsv') lines.push("TBLPROPERTIES ('skip.header.line.count' = '1')");
  const ddl = `${lines.join('\n')};\n`;
  return partitions.length
    ? `${ddl}\n-- Athena sees partitions once they are loaded:\nMSCK REPAIR TABLE ${quoteIdent(t.database)}.${quoteIdent(t.table)};\n`
    : ddl;
}
