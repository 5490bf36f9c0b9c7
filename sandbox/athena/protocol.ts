// The Athena stand-in's protocol pieces shared by its server, operations and queue: the shapes of
// executions and faults, Athena's error (JSON 1.1 `__type`), tokens, paging and validation
// messages as the service words them, and Trino's error names for DuckDB's messages.
import { HttpError } from '../kernel';
import type { CatalogTable } from './catalog';
import type { Statement } from './ddl';
import type { Cell } from './engine';

export interface AthenaFault {
  /** Operation name (GetQueryResults) or '*' for all. */
  operation: string;
  kind: 'throttle' | 'error500' | 'latency';
  /** How many requests it applies to (default 1). */
  count?: number;
  ms?: number;
}

export interface AthenaTimings {
  /** Time a query stays QUEUED before it runs. */
  queuedMs?: number;
  /** Least time a query stays RUNNING (makes cancel and progress observable). */
  minRunningMs?: number;
}

export interface WorkGroupConfig {
  name: string;
  outputLocation?: string;
  enforce?: boolean;
  description?: string;
}

export type State = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface ColumnInfo {
  CatalogName: string;
  SchemaName: string;
  TableName: string;
  Name: string;
  Label: string;
  Type: string;
  Precision: number;
  Scale: number;
  Nullable: string;
  CaseSensitive: boolean;
}

export interface Execution {
  id: string;
  query: string;
  statement?: Statement;
  statementType: 'DDL' | 'DML' | 'UTILITY';
  database: string;
  catalog: string;
  workGroup: string;
  outputLocation: string;
  state: State;
  reason?: string;
  errorMessage?: string;
  submitted: number;
  started?: number;
  completed?: number;
  scannedBytes: number;
  columns: ColumnInfo[];
  rowCount: number;
  resultTable?: string;
  rows?: Cell[][];
  tokenKey?: string;
}

/** An Athena error: answered as JSON 1.1 `{__type, Message, …extra}` with x-amzn-ErrorType. */
export class ApiError extends HttpError {
  constructor(
    readonly type: string,
    message: string,
    status = 400,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(status, message);
  }
}

export const MAX_KEPT_RESULTS = 40;

export function invalid(message: string, code = 'INVALID_INPUT'): ApiError {
  return new ApiError('InvalidRequestException', message, 400, { AthenaErrorCode: code });
}

export function encodeToken(o: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}

export function decodeToken(token: unknown): Record<string, unknown> {
  try {
    const o = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as unknown;
    if (o && typeof o === 'object') return o as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw invalid('The NextToken is not valid.');
}

export function limit(value: unknown, min: number, max: number, name: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalid(
      `1 validation error detected: Value '${String(value)}' at '${name}' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
    );
  }
  return n;
}

export function columnInfo(name: string, type: string, precision = 0, scale = 0): ColumnInfo {
  return {
    CatalogName: 'hive',
    SchemaName: '',
    TableName: '',
    Name: name,
    Label: name,
    Type: type,
    Precision: precision,
    Scale: scale,
    Nullable: 'UNKNOWN',
    CaseSensitive: type === 'varchar',
  };
}

/** Trino's error names for DuckDB's messages, so the user sees what Athena would say. */
export function athenaReason(message: string): string {
  const first = message.split('\n')[0];
  if (/^Parser Error/.test(first)) return `SYNTAX_ERROR: line 1:1: ${first.replace(/^Parser Error:\s*/, '')}`;
  if (/^Catalog Error: Table with name/.test(first)) return `TABLE_NOT_FOUND: line 1:1: ${first.replace(/^Catalog Error:\s*/, '')}`;
  if (/^Binder Error: Referenced column/.test(first)) return `COLUMN_NOT_FOUND: line 1:1: ${first.replace(/^Binder Error:\s*/, '')}`;
  if (/^Catalog Error: (Schema|Catalog)/.test(first)) return `SCHEMA_NOT_FOUND: line 1:1: ${first.replace(/^Catalog Error:\s*/, '')}`;
  if (/Interrupted/i.test(first)) return 'Query cancelled by user';
  // DuckDB refusing a file, a setting or an extension: external access is off (engine.ts).
  if (/^(Permission Error|Invalid Input Error: Cannot change configuration)/.test(first))
    return `PERMISSION_DENIED: Access Denied: ${first.replace(/^[A-Za-z ]+Error:\s*/, '')}`;
  return `GENERIC_INTERNAL_ERROR: ${first}`;
}

export function tableMetadata(t: CatalogTable): Record<string, unknown> {
  return {
    Name: t.name,
    CreateTime: t.createTime,
    LastAccessTime: t.createTime,
    TableType: 'EXTERNAL_TABLE',
    Columns: t.columns.map((c) => ({ Name: c.name, Type: c.type, ...(c.comment ? { Comment: c.comment } : {}) })),
    PartitionKeys: t.partitionKeys.map((c) => ({ Name: c.name, Type: c.type, ...(c.comment ? { Comment: c.comment } : {}) })),
    Parameters: {
      EXTERNAL: 'TRUE',
      location: t.location,
      classification: t.format === 'text' ? 'csv' : t.format,
      ...(t.format === 'parquet'
        ? { inputformat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat' }
        : { inputformat: 'org.apache.hadoop.mapred.TextInputFormat' }),
      ...(t.serde ? { 'serde.serialization.lib': t.serde } : {}),
      ...(t.format === 'text' || t.format === 'csv' ? { 'field.delim': t.delimiter } : {}),
      ...t.tableProperties,
    },
  };
}

/** One page of a list and the NextToken for the rest (Athena's MaxResults rules). */
export function page<T>(items: T[], body: Record<string, unknown>, max: number, fallback: number, min = 1): { items: T[]; next?: string } {
  const n = limit(body.MaxResults, min, max, 'maxResults', fallback);
  const start = body.NextToken ? Number(decodeToken(body.NextToken).o) : 0;
  const slice = items.slice(start, start + n);
  return { items: slice, next: start + n < items.length ? encodeToken({ o: start + n }) : undefined };
}
