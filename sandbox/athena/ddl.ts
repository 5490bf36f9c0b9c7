// Parses the Hive-style statements Athena accepts for its catalog (CREATE EXTERNAL TABLE, CREATE
// DATABASE, DROP, SHOW, DESCRIBE, MSCK REPAIR) into plain objects. Anything else is handed to DuckDB
// as a query. Only the subset the stand-in serves; unknown clauses raise a clear error.

export type TableFormat = 'csv' | 'text' | 'json' | 'parquet';

export interface CatalogColumn {
  name: string;
  type: string;
  comment?: string;
}

export interface TableDefinition {
  database?: string;
  name: string;
  ifNotExists: boolean;
  columns: CatalogColumn[];
  partitionKeys: CatalogColumn[];
  format: TableFormat;
  delimiter: string;
  quoteChar?: string;
  serde?: string;
  serdeProperties: Record<string, string>;
  location: string;
  tableProperties: Record<string, string>;
  comment?: string;
}

export type Statement =
  | { kind: 'createTable'; table: TableDefinition }
  | { kind: 'createDatabase'; name: string; ifNotExists: boolean; comment?: string }
  | { kind: 'dropDatabase'; name: string; ifExists: boolean; cascade: boolean }
  | { kind: 'dropTable'; database?: string; name: string; ifExists: boolean }
  | { kind: 'showDatabases'; like?: string }
  | { kind: 'showTables'; database?: string; like?: string }
  | { kind: 'showColumns'; database?: string; name: string }
  | { kind: 'showCreateTable'; database?: string; name: string }
  | { kind: 'showPartitions'; database?: string; name: string }
  | { kind: 'describe'; database?: string; name: string }
  | { kind: 'repair'; database?: string; name: string }
  | { kind: 'query'; sql: string };

export class DdlError extends Error {}

type Token = { t: 'word' | 'string' | 'ident' | 'punct' | 'number'; v: string };

function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      let v = '';
      i++;
      while (i < sql.length) {
        if (sql[i] === '\\' && c === "'" && i + 1 < sql.length) {
          const n = sql[i + 1];
          v += n === 't' ? '\t' : n === 'n' ? '\n' : /[0-7]/.test(n) ? String.fromCharCode(parseInt(sql.slice(i + 1, i + 4).match(/^[0-7]{1,3}/)![0], 8)) : n;
          i += n === 't' || n === 'n' || !/[0-7]/.test(n) ? 2 : 1 + sql.slice(i + 1, i + 4).match(/^[0-7]{1,3}/)![0].length;
          continue;
        }
        if (sql[i] === c) {
          if (sql[i + 1] === c) {
            v += c;
            i += 2;
            continue;
          }
          break;
        }
        v += sql[i++];
      }
      if (i >= sql.length) throw new DdlError(`line 1:${i}: unterminated quoted text`);
      i++;
      out.push({ t: c === "'" ? 'string' : 'ident', v });
    } else if (/[A-Za-z_]/.test(c)) {
      let v = '';
      while (i < sql.length && /[A-Za-z0-9_$]/.test(sql[i])) v += sql[i++];
      out.push({ t: 'word', v });
    } else if (/[0-9]/.test(c)) {
      let v = '';
      while (i < sql.length && /[0-9.]/.test(sql[i])) v += sql[i++];
      out.push({ t: 'number', v });
    } else {
      out.push({ t: 'punct', v: c });
      i++;
    }
  }
  return out;
}

class Cursor {
  i = 0;
  constructor(readonly toks: Token[]) {}
  peek(offset = 0): Token | undefined {
    return this.toks[this.i + offset];
  }
  isWord(w: string, offset = 0): boolean {
    const t = this.peek(offset);
    return !!t && t.t === 'word' && t.v.toUpperCase() === w;
  }
  acceptWord(...ws: string[]): boolean {
    if (!ws.every((w, k) => this.isWord(w, k))) return false;
    this.i += ws.length;
    return true;
  }
  expectWord(...ws: string[]): void {
    if (!this.acceptWord(...ws)) throw new DdlError(`line 1:1: mismatched input '${this.peek()?.v ?? '<EOF>'}'. Expecting: '${ws.join(' ')}'`);
  }
  acceptPunct(p: string): boolean {
    const t = this.peek();
    if (t && t.t === 'punct' && t.v === p) {
      this.i++;
      return true;
    }
    return false;
  }
  expectPunct(p: string): void {
    if (!this.acceptPunct(p)) throw new DdlError(`line 1:1: mismatched input '${this.peek()?.v ?? '<EOF>'}'. Expecting: '${p}'`);
  }
  name(): string {
    const t = this.peek();
    if (!t || (t.t !== 'word' && t.t !== 'ident')) throw new DdlError(`line 1:1: mismatched input '${t?.v ?? '<EOF>'}'. Expecting: an identifier`);
    this.i++;
    return t.v.toLowerCase();
  }
  string(): string {
    const t = this.peek();
    if (!t || t.t !== 'string') throw new DdlError(`line 1:1: mismatched input '${t?.v ?? '<EOF>'}'. Expecting: a string`);
    this.i++;
    return t.v;
  }
  done(): boolean {
    while (this.acceptPunct(';'));
    return this.i >= this.toks.length;
  }
  qualified(): { database?: string; name: string } {
    const first = this.name();
    if (this.acceptPunct('.')) {
      const second = this.name();
      if (this.acceptPunct('.')) return { database: second, name: this.name() };
      return { database: first, name: second };
    }
    return { name: first };
  }
  /** A Hive type: words, parentheses and angle brackets until the next top-level ',' or ')'. */
  type(): string {
    let depth = 0;
    let out = '';
    for (;;) {
      const t = this.peek();
      if (!t) break;
      if (depth === 0 && t.t === 'punct' && (t.v === ',' || t.v === ')')) break;
      if (depth === 0 && t.t === 'word' && t.v.toUpperCase() === 'COMMENT') break;
      if (t.t === 'punct' && (t.v === '(' || t.v === '<')) depth++;
      if (t.t === 'punct' && (t.v === ')' || t.v === '>')) depth--;
      out += t.v;
      this.i++;
    }
    if (!out) throw new DdlError('line 1:1: a column type is missing');
    return out.toLowerCase();
  }
  properties(): Record<string, string> {
    const props: Record<string, string> = {};
    this.expectPunct('(');
    while (!this.acceptPunct(')')) {
      const k = this.string();
      this.expectPunct('=');
      props[k] = this.string();
      this.acceptPunct(',');
    }
    return props;
  }
}

function columnList(c: Cursor): CatalogColumn[] {
  const cols: CatalogColumn[] = [];
  c.expectPunct('(');
  while (!c.acceptPunct(')')) {
    const name = c.name();
    const type = c.type();
    const col: CatalogColumn = { name, type };
    if (c.acceptWord('COMMENT')) col.comment = c.string();
    cols.push(col);
    c.acceptPunct(',');
  }
  return cols;
}

function createTable(c: Cursor): TableDefinition {
  const ifNotExists = c.acceptWord('IF', 'NOT', 'EXISTS');
  const q = c.qualified();
  const def: TableDefinition = {
    ...q,
    ifNotExists,
    columns: columnList(c),
    partitionKeys: [],
    format: 'text',
    delimiter: '\u0001',
    serdeProperties: {},
    location: '',
    tableProperties: {},
  };
  let explicitDelimiter = false;
  while (!c.done()) {
    if (c.acceptWord('COMMENT')) def.comment = c.string();
    else if (c.acceptWord('PARTITIONED', 'BY')) def.partitionKeys = columnList(c);
    else if (c.acceptWord('ROW', 'FORMAT', 'DELIMITED')) {
      for (;;) {
        if (c.acceptWord('FIELDS', 'TERMINATED', 'BY')) {
          def.delimiter = c.string();
          explicitDelimiter = true;
        } else if (c.acceptWord('ESCAPED', 'BY')) def.serdeProperties['escape.delim'] = c.string();
        else if (c.acceptWord('LINES', 'TERMINATED', 'BY')) def.serdeProperties['line.delim'] = c.string();
        else if (c.acceptWord('COLLECTION', 'ITEMS', 'TERMINATED', 'BY') || c.acceptWord('MAP', 'KEYS', 'TERMINATED', 'BY')) c.string();
        else if (c.acceptWord('NULL', 'DEFINED', 'AS')) def.serdeProperties['serialization.null.format'] = c.string();
        else break;
      }
    } else if (c.acceptWord('ROW', 'FORMAT', 'SERDE')) {
      def.serde = c.string();
      if (c.acceptWord('WITH', 'SERDEPROPERTIES')) def.serdeProperties = { ...def.serdeProperties, ...c.properties() };
    } else if (c.acceptWord('WITH', 'SERDEPROPERTIES')) def.serdeProperties = { ...def.serdeProperties, ...c.properties() };
    else if (c.acceptWord('STORED', 'AS')) {
      if (c.acceptWord('INPUTFORMAT')) {
        const input = c.string();
        c.expectWord('OUTPUTFORMAT');
        c.string();
        if (/parquet/i.test(input)) def.format = 'parquet';
      } else {
        const f = c.name().toUpperCase();
        if (f === 'PARQUET') def.format = 'parquet';
        else if (f !== 'TEXTFILE') throw new DdlError(`line 1:1: STORED AS ${f} is not supported by the Athena stand-in (TEXTFILE, PARQUET)`);
      }
    } else if (c.acceptWord('LOCATION')) def.location = c.string();
    else if (c.acceptWord('TBLPROPERTIES')) def.tableProperties = c.properties();
    else throw new DdlError(`line 1:1: mismatched input '${c.peek()?.v}' in CREATE EXTERNAL TABLE`);
  }
  if (!def.location) throw new DdlError('line 1:1: CREATE EXTERNAL TABLE needs a LOCATION');
  if (!/^s3a?:\/\/[^/]+/.test(def.location)) throw new DdlError(`line 1:1: LOCATION must be an s3:// URI, got '${def.location}'`);
  const serde = def.serde ?? '';
  if (/JsonSerDe/i.test(serde)) def.format = 'json';
  else if (/OpenCSVSerde/i.test(serde)) {
    def.format = 'csv';
    def.delimiter = def.serdeProperties.separatorChar ?? ',';
    def.quoteChar = def.serdeProperties.quoteChar ?? '"';
  } else if (/Parquet/i.test(serde)) def.format = 'parquet';
  else if (/LazySimpleSerDe/i.test(serde) && def.serdeProperties['field.delim'] && !explicitDelimiter) def.delimiter = def.serdeProperties['field.delim'];
  if (def.columns.length === 0) throw new DdlError('line 1:1: a table needs at least one column');
  const all = [...def.columns, ...def.partitionKeys].map((col) => col.name);
  const dup = all.find((n, k) => all.indexOf(n) !== k);
  if (dup) throw new DdlError(`line 1:1: Column '${dup}' specified more than once`);
  return def;
}

/** Parses one statement. Anything that is not catalog DDL comes back as `{ kind: 'query' }`. */
export function parseStatement(sqlIn: string): Statement {
  const sql = sqlIn.trim().replace(/;\s*$/, '');
  const c = new Cursor(tokenize(sql));
  if (c.acceptWord('CREATE', 'EXTERNAL', 'TABLE') || c.acceptWord('CREATE', 'TABLE')) {
    if (c.peek(1)?.v.toUpperCase() === 'AS' || c.isWord('AS', 1)) throw new DdlError('CREATE TABLE AS SELECT is not supported by the Athena stand-in');
    return { kind: 'createTable', table: createTable(c) };
  }
  if (c.acceptWord('CREATE', 'DATABASE') || c.acceptWord('CREATE', 'SCHEMA')) {
    const ifNotExists = c.acceptWord('IF', 'NOT', 'EXISTS');
    const name = c.name();
    let comment: string | undefined;
    while (!c.done()) {
      if (c.acceptWord('COMMENT')) comment = c.string();
      else if (c.acceptWord('LOCATION')) c.string();
      else if (c.acceptWord('WITH', 'DBPROPERTIES')) c.properties();
      else throw new DdlError(`line 1:1: mismatched input '${c.peek()?.v}' in CREATE DATABASE`);
    }
    return { kind: 'createDatabase', name, ifNotExists, comment };
  }
  if (c.acceptWord('DROP', 'DATABASE') || c.acceptWord('DROP', 'SCHEMA')) {
    const ifExists = c.acceptWord('IF', 'EXISTS');
    const name = c.name();
    const cascade = c.acceptWord('CASCADE');
    c.acceptWord('RESTRICT');
    return { kind: 'dropDatabase', name, ifExists, cascade };
  }
  if (c.acceptWord('DROP', 'TABLE')) {
    const ifExists = c.acceptWord('IF', 'EXISTS');
    return { kind: 'dropTable', ...c.qualified(), ifExists };
  }
  if (c.acceptWord('SHOW', 'DATABASES') || c.acceptWord('SHOW', 'SCHEMAS')) {
    const like = c.acceptWord('LIKE') ? c.string() : undefined;
    return { kind: 'showDatabases', like };
  }
  if (c.acceptWord('SHOW', 'TABLES')) {
    const database = c.acceptWord('IN') || c.acceptWord('FROM') ? c.name() : undefined;
    const like = c.peek()?.t === 'string' ? c.string() : c.acceptWord('LIKE') ? c.string() : undefined;
    return { kind: 'showTables', database, like };
  }
  if (c.acceptWord('SHOW', 'COLUMNS')) {
    if (!c.acceptWord('IN')) c.expectWord('FROM');
    const q = c.qualified();
    if (c.acceptWord('IN') || c.acceptWord('FROM')) return { kind: 'showColumns', name: q.name, database: c.name() };
    return { kind: 'showColumns', ...q };
  }
  if (c.acceptWord('SHOW', 'CREATE', 'TABLE')) return { kind: 'showCreateTable', ...c.qualified() };
  if (c.acceptWord('SHOW', 'PARTITIONS')) return { kind: 'showPartitions', ...c.qualified() };
  if (c.acceptWord('DESCRIBE') || c.acceptWord('DESC')) {
    if (!c.acceptWord('EXTENDED')) c.acceptWord('FORMATTED');
    return { kind: 'describe', ...c.qualified() };
  }
  if (c.acceptWord('MSCK', 'REPAIR', 'TABLE')) return { kind: 'repair', ...c.qualified() };
  if (c.isWord('SELECT') || c.isWord('WITH') || c.isWord('VALUES') || c.acceptPunct('(')) return { kind: 'query', sql };
  const first = c.peek()?.v ?? '';
  throw new DdlError(`line 1:1: '${first}' statements are not supported by the Athena stand-in`);
}

/** Athena's StatementType for a parsed statement. */
export function statementType(s: Statement): 'DDL' | 'DML' | 'UTILITY' {
  if (s.kind === 'query') return 'DML';
  if (s.kind.startsWith('show') || s.kind === 'describe') return 'UTILITY';
  return 'DDL';
}

/** Hive/Athena type name → DuckDB type, for reading objects. Nested types become VARCHAR. */
export function duckType(hiveType: string): string {
  const t = hiveType.toLowerCase().trim();
  if (/^(string|varchar|char)/.test(t)) return 'VARCHAR';
  if (t === 'int' || t === 'integer') return 'INTEGER';
  if (t === 'bigint') return 'BIGINT';
  if (t === 'smallint') return 'SMALLINT';
  if (t === 'tinyint') return 'TINYINT';
  if (t === 'double') return 'DOUBLE';
  if (t === 'float' || t === 'real') return 'FLOAT';
  if (t === 'boolean') return 'BOOLEAN';
  if (t === 'date') return 'DATE';
  if (t === 'timestamp') return 'TIMESTAMP';
  const dec = /^decimal\s*\((\d+)\s*,\s*(\d+)\)$/.exec(t);
  if (dec) return `DECIMAL(${dec[1]},${dec[2]})`;
  if (t === 'decimal') return 'DECIMAL(10,0)';
  if (t === 'binary') return 'BLOB';
  return 'VARCHAR';
}

/** DuckDB result type → Athena's ColumnInfo.Type (with precision and scale where it has them). */
export function athenaType(duck: string): { type: string; precision: number; scale: number } {
  const t = duck.toUpperCase();
  const dec = /^DECIMAL\((\d+),(\d+)\)$/.exec(t);
  if (dec) return { type: 'decimal', precision: Number(dec[1]), scale: Number(dec[2]) };
  const map: Record<string, [string, number]> = {
    BIGINT: ['bigint', 19],
    HUGEINT: ['bigint', 19],
    UBIGINT: ['bigint', 19],
    INTEGER: ['integer', 10],
    UINTEGER: ['bigint', 19],
    SMALLINT: ['smallint', 5],
    USMALLINT: ['integer', 10],
    TINYINT: ['tinyint', 3],
    UTINYINT: ['smallint', 5],
    DOUBLE: ['double', 17],
    FLOAT: ['real', 17],
    BOOLEAN: ['boolean', 0],
    DATE: ['date', 0],
    TIMESTAMP: ['timestamp', 3],
    'TIMESTAMP WITH TIME ZONE': ['timestamp with time zone', 3],
    BLOB: ['varbinary', 2147483647],
    VARCHAR: ['varchar', 2147483647],
  };
  const hit = map[t];
  if (hit) return { type: hit[0], precision: hit[1], scale: 0 };
  if (t.endsWith('[]')) return { type: 'array', precision: 0, scale: 0 };
  if (t.startsWith('STRUCT')) return { type: 'row', precision: 0, scale: 0 };
  if (t.startsWith('MAP')) return { type: 'map', precision: 0, scale: 0 };
  return { type: 'varchar', precision: 2147483647, scale: 0 };
}

/** The CREATE EXTERNAL TABLE text of a catalog entry (SHOW CREATE TABLE). */
export function renderDdl(database: string, t: TableDefinition): string {
  const cols = (list: CatalogColumn[]) =>
    list.map((col) => `  \`${col.name}\` ${col.type}${col.comment ? ` COMMENT '${col.comment.replace(/'/g, "''")}'` : ''}`).join(',\n');
  const lines = [`CREATE EXTERNAL TABLE \`${database}\`.\`${t.name}\`(`, cols(t.columns), ')'];
  if (t.partitionKeys.length) lines.push('PARTITIONED BY (', cols(t.partitionKeys), ')');
  if (t.format === 'parquet') lines.push("ROW FORMAT SERDE\n  'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'", 'STORED AS PARQUET');
  else if (t.format === 'json') lines.push(`ROW FORMAT SERDE\n  '${t.serde ?? 'org.openx.data.jsonserde.JsonSerDe'}'`);
  else if (t.format === 'csv')
    lines.push("ROW FORMAT SERDE\n  'org.apache.hadoop.hive.serde2.OpenCSVSerde'", `WITH SERDEPROPERTIES (\n  'separatorChar'='${escapeText(t.delimiter)}')`);
  else lines.push(`ROW FORMAT DELIMITED\n  FIELDS TERMINATED BY '${escapeText(t.delimiter)}'`);
  lines.push('LOCATION', `  '${t.location}'`);
  const props = Object.entries(t.tableProperties);
  if (props.length) lines.push('TBLPROPERTIES (', props.map(([k, v]) => `  '${k}'='${v}'`).join(',\n'), ')');
  return lines.join('\n');
}

function escapeText(s: string): string {
  return s.replace(/\t/g, '\\t').split('\u0001').join('\\001').replace(/'/g, "\\'");
}
