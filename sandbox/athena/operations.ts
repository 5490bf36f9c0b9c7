// The Athena API operations the stand-in serves (JSON 1.1 bodies in, results out): query
// executions over the queue, results paging, data catalogs, databases, tables and workgroups, with
// Athena's validation messages. Faults, auth and the wire live in server.ts.
import { randomUUID } from 'node:crypto';
import type { Catalog } from './catalog';
import { DdlError, parseStatement, Statement, statementType } from './ddl';
import type { Cell, DuckEngine } from './engine';
import { ApiError, decodeToken, encodeToken, Execution, invalid, limit, page, tableMetadata, WorkGroupConfig } from './protocol';
import type { QueryQueue } from './queue';

export type Operation = (b: Record<string, unknown>) => Promise<unknown> | unknown;

export interface OperationDeps {
  queue: QueryQueue;
  engine: DuckEngine;
  catalog: Catalog;
  workGroups: Map<string, WorkGroupConfig>;
  /** When the stand-in started (workgroups' CreationTime). */
  created: number;
}

export function operations({ queue, engine, catalog, workGroups, created }: OperationDeps): Record<string, Operation> {
  const view = (e: Execution): Record<string, unknown> => queue.view(e);
  const getExecution = (id: unknown): Execution => queue.get(id);
  const executions = queue.executions;
  return {
    StartQueryExecution: (b) => {
      const query = typeof b.QueryString === 'string' ? b.QueryString : '';
      if (!query.trim()) throw invalid("1 validation error detected: Value null at 'queryString' failed to satisfy constraint: Member must not be null");
      if (query.length > 262144) throw invalid("Value at 'queryString' failed to satisfy constraint: Member must have length less than or equal to 262144");
      const ctx = (b.QueryExecutionContext ?? {}) as { Database?: string; Catalog?: string };
      const wgName = typeof b.WorkGroup === 'string' && b.WorkGroup ? b.WorkGroup : 'primary';
      const wg = workGroups.get(wgName);
      if (!wg) throw invalid(`WorkGroup ${wgName} is not found.`);
      const rc = (b.ResultConfiguration ?? {}) as { OutputLocation?: string };
      const outputLocation = wg.enforce ? wg.outputLocation : (rc.OutputLocation ?? wg.outputLocation);
      if (!outputLocation)
        throw invalid(
          'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.',
        );
      if (!/^s3:\/\/[^/]+/.test(outputLocation)) throw invalid(`outputLocation is not a valid S3 path: ${outputLocation}`);
      const params = JSON.stringify([query, ctx, wgName, outputLocation]);
      const token = typeof b.ClientRequestToken === 'string' ? b.ClientRequestToken : undefined;
      if (!token) throw invalid('Idempotency parameters mismatch: ClientRequestToken is required.');
      const seen = queue.tokens.get(token);
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
        id,
        query,
        statement,
        errorMessage,
        statementType: statement ? statementType(statement) : 'DDL',
        database,
        catalog: catalogName,
        workGroup: wgName,
        outputLocation,
        state: 'QUEUED',
        submitted: Date.now() / 1000,
        scannedBytes: 0,
        columns: [],
        rowCount: 0,
        tokenKey: token,
      };
      if (statement?.kind === 'query' && !catalog.database(database)) {
        e.statement = undefined;
        e.errorMessage = `SCHEMA_NOT_FOUND: line 1:1: Schema '${database}' does not exist`;
      }
      queue.submit(e, token, params);
      return { QueryExecutionId: id };
    },
    GetQueryExecution: (b) => ({ QueryExecution: view(getExecution(b.QueryExecutionId)) }),
    BatchGetQueryExecution: (b) => {
      const ids = Array.isArray(b.QueryExecutionIds) ? (b.QueryExecutionIds as string[]) : [];
      if (ids.length < 1 || ids.length > 50)
        throw invalid("Value at 'queryExecutionIds' failed to satisfy constraint: Member must have length between 1 and 50");
      return {
        QueryExecutions: ids.filter((id) => executions.has(id)).map((id) => view(executions.get(id)!)),
        UnprocessedQueryExecutionIds: ids
          .filter((id) => !executions.has(id))
          .map((id) => ({ QueryExecutionId: id, ErrorCode: 'INVALID_INPUT', ErrorMessage: `QueryExecution ${id} was not found` })),
      };
    },
    ListQueryExecutions: (b) => {
      const wg = typeof b.WorkGroup === 'string' && b.WorkGroup ? b.WorkGroup : 'primary';
      if (!workGroups.has(wg)) throw invalid(`WorkGroup ${wg} is not found.`);
      const ids = queue.order.filter((id) => executions.get(id)!.workGroup === wg);
      const p = page(ids, b, 50, 50, 0);
      return { QueryExecutionIds: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
    StopQueryExecution: (b) => {
      queue.cancel(getExecution(b.QueryExecutionId));
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
      if (!e.resultTable && !e.rows && e.rowCount > 0)
        throw invalid('The result of this query is no longer held by the stand-in; read it from the output location.');
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
      if (String(b.CatalogName ?? '').toLowerCase() !== 'awsdatacatalog')
        throw new ApiError('MetadataException', `Catalog ${String(b.CatalogName)} was not found`);
      const p = page(catalog.databases(), b, 50, 50);
      return {
        DatabaseList: p.items.map((d) => ({ Name: d.name, ...(d.description ? { Description: d.description } : {}), Parameters: {} })),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },
    GetDatabase: (b) => {
      const d = catalog.database(String(b.DatabaseName ?? ''));
      if (!d) throw new ApiError('MetadataException', `Database ${String(b.DatabaseName)} not found.`);
      return { Database: { Name: d.name, Parameters: {} } };
    },
    ListTableMetadata: (b) => {
      if (String(b.CatalogName ?? '').toLowerCase() !== 'awsdatacatalog')
        throw new ApiError('MetadataException', `Catalog ${String(b.CatalogName)} was not found`);
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
        WorkGroups: p.items.map((w) => ({
          Name: w.name,
          State: 'ENABLED',
          Description: w.description ?? '',
          CreationTime: created,
          EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
        })),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },
    GetWorkGroup: (b) => {
      const w = workGroups.get(String(b.WorkGroup ?? ''));
      if (!w) throw invalid(`WorkGroup ${String(b.WorkGroup)} is not found.`);
      return {
        WorkGroup: {
          Name: w.name,
          State: 'ENABLED',
          Description: w.description ?? '',
          CreationTime: created,
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
}
