// The Athena stand-in's query queue: executions from QUEUED through RUNNING to their end, one at a
// time as a workgroup with one slot would (queued and least-running times from the timings), each
// statement run (catalog DDL here, SELECTs in DuckDB), its result written as <id>.csv and
// <id>.csv.metadata to the output location, and the view GetQueryExecution answers with.
import fs from 'node:fs';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Catalog, CatalogTable } from './catalog';
import { athenaType, renderDdl } from './ddl';
import { Cell, DuckEngine, parseS3Uri } from './engine';
import { athenaReason, AthenaTimings, columnInfo, Execution, invalid, MAX_KEPT_RESULTS, State } from './protocol';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class QueryQueue {
  readonly executions = new Map<string, Execution>();
  /** Newest first, as ListQueryExecutions answers. */
  readonly order: string[] = [];
  /** ClientRequestToken → the execution it started and its parameters (idempotency). */
  readonly tokens = new Map<string, { id: string; params: string }>();
  private readonly queue: string[] = [];
  running: Execution | undefined;
  private working = false;
  private readonly resultsKept: string[] = [];

  constructor(
    private readonly engine: DuckEngine,
    private readonly catalog: Catalog,
    private readonly s3: S3Client,
    private readonly staging: string,
    private readonly timings: () => AthenaTimings,
  ) {}

  /** Takes a new execution and starts the worker. */
  submit(e: Execution, token: string, params: string): void {
    this.executions.set(e.id, e);
    this.order.unshift(e.id);
    this.tokens.set(token, { id: e.id, params });
    this.queue.push(e.id);
    void this.work();
  }

  get(id: unknown): Execution {
    const e = typeof id === 'string' ? this.executions.get(id) : undefined;
    if (!e) throw invalid(`QueryExecution ${String(id)} was not found`);
    return e;
  }

  /** StopQueryExecution: a queued or running query ends CANCELLED at once. */
  cancel(e: Execution): void {
    if (e.state !== 'QUEUED' && e.state !== 'RUNNING') return;
    const wasRunning = this.running === e;
    e.state = 'CANCELLED';
    e.reason = 'Query cancelled by user';
    e.completed = Date.now() / 1000;
    if (wasRunning) this.engine.interrupt();
  }

  /** Cancels everything and waits for the worker to let go of the engine. */
  async stop(): Promise<void> {
    for (const e of this.executions.values()) if (e.state === 'RUNNING' || e.state === 'QUEUED') e.state = 'CANCELLED';
    this.engine.interrupt();
    while (this.working) await sleep(20);
  }

  async writeOutput(e: Execution, header: string[] | undefined): Promise<void> {
    const { bucket, prefix } = parseS3Uri(e.outputLocation);
    const base = prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix;
    const file = path.join(this.staging, `${e.id}.csv`);
    if (e.resultTable) {
      await this.engine.writeCsv(e.resultTable, header, file);
    } else {
      const line = (cells: Cell[]) => cells.map((v) => (v === null ? '' : `"${v.replace(/"/g, '""')}"`)).join(',') + '\n';
      fs.writeFileSync(file, (e.rows ?? []).map(line).join(''));
    }
    await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${base}${e.id}.csv`, Body: fs.readFileSync(file), ContentType: 'text/csv' }));
    fs.rmSync(file, { force: true });
    // Athena's .metadata is a binary protobuf; the stand-in writes the same facts as JSON.
    const meta = JSON.stringify({ ColumnInfo: e.columns, RowCount: e.rowCount, StatementType: e.statementType });
    await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${base}${e.id}.csv.metadata`, Body: meta, ContentType: 'application/json' }));
  }

  resolveTable(e: Execution, database: string | undefined, name: string): { database: string; table: CatalogTable } {
    const db = database ?? e.database;
    if (!this.catalog.database(db)) throw new Error(`SCHEMA_NOT_FOUND: line 1:1: Schema '${db}' does not exist`);
    const table = this.catalog.table(db, name);
    if (!table) throw new Error(`TABLE_NOT_FOUND: line 1:1: Table 'awsdatacatalog.${db}.${name}' does not exist`);
    return { database: db, table };
  }

  utility(e: Execution, columns: string[], rows: Cell[][]): void {
    e.columns = columns.map((c) => columnInfo(c, 'string'));
    e.rows = rows;
    e.rowCount = rows.length;
  }

  async execute(e: Execution): Promise<void> {
    const s = e.statement!;
    const likeRe = (like?: string) =>
      like
        ? new RegExp(
            `^${like
              .replace(/[.+?^${}()[\]\\]/g, '\\$&')
              .replace(/\*/g, '.*')
              .replace(/\|/g, '|')}$`,
            'i',
          )
        : undefined;
    switch (s.kind) {
      case 'createDatabase':
        if (this.catalog.database(s.name)) {
          if (!s.ifNotExists) throw new Error(`FAILED: AlreadyExistsException: Database ${s.name} already exists`);
        } else this.catalog.createDatabase(s.name, s.comment);
        return;
      case 'dropDatabase': {
        const db = this.catalog.database(s.name);
        if (!db) {
          if (!s.ifExists) throw new Error(`FAILED: SemanticException [Error 10072]: Database does not exist: ${s.name}`);
          return;
        }
        if (Object.keys(db.tables).length && !s.cascade)
          throw new Error(`FAILED: InvalidOperationException: Database ${s.name} is not empty. One or more tables exist.`);
        for (const t of Object.keys(db.tables)) await this.engine.dropView(s.name, t);
        this.catalog.dropDatabase(s.name);
        return;
      }
      case 'createTable': {
        const db = s.table.database ?? e.database;
        if (!this.catalog.database(db)) throw new Error(`FAILED: SemanticException [Error 10072]: Database does not exist: ${db}`);
        if (this.catalog.table(db, s.table.name)) {
          if (!s.table.ifNotExists) throw new Error(`FAILED: AlreadyExistsException: Table ${s.table.name} already exists`);
          return;
        }
        this.catalog.putTable(db, { ...s.table, database: undefined, createTime: Date.now() / 1000 });
        return;
      }
      case 'dropTable': {
        const db = s.database ?? e.database;
        if (!this.catalog.table(db, s.name)) {
          if (!s.ifExists) throw new Error(`FAILED: SemanticException [Error 10001]: Table not found ${db}.${s.name}`);
          return;
        }
        this.catalog.dropTable(db, s.name);
        await this.engine.dropView(db, s.name);
        return;
      }
      case 'repair':
        this.resolveTable(e, s.database, s.name);
        this.utility(e, ['result'], []);
        return;
      case 'showDatabases': {
        const re = likeRe(s.like);
        this.utility(
          e,
          ['database_name'],
          this.catalog
            .databases()
            .filter((d) => !re || re.test(d.name))
            .map((d) => [d.name]),
        );
        return;
      }
      case 'showTables': {
        const db = this.catalog.database(s.database ?? e.database);
        if (!db) throw new Error(`SCHEMA_NOT_FOUND: line 1:1: Schema '${s.database ?? e.database}' does not exist`);
        const re = likeRe(s.like);
        this.utility(
          e,
          ['tab_name'],
          Object.keys(db.tables)
            .sort()
            .filter((n) => !re || re.test(n))
            .map((n) => [n]),
        );
        return;
      }
      case 'showColumns': {
        const { table } = this.resolveTable(e, s.database, s.name);
        this.utility(
          e,
          ['field'],
          [...table.columns, ...table.partitionKeys].map((c) => [c.name.padEnd(20) + ' ']),
        );
        return;
      }
      case 'showCreateTable': {
        const { database, table } = this.resolveTable(e, s.database, s.name);
        this.utility(
          e,
          ['createtab_stmt'],
          renderDdl(database, table)
            .split('\n')
            .map((l) => [l]),
        );
        return;
      }
      case 'showPartitions': {
        const { database, table } = this.resolveTable(e, s.database, s.name);
        if (!table.partitionKeys.length) throw new Error(`FAILED: SemanticException Table ${s.name} is not a partitioned table`);
        this.utility(
          e,
          ['partition'],
          (await this.engine.partitions(database, table)).map((p) => [p]),
        );
        return;
      }
      case 'describe': {
        const { table } = this.resolveTable(e, s.database, s.name);
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
        e.scannedBytes = await this.engine.prepareTables(s.sql);
        const resultTable = `q_${e.id.replace(/-/g, '')}`;
        const { columns, rowCount } = await this.engine.runQuery(s.sql, e.database, resultTable);
        e.resultTable = resultTable;
        e.columns = columns.map((c) => {
          const t = athenaType(c.duckType);
          return columnInfo(c.name, t.type, t.precision, t.scale);
        });
        e.rowCount = rowCount;
        this.resultsKept.push(e.id);
        while (this.resultsKept.length > MAX_KEPT_RESULTS) {
          const old = this.executions.get(this.resultsKept.shift()!);
          if (old?.resultTable) {
            await this.engine.dropResult(old.resultTable);
            old.resultTable = undefined;
            old.rows = undefined;
          }
        }
        return;
      }
    }
  }

  async work(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      while (this.queue.length) {
        const e = this.executions.get(this.queue.shift()!)!;
        if (e.state !== 'QUEUED') continue;
        const wait = (this.timings().queuedMs ?? 0) - (Date.now() - e.submitted * 1000);
        if (wait > 0) await sleep(wait);
        if (e.state !== 'QUEUED') continue;
        e.state = 'RUNNING';
        e.started = Date.now() / 1000;
        this.running = e;
        try {
          if (!e.statement) throw new Error(e.errorMessage ?? 'SYNTAX_ERROR');
          await this.execute(e);
          // Hold RUNNING for the configured time, but let a cancel end it at once.
          const until = e.started * 1000 + (this.timings().minRunningMs ?? 0);
          while ((e.state as State) === 'RUNNING' && Date.now() < until) await sleep(Math.min(25, until - Date.now()));
          if (e.state !== 'RUNNING') continue;
          await this.writeOutput(e, e.statementType === 'DML' ? e.columns.map((c) => c.Name) : undefined);
          if (e.state !== 'RUNNING') continue;
          e.state = 'SUCCEEDED';
        } catch (err) {
          if (e.state === 'RUNNING') {
            e.state = 'FAILED';
            const message = err instanceof Error ? err.message : String(err);
            e.reason = /^[A-Z_]+:/.test(message) ? message.split('\n')[0] : athenaReason(message);
          }
        } finally {
          this.running = undefined;
          e.completed = Date.now() / 1000;
        }
      }
    } finally {
      this.working = false;
    }
  }

  view(e: Execution): Record<string, unknown> {
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
      EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena this.engine version 3' },
    };
  }
}
