// A loopback Athena that speaks the JSON 1.1 protocol (POST /, X-Amz-Target: AmazonAthena.<Op>),
// so that @aws-sdk/client-athena and the AWS CLI work against it unchanged. SQL runs in DuckDB
// over objects read from the S3 stand-in; every query writes <id>.csv and <id>.csv.metadata to
// its output location, as Athena does. Fault injection and request counters are served over HTTP
// under /__admin/ so that tests running in another process can reach them.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Catalog, CatalogTable } from './catalog';
import { athenaType, DdlError, parseStatement, renderDdl, Statement, statementType } from './ddl';
import { Cell, DuckEngine, parseS3Uri } from './engine';

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

export interface AthenaStandInOptions {
  port?: number;
  dataDir: string;
  s3: { endpoint: string; accessKeyId: string; secretAccessKey: string; region?: string };
  /** Access key the stand-in accepts (default: the S3 stand-in's). */
  accessKeyId?: string;
  latencyMs?: number;
  faults?: AthenaFault[];
  timings?: AthenaTimings;
  workGroups?: WorkGroupConfig[];
}

export interface AthenaStandIn {
  endpoint: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
  setFaults(faults: AthenaFault[]): void;
  setTimings(timings: AthenaTimings): void;
  requests(): Array<{ operation: string; at: number }>;
}

type State = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

interface ColumnInfo {
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

interface Execution {
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

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const MAX_KEPT_RESULTS = 40;

function invalid(message: string, code = 'INVALID_INPUT'): ApiError {
  return new ApiError('InvalidRequestException', message, 400, { AthenaErrorCode: code });
}

function encodeToken(o: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}

function decodeToken(token: unknown): Record<string, unknown> {
  try {
    const o = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as unknown;
    if (o && typeof o === 'object') return o as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw invalid('The NextToken is not valid.');
}

function limit(value: unknown, min: number, max: number, name: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalid(`1 validation error detected: Value '${String(value)}' at '${name}' failed to satisfy constraint: Member must have value between ${min} and ${max}`);
  }
  return n;
}

function columnInfo(name: string, type: string, precision = 0, scale = 0): ColumnInfo {
  return { CatalogName: 'hive', SchemaName: '', TableName: '', Name: name, Label: name, Type: type, Precision: precision, Scale: scale, Nullable: 'UNKNOWN', CaseSensitive: type === 'varchar' };
}

/** Trino's error names for DuckDB's messages, so the user sees what Athena would say. */
function athenaReason(message: string): string {
  const first = message.split('\n')[0];
  if (/^Parser Error/.test(first)) return `SYNTAX_ERROR: line 1:1: ${first.replace(/^Parser Error:\s*/, '')}`;
  if (/^Catalog Error: Table with name/.test(first)) return `TABLE_NOT_FOUND: line 1:1: ${first.replace(/^Catalog Error:\s*/, '')}`;
  if (/^Binder Error: Referenced column/.test(first)) return `COLUMN_NOT_FOUND: line 1:1: ${first.replace(/^Binder Error:\s*/, '')}`;
  if (/^Catalog Error: (Schema|Catalog)/.test(first)) return `SCHEMA_NOT_FOUND: line 1:1: ${first.replace(/^Catalog Error:\s*/, '')}`;
  if (/Interrupted/i.test(first)) return 'Query cancelled by user';
  return `GENERIC_INTERNAL_ERROR: ${first}`;
}

function tableMetadata(t: CatalogTable): Record<string, unknown> {
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
      ...(t.format === 'parquet' ? { inputformat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat' } : { inputformat: 'org.apache.hadoop.mapred.TextInputFormat' }),
      ...(t.serde ? { 'serde.serialization.lib': t.serde } : {}),
      ...(t.format === 'text' || t.format === 'csv' ? { 'field.delim': t.delimiter } : {}),
      ...t.tableProperties,
    },
  };
}

export async function startAthenaStandIn(opts: AthenaStandInOptions): Promise<AthenaStandIn> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-athena-stage-'));
  const s3 = new S3Client({
    endpoint: opts.s3.endpoint,
    region: opts.s3.region ?? 'us-east-1',
    forcePathStyle: true,
    // Athena reads and writes buckets of any region (a result bucket may be in another one).
    followRegionRedirects: true,
    // s3rver stores aws-chunked trailer bodies verbatim: send plain bodies with no default checksum.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: opts.s3.accessKeyId, secretAccessKey: opts.s3.secretAccessKey },
  });
  const catalog = new Catalog(opts.dataDir);
  const engine = new DuckEngine(staging, s3, catalog);
  await engine.init();
  const acceptedKey = opts.accessKeyId ?? opts.s3.accessKeyId;
  let faults: AthenaFault[] = [...(opts.faults ?? [])];
  let timings: AthenaTimings = { ...(opts.timings ?? {}) };
  const requests: Array<{ operation: string; at: number }> = [];
  const created = Date.now() / 1000;
  const workGroups = new Map<string, WorkGroupConfig>([['primary', { name: 'primary' }]]);
  for (const wg of opts.workGroups ?? []) workGroups.set(wg.name, wg);

  const executions = new Map<string, Execution>();
  const order: string[] = [];
  const tokens = new Map<string, { id: string; params: string }>();
  const queue: string[] = [];
  let running: Execution | undefined;
  let working = false;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const resultsKept: string[] = [];

  async function writeOutput(e: Execution, header: string[] | undefined): Promise<void> {
    const { bucket, prefix } = parseS3Uri(e.outputLocation);
    const base = prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix;
    const file = path.join(staging, `${e.id}.csv`);
    if (e.resultTable) {
      await engine.writeCsv(e.resultTable, header, file);
    } else {
      const line = (cells: Cell[]) => cells.map((v) => (v === null ? '' : `"${v.replace(/"/g, '""')}"`)).join(',') + '\n';
      fs.writeFileSync(file, (e.rows ?? []).map(line).join(''));
    }
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${base}${e.id}.csv`, Body: fs.readFileSync(file), ContentType: 'text/csv' }));
    fs.rmSync(file, { force: true });
    // Athena's .metadata is a binary protobuf; the stand-in writes the same facts as JSON.
    const meta = JSON.stringify({ ColumnInfo: e.columns, RowCount: e.rowCount, StatementType: e.statementType });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${base}${e.id}.csv.metadata`, Body: meta, ContentType: 'application/json' }));
  }

  function resolveTable(e: Execution, database: string | undefined, name: string): { database: string; table: CatalogTable } {
    const db = database ?? e.database;
    if (!catalog.database(db)) throw new Error(`SCHEMA_NOT_FOUND: line 1:1: Schema '${db}' does not exist`);
    const table = catalog.table(db, name);
    if (!table) throw new Error(`TABLE_NOT_FOUND: line 1:1: Table 'awsdatacatalog.${db}.${name}' does not exist`);
    return { database: db, table };
  }

  function utility(e: Execution, columns: string[], rows: Cell[][]): void {
    e.columns = columns.map((c) => columnInfo(c, 'string'));
    e.rows = rows;
    e.rowCount = rows.length;
  }

  async function execute(e: Execution): Promise<void> {
    const s = e.statement!;
    const likeRe = (like?: string) => (like ? new RegExp(`^${like.replace(/[.+?^${}()[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\|/g, '|')}$`, 'i') : undefined);
    switch (s.kind) {
      case 'createDatabase':
        if (catalog.database(s.name)) {
          if (!s.ifNotExists) throw new Error(`FAILED: AlreadyExistsException: Database ${s.name} already exists`);
        } else catalog.createDatabase(s.name, s.comment);
        return;
      case 'dropDatabase': {
        const db = catalog.database(s.name);
        if (!db) {
          if (!s.ifExists) throw new Error(`FAILED: SemanticException [Error 10072]: Database does not exist: ${s.name}`);
          return;
        }
        if (Object.keys(db.tables).length && !s.cascade) throw new Error(`FAILED: InvalidOperationException: Database ${s.name} is not empty. One or more tables exist.`);
        for (const t of Object.keys(db.tables)) await engine.dropView(s.name, t);
        catalog.dropDatabase(s.name);
        return;
      }
      case 'createTable': {
        const db = s.table.database ?? e.database;
        if (!catalog.database(db)) throw new Error(`FAILED: SemanticException [Error 10072]: Database does not exist: ${db}`);
        if (catalog.table(db, s.table.name)) {
          if (!s.table.ifNotExists) throw new Error(`FAILED: AlreadyExistsException: Table ${s.table.name} already exists`);
          return;
        }
        catalog.putTable(db, { ...s.table, database: undefined, createTime: Date.now() / 1000 });
        return;
      }
      case 'dropTable': {
        const db = s.database ?? e.database;
        if (!catalog.table(db, s.name)) {
          if (!s.ifExists) throw new Error(`FAILED: SemanticException [Error 10001]: Table not found ${db}.${s.name}`);
          return;
        }
        catalog.dropTable(db, s.name);
        await engine.dropView(db, s.name);
        return;
      }
      case 'repair':
        resolveTable(e, s.database, s.name);
        utility(e, ['result'], []);
        return;
      case 'showDatabases': {
        const re = likeRe(s.like);
        utility(e, ['database_name'], catalog.databases().filter((d) => !re || re.test(d.name)).map((d) => [d.name]));
        return;
      }
      case 'showTables': {
        const db = catalog.database(s.database ?? e.database);
        if (!db) throw new Error(`SCHEMA_NOT_FOUND: line 1:1: Schema '${s.database ?? e.database}' does not exist`);
        const re = likeRe(s.like);
        utility(e, ['tab_name'], Object.keys(db.tables).sort().filter((n) => !re || re.test(n)).map((n) => [n]));
        return;
      }
      case 'showColumns': {
        const { table } = resolveTable(e, s.database, s.name);
        utility(e, ['field'], [...table.columns, ...table.partitionKeys].map((c) => [c.name.padEnd(20) + ' ']));
        return;
      }
      case 'showCreateTable': {
        const { database, table } = resolveTable(e, s.database, s.name);
        utility(e, ['createtab_stmt'], renderDdl(database, table).split('\n').map((l) => [l]));
        return;
      }
      case 'showPartitions': {
        const { database, table } = resolveTable(e, s.database, s.name);
        if (!table.partitionKeys.length) throw new Error(`FAILED: SemanticException Table ${s.name} is not a partitioned table`);
        utility(e, ['partition'], (await engine.partitions(database, table)).map((p) => [p]));
        return;
      }
      case 'describe': {
        const { table } = resolveTable(e, s.database, s.name);
        // Athena returns DESCRIBE as one tab-joined string per row, though ColumnInfo names three columns.
        const row = (a: string, b: string, c: string) => [`${a.padEnd(20)}\t${b.padEnd(20)}\t${c.padEnd(20)}`];
        const rows: Cell[][] = [...table.columns, ...table.partitionKeys].map((c) => row(c.name, c.type, c.comment ?? ''));
        if (table.partitionKeys.length) {
          rows.push(row('', '', ''), row('# Partition Information', '', ''), row('# col_name', 'data_type', 'comment'), row('', '', ''));
          for (const c of table.partitionKeys) rows.push(row(c.name, c.type, c.comment ?? ''));
        }
        e.columns = ['col_name', 'data_type', 'comment'].map((c) => columnInfo(c, 'string'));
        e.rows = rows;
        e.rowCount = rows.length;
        return;
      }
      case 'query': {
        e.scannedBytes = await engine.prepareTables(s.sql);
        const resultTable = `q_${e.id.replace(/-/g, '')}`;
        const { columns, rowCount } = await engine.runQuery(s.sql, e.database, resultTable);
        e.resultTable = resultTable;
        e.columns = columns.map((c) => {
          const t = athenaType(c.duckType);
          return columnInfo(c.name, t.type, t.precision, t.scale);
        });
        e.rowCount = rowCount;
        resultsKept.push(e.id);
        while (resultsKept.length > MAX_KEPT_RESULTS) {
          const old = executions.get(resultsKept.shift()!);
          if (old?.resultTable) {
            await engine.dropResult(old.resultTable);
            old.resultTable = undefined;
            old.rows = undefined;
          }
        }
        return;
      }
    }
  }

  async function work(): Promise<void> {
    if (working) return;
    working = true;
    try {
      while (queue.length) {
        const e = executions.get(queue.shift()!)!;
        if (e.state !== 'QUEUED') continue;
        const wait = (timings.queuedMs ?? 0) - (Date.now() - e.submitted * 1000);
        if (wait > 0) await sleep(wait);
        if (e.state !== 'QUEUED') continue;
        e.state = 'RUNNING';
        e.started = Date.now() / 1000;
        running = e;
        try {
          if (!e.statement) throw new Error(e.errorMessage ?? 'SYNTAX_ERROR');
          await execute(e);
          // Hold RUNNING for the configured time, but let a cancel end it at once.
          const until = e.started * 1000 + (timings.minRunningMs ?? 0);
          while ((e.state as State) === 'RUNNING' && Date.now() < until) await sleep(Math.min(25, until - Date.now()));
          if (e.state !== 'RUNNING') continue;
          await writeOutput(e, e.statementType === 'DML' ? e.columns.map((c) => c.Name) : undefined);
          if (e.state !== 'RUNNING') continue;
          e.state = 'SUCCEEDED';
        } catch (err) {
          if (e.state === 'RUNNING') {
            e.state = 'FAILED';
            const message = err instanceof Error ? err.message : String(err);
            e.reason = /^[A-Z_]+:/.test(message) ? message.split('\n')[0] : athenaReason(message);
          }
        } finally {
          running = undefined;
          e.completed = Date.now() / 1000;
        }
      }
    } finally {
      working = false;
    }
  }

  function view(e: Execution): Record<string, unknown> {
    const engineMs = e.started ? Math.round(((e.completed ?? Date.now() / 1000) - e.started) * 1000) : 0;
    const queueMs = Math.round(((e.started ?? e.completed ?? Date.now() / 1000) - e.submitted) * 1000);
    return {
      QueryExecutionId: e.id,
      Query: e.query,
      StatementType: e.statementType,
      ...(e.statement?.kind === 'query' ? { SubstatementType: 'SELECT' } : {}),
      ResultConfiguration: { OutputLocation: `${e.outputLocation.replace(/\/?$/, '/')}${e.id}.csv` },
      QueryExecutionContext: { Database: e.database, Catalog: e.catalog },
      Status: {
        State: e.state,
        ...(e.reason ? { StateChangeReason: e.reason } : {}),
        SubmissionDateTime: e.submitted,
        ...(e.completed && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(e.state) ? { CompletionDateTime: e.completed } : {}),
        ...(e.state === 'FAILED' ? { AthenaError: { ErrorCategory: 2, ErrorType: 1100, Retryable: false, ErrorMessage: e.reason } } : {}),
      },
      Statistics: {
        EngineExecutionTimeInMillis: engineMs,
        DataScannedInBytes: e.scannedBytes,
        TotalExecutionTimeInMillis: engineMs + queueMs,
        QueryQueueTimeInMillis: queueMs,
        ServicePreProcessingTimeInMillis: 0,
        QueryPlanningTimeInMillis: 0,
        ServiceProcessingTimeInMillis: 0,
        ResultReuseInformation: { ReusedPreviousResult: false },
      },
      WorkGroup: e.workGroup,
      EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
    };
  }

  function getExecution(id: unknown): Execution {
    const e = typeof id === 'string' ? executions.get(id) : undefined;
    if (!e) throw invalid(`QueryExecution ${String(id)} was not found`);
    return e;
  }

  function page<T>(items: T[], body: Record<string, unknown>, max: number, fallback: number, min = 1): { items: T[]; next?: string } {
    const n = limit(body.MaxResults, min, max, 'maxResults', fallback);
    const start = body.NextToken ? Number(decodeToken(body.NextToken).o) : 0;
    const slice = items.slice(start, start + n);
    return { items: slice, next: start + n < items.length ? encodeToken({ o: start + n }) : undefined };
  }

  const ops: Record<string, (b: Record<string, unknown>) => Promise<unknown> | unknown> = {
    StartQueryExecution: (b) => {
      const query = typeof b.QueryString === 'string' ? b.QueryString : '';
      if (!query.trim()) throw invalid('1 validation error detected: Value null at \'queryString\' failed to satisfy constraint: Member must not be null');
      if (query.length > 262144) throw invalid("Value at 'queryString' failed to satisfy constraint: Member must have length less than or equal to 262144");
      const ctx = (b.QueryExecutionContext ?? {}) as { Database?: string; Catalog?: string };
      const wgName = typeof b.WorkGroup === 'string' && b.WorkGroup ? b.WorkGroup : 'primary';
      const wg = workGroups.get(wgName);
      if (!wg) throw invalid(`WorkGroup ${wgName} is not found.`);
      const rc = (b.ResultConfiguration ?? {}) as { OutputLocation?: string };
      const outputLocation = wg.enforce ? wg.outputLocation : (rc.OutputLocation ?? wg.outputLocation);
      if (!outputLocation) throw invalid('No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.');
      if (!/^s3:\/\/[^/]+/.test(outputLocation)) throw invalid(`outputLocation is not a valid S3 path: ${outputLocation}`);
      const params = JSON.stringify([query, ctx, wgName, outputLocation]);
      const token = typeof b.ClientRequestToken === 'string' ? b.ClientRequestToken : undefined;
      if (!token) throw invalid('Idempotency parameters mismatch: ClientRequestToken is required.');
      const seen = tokens.get(token);
      if (seen) {
        if (seen.params !== params) throw invalid('Idempotent parameters do not match');
        return { QueryExecutionId: seen.id };
      }
      const catalogName = ctx.Catalog ?? 'AwsDataCatalog';
      if (catalogName.toLowerCase() !== 'awsdatacatalog') throw invalid(`Catalog ${catalogName} was not found`, 'CATALOG_NOT_FOUND');
      const id = randomUUID();
      let statement: Statement | undefined;
      let errorMessage: string | undefined;
      try {
        statement = parseStatement(query);
      } catch (err) {
        if (!(err instanceof DdlError)) throw err;
        errorMessage = /^line /.test(err.message) ? `FAILED: ParseException ${err.message}` : `NOT_SUPPORTED: ${err.message}`;
      }
      const database = (ctx.Database ?? 'default').toLowerCase();
      const e: Execution = {
        id, query, statement, errorMessage,
        statementType: statement ? statementType(statement) : 'DDL',
        database, catalog: catalogName, workGroup: wgName, outputLocation,
        state: 'QUEUED', submitted: Date.now() / 1000, scannedBytes: 0, columns: [], rowCount: 0, tokenKey: token,
      };
      if (statement?.kind === 'query' && !catalog.database(database)) {
        e.statement = undefined;
        e.errorMessage = `SCHEMA_NOT_FOUND: line 1:1: Schema '${database}' does not exist`;
      }
      executions.set(id, e);
      order.unshift(id);
      tokens.set(token, { id, params });
      queue.push(id);
      void work();
      return { QueryExecutionId: id };
    },
    GetQueryExecution: (b) => ({ QueryExecution: view(getExecution(b.QueryExecutionId)) }),
    BatchGetQueryExecution: (b) => {
      const ids = Array.isArray(b.QueryExecutionIds) ? (b.QueryExecutionIds as string[]) : [];
      if (ids.length < 1 || ids.length > 50) throw invalid("Value at 'queryExecutionIds' failed to satisfy constraint: Member must have length between 1 and 50");
      return {
        QueryExecutions: ids.filter((id) => executions.has(id)).map((id) => view(executions.get(id)!)),
        UnprocessedQueryExecutionIds: ids.filter((id) => !executions.has(id)).map((id) => ({ QueryExecutionId: id, ErrorCode: 'INVALID_INPUT', ErrorMessage: `QueryExecution ${id} was not found` })),
      };
    },
    ListQueryExecutions: (b) => {
      const wg = typeof b.WorkGroup === 'string' && b.WorkGroup ? b.WorkGroup : 'primary';
      if (!workGroups.has(wg)) throw invalid(`WorkGroup ${wg} is not found.`);
      const ids = order.filter((id) => executions.get(id)!.workGroup === wg);
      const p = page(ids, b, 50, 50, 0);
      return { QueryExecutionIds: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
    StopQueryExecution: (b) => {
      const e = getExecution(b.QueryExecutionId);
      if (e.state === 'QUEUED' || e.state === 'RUNNING') {
        const wasRunning = running === e;
        e.state = 'CANCELLED';
        e.reason = 'Query cancelled by user';
        e.completed = Date.now() / 1000;
        if (wasRunning) engine.interrupt();
      }
      return {};
    },
    GetQueryResults: async (b) => {
      const e = getExecution(b.QueryExecutionId);
      if (e.state === 'QUEUED' || e.state === 'RUNNING') throw invalid(`Query has not yet finished. Current state: ${e.state}`);
      if (e.state !== 'SUCCEEDED') throw invalid(`Query did not finish successfully. Final query state: ${e.state}${e.reason ? `. ${e.reason}` : ''}`);
      const max = limit(b.MaxResults, 1, 1000, 'maxResults', 1000);
      const header = e.statementType === 'DML';
      const total = e.rowCount + (header ? 1 : 0);
      let start = 0;
      if (b.NextToken) {
        const t = decodeToken(b.NextToken);
        if (t.q !== e.id || typeof t.o !== 'number') throw invalid('The NextToken is not valid for this query.');
        start = t.o;
      }
      if (!e.resultTable && !e.rows && e.rowCount > 0) throw invalid('The result of this query is no longer held by the stand-in; read it from the output location.');
      const end = Math.min(total, start + max);
      const rows: Cell[][] = [];
      if (header && start === 0 && end > 0) rows.push(e.columns.map((c) => c.Name));
      const dataStart = Math.max(0, start - (header ? 1 : 0));
      const dataEnd = end - (header ? 1 : 0);
      if (dataEnd > dataStart) {
        rows.push(...(e.resultTable ? await engine.page(e.resultTable, dataStart, dataEnd - dataStart) : e.rows!.slice(dataStart, dataEnd)));
      }
      return {
        UpdateCount: 0,
        ResultSet: {
          Rows: rows.map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: v })) })),
          ResultSetMetadata: { ColumnInfo: e.columns },
        },
        ...(end < total ? { NextToken: encodeToken({ q: e.id, o: end }) } : {}),
      };
    },
    ListDataCatalogs: (b) => {
      const p = page([{ CatalogName: 'AwsDataCatalog', Type: 'GLUE', Status: 'CREATE_COMPLETE' }], b, 50, 50, 2);
      return { DataCatalogsSummary: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
    GetDataCatalog: (b) => {
      if (String(b.Name).toLowerCase() !== 'awsdatacatalog') throw invalid(`Catalog ${String(b.Name)} was not found`);
      return { DataCatalog: { Name: 'AwsDataCatalog', Type: 'GLUE', Description: 'Stand-in catalog', Parameters: {} } };
    },
    ListDatabases: (b) => {
      if (String(b.CatalogName ?? '').toLowerCase() !== 'awsdatacatalog') throw new ApiError('MetadataException', `Catalog ${String(b.CatalogName)} was not found`);
      const p = page(catalog.databases(), b, 50, 50);
      return { DatabaseList: p.items.map((d) => ({ Name: d.name, ...(d.description ? { Description: d.description } : {}), Parameters: {} })), ...(p.next ? { NextToken: p.next } : {}) };
    },
    GetDatabase: (b) => {
      const d = catalog.database(String(b.DatabaseName ?? ''));
      if (!d) throw new ApiError('MetadataException', `Database ${String(b.DatabaseName)} not found.`);
      return { Database: { Name: d.name, Parameters: {} } };
    },
    ListTableMetadata: (b) => {
      if (String(b.CatalogName ?? '').toLowerCase() !== 'awsdatacatalog') throw new ApiError('MetadataException', `Catalog ${String(b.CatalogName)} was not found`);
      const d = catalog.database(String(b.DatabaseName ?? ''));
      if (!d) throw new ApiError('MetadataException', `Database ${String(b.DatabaseName)} not found.`);
      let tables = Object.values(d.tables).sort((x, y) => x.name.localeCompare(y.name));
      if (typeof b.Expression === 'string' && b.Expression) {
        let re: RegExp;
        try {
          re = new RegExp(`^(?:${b.Expression})$`, 'i');
        } catch {
          throw invalid(`Expression is not a valid regular expression: ${b.Expression}`);
        }
        tables = tables.filter((t) => re.test(t.name));
      }
      const p = page(tables, b, 50, 50);
      return { TableMetadataList: p.items.map(tableMetadata), ...(p.next ? { NextToken: p.next } : {}) };
    },
    GetTableMetadata: (b) => {
      const t = catalog.table(String(b.DatabaseName ?? ''), String(b.TableName ?? ''));
      if (!t) throw new ApiError('MetadataException', `Table ${String(b.TableName)} not found.`);
      return { TableMetadata: tableMetadata(t) };
    },
    ListWorkGroups: (b) => {
      const p = page([...workGroups.values()], b, 50, 50);
      return {
        WorkGroups: p.items.map((w) => ({ Name: w.name, State: 'ENABLED', Description: w.description ?? '', CreationTime: created, EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' } })),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },
    GetWorkGroup: (b) => {
      const w = workGroups.get(String(b.WorkGroup ?? ''));
      if (!w) throw invalid(`WorkGroup ${String(b.WorkGroup)} is not found.`);
      return {
        WorkGroup: {
          Name: w.name, State: 'ENABLED', Description: w.description ?? '', CreationTime: created,
          Configuration: {
            ...(w.outputLocation ? { ResultConfiguration: { OutputLocation: w.outputLocation } } : {}),
            EnforceWorkGroupConfiguration: !!w.enforce,
            PublishCloudWatchMetricsEnabled: false,
            EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
          },
        },
      };
    },
  };

  function takeFault(operation: string): AthenaFault | undefined {
    const f = faults.find((x) => x.operation === operation || x.operation === '*');
    if (!f) return undefined;
    const left = (f.count ?? 1) - 1;
    if (left <= 0) faults = faults.filter((x) => x !== f);
    else f.count = left;
    return f;
  }

  function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': randomUUID(), ...headers });
    res.end(text);
  }

  function sendError(res: http.ServerResponse, err: ApiError): void {
    send(res, err.status, { __type: err.type, Message: err.message, ...err.extra }, { 'x-amzn-ErrorType': err.type });
  }

  async function admin(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, v: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(v));
    };
    if (url.pathname === '/__admin/faults' && req.method === 'POST') {
      const parsed = JSON.parse(body || '[]') as AthenaFault | AthenaFault[];
      faults.push(...(Array.isArray(parsed) ? parsed : [parsed]));
      return json(200, { faults });
    }
    if (url.pathname === '/__admin/faults' && req.method === 'DELETE') {
      faults = [];
      return json(200, { faults });
    }
    if (url.pathname === '/__admin/timings' && req.method === 'POST') {
      timings = JSON.parse(body || '{}') as AthenaTimings;
      return json(200, { timings });
    }
    if (url.pathname === '/__admin/workgroups' && req.method === 'POST') {
      const wg = JSON.parse(body || '{}') as WorkGroupConfig;
      if (!wg.name) return json(400, { error: 'name required' });
      workGroups.set(wg.name, wg);
      return json(200, { workGroups: [...workGroups.values()] });
    }
    if (url.pathname === '/__admin/requests' && req.method === 'GET') return json(200, { requests });
    if (url.pathname === '/__admin/requests' && req.method === 'DELETE') {
      requests.length = 0;
      return json(200, { requests });
    }
    json(404, { error: 'unknown admin path' });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        try {
          if ((req.url ?? '').startsWith('/__admin/')) return await admin(req, res, raw);
          const target = String(req.headers['x-amz-target'] ?? '');
          if (req.method !== 'POST' || !target.startsWith('AmazonAthena.')) {
            throw new ApiError('UnknownOperationException', `Expected POST / with X-Amz-Target: AmazonAthena.<Operation>`, 400);
          }
          const operation = target.slice('AmazonAthena.'.length);
          requests.push({ operation, at: Date.now() });
          const auth = String(req.headers.authorization ?? '');
          const key = /Credential=([^/]+)\//.exec(auth)?.[1];
          if (!key) throw new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token', 400);
          if (key !== acceptedKey) throw new ApiError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);
          if (opts.latencyMs) await sleep(opts.latencyMs);
          const fault = takeFault(operation);
          if (fault?.kind === 'latency') await sleep(fault.ms ?? 1000);
          if (fault?.kind === 'throttle') throw new ApiError('TooManyRequestsException', 'Rate exceeded', 400, { Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED' });
          if (fault?.kind === 'error500') throw new ApiError('InternalServerException', 'We encountered an internal error. Please try again.', 500);
          const handler = ops[operation];
          if (!handler) throw new ApiError('UnknownOperationException', `Operation ${operation} is not served by the Athena stand-in`, 400);
          let body: Record<string, unknown>;
          try {
            body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
          } catch {
            throw new ApiError('SerializationException', 'Request body is not valid JSON', 400);
          }
          send(res, 200, await handler(body));
        } catch (err) {
          if (err instanceof ApiError) return sendError(res, err);
          sendError(res, new ApiError('InternalServerException', err instanceof Error ? err.message : String(err), 500));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    dataDir: opts.dataDir,
    setFaults: (f) => (faults = [...f]),
    setTimings: (t) => (timings = { ...t }),
    requests: () => [...requests],
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const e of executions.values()) if (e.state === 'RUNNING' || e.state === 'QUEUED') e.state = 'CANCELLED';
      engine.interrupt();
      while (working) await sleep(20);
      engine.close();
      fs.rmSync(staging, { recursive: true, force: true });
    },
  };
}
