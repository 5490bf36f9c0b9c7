// Athena for the editor side, in plain Node: metadata (catalogs, databases, tables, paged), running
// a query to its end with progress and cancel, the rows of a result, and the query history. Clients
// come from the shared AWS connection and are rebuilt when it changes.
import { randomUUID } from 'node:crypto';
import {
  AthenaClient,
  BatchGetQueryExecutionCommand,
  DataCatalogSummary,
  Database,
  GetQueryExecutionCommand,
  GetTableMetadataCommand,
  GetWorkGroupCommand,
  ListDatabasesCommand,
  ListDataCatalogsCommand,
  ListQueryExecutionsCommand,
  ListTableMetadataCommand,
  QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  TableMetadata,
} from '@aws-sdk/client-athena';
import { CancelledError, FerryError } from '../../core/errors';
import { sleep, withRetry } from '../../core/retry';
import { AthenaRowSource, RowSourceOptions, S3ForBucket } from './rowSource';

export interface AthenaSettings {
  workGroup: string;
  outputLocation: string;
  catalog: string;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface QueryProgress {
  state: string;
  elapsedMs: number;
  execution?: QueryExecution;
}

export interface RunOptions {
  database?: string;
  catalog?: string;
  signal?: AbortSignal;
  onStarted?: (queryExecutionId: string) => void;
  onProgress?: (p: QueryProgress) => void;
  /** Polling schedule: first wait and cap, in milliseconds. */
  pollMs?: { first: number; max: number };
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const THROTTLED = new Set(['TooManyRequestsException', 'ThrottlingException']);

/** Retries throttling and server errors with backoff; everything else goes to the caller. */
export function retryAthena<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  return withRetry(() => fn(), {
    signal,
    maxAttempts: 5,
    baseDelayMs: 300,
    maxDelayMs: 3000,
    jitterMs: 200,
    shouldRetry: (err) => {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      return { retry: THROTTLED.has(e.name ?? '') || (e.$metadata?.httpStatusCode ?? 0) >= 500 };
    },
  });
}

/** A query that ended FAILED or CANCELLED by someone else: the message Athena gave, for the user. */
export class QueryFailedError extends FerryError {
  constructor(readonly execution: QueryExecution) {
    const reason = execution.Status?.AthenaError?.ErrorMessage ?? execution.Status?.StateChangeReason ?? 'no reason given';
    super('invalidInput', `Athena query ${execution.Status?.State === 'CANCELLED' ? 'was cancelled' : 'failed'}: ${reason}`);
    this.name = 'QueryFailedError';
  }
}

export class AthenaService {
  constructor(
    /** Athena's client, and S3 clients for the result bucket's own region (both from AwsClients). */
    private readonly clients: () => { athena: AthenaClient; s3: S3ForBucket },
    private readonly settings: () => AthenaSettings,
  ) {}

  get athena(): AthenaClient {
    return this.clients().athena;
  }

  async listCatalogs(nextToken?: string): Promise<Page<DataCatalogSummary>> {
    const out = await retryAthena(() => this.athena.send(new ListDataCatalogsCommand({ NextToken: nextToken, MaxResults: 50 })));
    return { items: out.DataCatalogsSummary ?? [], nextToken: out.NextToken };
  }

  async listDatabases(catalog: string, nextToken?: string): Promise<Page<Database>> {
    const out = await retryAthena(() => this.athena.send(new ListDatabasesCommand({ CatalogName: catalog, NextToken: nextToken, MaxResults: 50 })));
    return { items: out.DatabaseList ?? [], nextToken: out.NextToken };
  }

  /** One page of tables (metadata calls are free, unlike SHOW TABLES queries). */
  async listTables(catalog: string, database: string, nextToken?: string, maxResults = 50): Promise<Page<TableMetadata>> {
    const out = await retryAthena(() =>
      this.athena.send(
        new ListTableMetadataCommand({ CatalogName: catalog, DatabaseName: database, NextToken: nextToken, MaxResults: Math.min(50, maxResults) }),
      ),
    );
    return { items: out.TableMetadataList ?? [], nextToken: out.NextToken };
  }

  async getTable(catalog: string, database: string, table: string): Promise<TableMetadata> {
    const out = await retryAthena(() => this.athena.send(new GetTableMetadataCommand({ CatalogName: catalog, DatabaseName: database, TableName: table })));
    if (!out.TableMetadata) throw new FerryError('notFound', `Table ${database}.${table} not found`);
    return out.TableMetadata;
  }

  /** The output location to send: none when the workgroup has its own (it is respected), else the setting. */
  async outputLocationFor(workGroup: string): Promise<string | undefined> {
    try {
      const wg = await retryAthena(() => this.athena.send(new GetWorkGroupCommand({ WorkGroup: workGroup })));
      const cfg = wg.WorkGroup?.Configuration;
      if (cfg?.ResultConfiguration?.OutputLocation || cfg?.EnforceWorkGroupConfiguration) return undefined;
    } catch (err) {
      // No permission to read the workgroup: fall back to the setting.
      if ((err as { name?: string }).name !== 'AccessDeniedException' && (err as { name?: string }).name !== 'InvalidRequestException') throw err;
    }
    const setting = this.settings().outputLocation.trim();
    if (!setting) {
      throw new FerryError('config', `Workgroup "${workGroup}" has no query result location. Set ferry.athena.outputLocation (s3://bucket/prefix/).`, [
        { title: 'Open Athena Settings', command: 'ferry.openSettings', args: ['athena'] },
      ]);
    }
    if (!/^s3:\/\/[^/]+/.test(setting)) throw new FerryError('config', `ferry.athena.outputLocation must be an s3:// URI, not "${setting}".`);
    return setting.endsWith('/') ? setting : `${setting}/`;
  }

  async start(sql: string, opts: { database?: string; catalog?: string } = {}): Promise<string> {
    const s = this.settings();
    const workGroup = s.workGroup || 'primary';
    const output = await this.outputLocationFor(workGroup);
    const token = randomUUID();
    const out = await retryAthena(() =>
      this.athena.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          ClientRequestToken: token, // same token on a retry: Athena returns the same query, never a second one
          WorkGroup: workGroup,
          QueryExecutionContext: { Catalog: opts.catalog ?? s.catalog, ...(opts.database ? { Database: opts.database } : {}) },
          ...(output ? { ResultConfiguration: { OutputLocation: output } } : {}),
        }),
      ),
    );
    if (!out.QueryExecutionId) throw new Error('Athena returned no query id');
    return out.QueryExecutionId;
  }

  async get(id: string, signal?: AbortSignal): Promise<QueryExecution> {
    const out = await retryAthena(() => this.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }), { abortSignal: signal }), signal);
    if (!out.QueryExecution) throw new Error(`No execution ${id}`);
    return out.QueryExecution;
  }

  async stop(id: string): Promise<void> {
    await retryAthena(() => this.athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id })));
  }

  /** Polls to a terminal state with a growing interval; an abort stops the query on Athena too. */
  async waitFor(id: string, opts: Omit<RunOptions, 'database' | 'catalog' | 'onStarted'> = {}): Promise<QueryExecution> {
    const started = Date.now();
    let delay = opts.pollMs?.first ?? 200;
    const cap = opts.pollMs?.max ?? 2000;
    for (;;) {
      if (opts.signal?.aborted) {
        await this.stop(id).catch(() => undefined);
        throw new CancelledError('Query cancelled');
      }
      const q = await this.get(id);
      const state = q.Status?.State ?? 'UNKNOWN';
      opts.onProgress?.({ state, elapsedMs: Date.now() - started, execution: q });
      if (TERMINAL.has(state)) return q;
      try {
        await sleep(delay, opts.signal);
      } catch {
        // aborted while waiting: loop once more to stop the query
      }
      delay = Math.min(cap, Math.round(delay * 1.5));
    }
  }

  /** Starts a query and waits for it; FAILED becomes a QueryFailedError with Athena's message. */
  async run(sql: string, opts: RunOptions = {}): Promise<QueryExecution> {
    const id = await this.start(sql, opts);
    opts.onStarted?.(id);
    const q = await this.waitFor(id, opts);
    if (q.Status?.State !== 'SUCCEEDED') throw new QueryFailedError(q);
    return q;
  }

  rows(q: QueryExecution, opts: RowSourceOptions = {}): AthenaRowSource {
    const { athena, s3 } = this.clients();
    return new AthenaRowSource(
      athena,
      s3,
      { queryExecutionId: q.QueryExecutionId ?? '', statementType: q.StatementType, outputLocation: q.ResultConfiguration?.OutputLocation },
      { call: (fn) => retryAthena(fn), ...opts },
    );
  }

  /** The workgroup's recent queries, newest first, with their state, time and data scanned. */
  async history(maxResults = 50, nextToken?: string): Promise<Page<QueryExecution>> {
    const workGroup = this.settings().workGroup || 'primary';
    const list = await retryAthena(() =>
      this.athena.send(new ListQueryExecutionsCommand({ WorkGroup: workGroup, MaxResults: Math.min(50, maxResults), NextToken: nextToken })),
    );
    const ids = list.QueryExecutionIds ?? [];
    if (!ids.length) return { items: [], nextToken: list.NextToken };
    const got = await retryAthena(() => this.athena.send(new BatchGetQueryExecutionCommand({ QueryExecutionIds: ids })));
    const byId = new Map((got.QueryExecutions ?? []).map((q) => [q.QueryExecutionId, q]));
    return { items: ids.map((id) => byId.get(id)).filter((q): q is QueryExecution => !!q), nextToken: list.NextToken };
  }
}
