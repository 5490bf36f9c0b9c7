// The SQL engine behind the stand-in's warehouses: DuckDB (in memory, loaded on the first
// statement), holding the tables of sqlTables.ts under their Unity Catalog names. Each statement
// gets its own connection (so one can be interrupted while others run), the little Databricks SQL
// that DuckDB spells differently is translated (`ident`, :named markers, USE CATALOG), DuckDB's
// types are named as Databricks names them, every value is rendered as the JSON_ARRAY format sends
// it (a string, or null), and DuckDB's errors become Databricks-style error classes with a SQLSTATE.
// It is not Spark SQL: queries that only Spark understands fail here with DuckDB's message.
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { seedStatements, SQL_CATALOG } from './sqlTables';

export interface ColumnInfo {
  name: string;
  position: number;
  type_name: string;
  type_text: string;
  type_precision?: number;
  type_scale?: number;
}

export type Cell = string | null;

export interface EngineResult {
  /** Empty for statements without a result set (DDL). */
  columns: ColumnInfo[];
  rows: AsyncIterable<Cell[][]>;
}

export interface StatementParameter {
  name: string;
  value?: string | null;
  type?: string;
}

/** A failed statement, as Databricks reports it: `[ERROR_CLASS] message SQLSTATE: xxxxx`. */
export class SqlError extends Error {
  constructor(
    message: string,
    readonly sqlState: string,
  ) {
    super(message);
  }
}

/** Copies `sql`, letting `fn` rewrite the parts outside string literals and comments. */
function outsideLiterals(sql: string, fn: (code: string) => string): string {
  let out = '';
  let code = '';
  let i = 0;
  const flush = (): void => {
    out += fn(code);
    code = '';
  };
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      flush();
      let j = i + 1;
      while (j < sql.length && sql[j] !== c) j += sql[j] === '\\' ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      flush();
      const nl = sql.indexOf('\n', i);
      const end = nl < 0 ? sql.length : nl;
      out += sql.slice(i, end);
      i = end;
    } else if (c === '/' && sql[i + 1] === '*') {
      flush();
      const close = sql.indexOf('*/', i + 2);
      const end = close < 0 ? sql.length : close + 2;
      out += sql.slice(i, end);
      i = end;
    } else {
      code += c;
      i++;
    }
  }
  flush();
  return out;
}

const DUCK_TYPES: Record<string, string> = {
  STRING: 'VARCHAR',
  INT: 'INTEGER',
  INTEGER: 'INTEGER',
  BIGINT: 'BIGINT',
  LONG: 'BIGINT',
  SMALLINT: 'SMALLINT',
  SHORT: 'SMALLINT',
  TINYINT: 'TINYINT',
  BYTE: 'TINYINT',
  DOUBLE: 'DOUBLE',
  FLOAT: 'FLOAT',
  BOOLEAN: 'BOOLEAN',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  TIMESTAMP_NTZ: 'TIMESTAMP',
  BINARY: 'BLOB',
};

function duckTypeOf(type: string | undefined): string {
  const t = (type ?? 'STRING').trim().toUpperCase();
  if (/^DECIMAL\(\s*\d+\s*,\s*\d+\s*\)$/.test(t)) return t;
  const mapped = DUCK_TYPES[t];
  if (!mapped) throw new SqlError(`[INVALID_PARAMETER_MARKER_VALUE] Parameter type ${t} is not supported. SQLSTATE: 22023`, '22023');
  return mapped;
}

/** Databricks SQL → DuckDB for the few spellings that differ. */
export function translate(sql: string, parameters: StatementParameter[] = []): { sql: string; values: Record<string, string | null> } {
  const values: Record<string, string | null> = {};
  const byName = new Map(parameters.map((p) => [p.name, p]));
  let text = sql.trim().replace(/;\s*$/, '');
  text = text.replace(/^\s*USE\s+(CATALOG|SCHEMA|DATABASE)\s+/i, 'USE ');
  const rewritten = outsideLiterals(text, (code) =>
    code
      .replace(/`([^`]*)`/g, (_m, id: string) => `"${id.replace(/"/g, '""')}"`)
      .replace(/(^|[^:\w]):([A-Za-z_]\w*)/g, (m, pre: string, name: string) => {
        const p = byName.get(name);
        if (!p)
          throw new SqlError(
            `[UNBOUND_SQL_PARAMETER] Found the unbound parameter: ${name}. Please, fix \`args\` and provide a mapping of the parameter to either a SQL literal or collection constructor functions. SQLSTATE: 42P02`,
            '42P02',
          );
        values[name] = p.value ?? null;
        return `${pre}CAST($${name} AS ${duckTypeOf(p.type)})`;
      }),
  );
  return { sql: rewritten, values };
}

/** The Databricks type name and text of a DuckDB type (`DECIMAL(10,2)` → DECIMAL, `INTEGER[]` → ARRAY). */
export function databricksType(duck: string): Pick<ColumnInfo, 'type_name' | 'type_text' | 'type_precision' | 'type_scale'> {
  const t = duck.toUpperCase();
  const dec = /^DECIMAL\((\d+),(\d+)\)$/.exec(t);
  if (dec) return { type_name: 'DECIMAL', type_text: `DECIMAL(${dec[1]},${dec[2]})`, type_precision: Number(dec[1]), type_scale: Number(dec[2]) };
  if (t.endsWith('[]')) return { type_name: 'ARRAY', type_text: `ARRAY<${databricksType(t.slice(0, -2)).type_text}>` };
  if (t.startsWith('STRUCT')) return { type_name: 'STRUCT', type_text: 'STRUCT<…>' };
  if (t.startsWith('MAP')) return { type_name: 'MAP', type_text: 'MAP<…>' };
  const simple: Record<string, [string, string]> = {
    BOOLEAN: ['BOOLEAN', 'BOOLEAN'],
    TINYINT: ['BYTE', 'TINYINT'],
    SMALLINT: ['SHORT', 'SMALLINT'],
    INTEGER: ['INT', 'INT'],
    BIGINT: ['LONG', 'BIGINT'],
    HUGEINT: ['DECIMAL', 'DECIMAL(38,0)'],
    FLOAT: ['FLOAT', 'FLOAT'],
    DOUBLE: ['DOUBLE', 'DOUBLE'],
    VARCHAR: ['STRING', 'STRING'],
    BLOB: ['BINARY', 'BINARY'],
    DATE: ['DATE', 'DATE'],
    TIMESTAMP: ['TIMESTAMP', 'TIMESTAMP'],
    'TIMESTAMP WITH TIME ZONE': ['TIMESTAMP', 'TIMESTAMP'],
    INTERVAL: ['INTERVAL', 'INTERVAL'],
    '"NULL"': ['NULL', 'VOID'],
    NULL: ['NULL', 'VOID'],
  };
  const [name, text] = simple[t] ?? ['STRING', 'STRING'];
  return { type_name: name, type_text: text };
}

/**
 * One value as JSON_ARRAY sends it: every non-null value a string. Timestamps in ISO form with a Z
 * ([unconfirmed] the exact fraction digits), nested values as JSON text.
 */
export function renderValue(v: unknown, typeName: string): Cell {
  if (v === null || v === undefined) return null;
  if (typeName === 'TIMESTAMP' && typeof v === 'string') {
    const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(v);
    if (m) return `${m[1]}T${m[2]}${(m[3] ?? '.0').padEnd(4, '0').slice(0, 4)}Z`;
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** DuckDB's error text → a Databricks error class and SQLSTATE (paraphrasing Spark's error classes). */
export function mapError(err: unknown): SqlError {
  if (err instanceof SqlError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  let m = /Table with name (\S+) does not exist/.exec(msg);
  if (m) {
    return new SqlError(
      `[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${m[1]}\` cannot be found. Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with a schema, verify the current_schema() output, or qualify the name with the correct schema and catalog. SQLSTATE: 42P01`,
      '42P01',
    );
  }
  m = /syntax error at or near "([^"]*)"/.exec(msg);
  if (m) return new SqlError(`[PARSE_SYNTAX_ERROR] Syntax error at or near '${m[1]}'. SQLSTATE: 42601`, '42601');
  m = /Referenced column "([^"]+)" not found/.exec(msg);
  if (m)
    return new SqlError(
      `[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column, variable, or function parameter with name \`${m[1]}\` cannot be resolved. SQLSTATE: 42703`,
      '42703',
    );
  if (/Interrupted/i.test(msg)) return new SqlError('[OPERATION_CANCELED] The operation was cancelled. SQLSTATE: HY008', 'HY008');
  if (/Division by zero/i.test(msg))
    return new SqlError('[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead. SQLSTATE: 22012', '22012');
  return new SqlError(`${msg.split('\n')[0]} SQLSTATE: XX000`, 'XX000');
}

/** What a statement returns: rows (queries), counts (DML), or nothing (DDL, USE, SET). */
export function statementKind(sql: string): 'rows' | 'insert' | 'dml' | 'none' {
  const word = (/^\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*\(?\s*(\w+)/.exec(sql)?.[1] ?? '').toUpperCase();
  if (['SELECT', 'WITH', 'VALUES', 'SHOW', 'DESCRIBE', 'DESC', 'FROM', 'TABLE', 'EXPLAIN', 'PRAGMA', 'SUMMARIZE'].includes(word)) return 'rows';
  if (word === 'INSERT') return 'insert';
  if (['UPDATE', 'DELETE', 'MERGE'].includes(word)) return 'dml';
  return 'none';
}

export class EngineSession {
  constructor(private readonly conn: DuckDBConnection) {}

  interrupt(): void {
    this.conn.interrupt();
  }

  close(): void {
    try {
      this.conn.closeSync();
    } catch {
      // already closed
    }
  }

  async run(sql: string, opts: { catalog?: string; schema?: string; parameters?: StatementParameter[] }): Promise<EngineResult> {
    try {
      const catalog = opts.catalog || SQL_CATALOG;
      await this.conn.run(`USE "${catalog.replace(/"/g, '""')}"."${(opts.schema || 'default').replace(/"/g, '""')}"`);
      const kind = statementKind(sql);
      const t = translate(sql, opts.parameters);
      const result = await this.conn.stream(t.sql, Object.keys(t.values).length ? t.values : undefined);
      if (kind === 'none') {
        for await (const _ of result.yieldRowsJson()) void _;
        return { columns: [], rows: (async function* () {})() };
      }
      if (kind !== 'rows') {
        let count = '0';
        for await (const rows of result.yieldRowsJson()) if (rows[0]) count = String(rows[0][0]);
        const names = kind === 'insert' ? ['num_affected_rows', 'num_inserted_rows'] : ['num_affected_rows'];
        const columns = names.map((name, position) => ({ name, position, type_name: 'LONG', type_text: 'BIGINT' }));
        return {
          columns,
          rows: (async function* () {
            yield [names.map(() => count)];
          })(),
        };
      }
      const types = result.columnTypes().map((ty) => databricksType(String(ty)));
      const columns = result.columnNames().map((name, position) => ({ name, position, ...types[position] }));
      const rows = (async function* () {
        try {
          for await (const batch of result.yieldRowsJson()) yield batch.map((row) => row.map((v, i) => renderValue(v, types[i].type_name)));
        } catch (err) {
          throw mapError(err);
        }
      })();
      return { columns, rows };
    } catch (err) {
      throw mapError(err);
    }
  }
}

export class WarehouseEngine {
  private instance?: Promise<DuckDBInstance>;

  private start(): Promise<DuckDBInstance> {
    this.instance ??= (async () => {
      // Loaded here, not at the top: the stand-in serves everything else without the native module.
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
      const conn = await instance.connect();
      for (const s of seedStatements()) await conn.run(s);
      conn.closeSync();
      return instance;
    })();
    return this.instance;
  }

  async session(): Promise<EngineSession> {
    const instance = await this.start();
    return new EngineSession(await instance.connect());
  }

  /** Runs SQL straight on the engine (for tests that check what the warehouse holds). */
  async query(sql: string): Promise<{ columns: string[]; rows: Cell[][] }> {
    const s = await this.session();
    try {
      const r = await s.run(sql, {});
      const rows: Cell[][] = [];
      for await (const b of r.rows) rows.push(...b);
      return { columns: r.columns.map((c) => c.name), rows };
    } finally {
      s.close();
    }
  }

  async stop(): Promise<void> {
    if (!this.instance) return;
    const instance = await this.instance.catch(() => undefined);
    instance?.closeSync();
    this.instance = undefined;
  }
}
