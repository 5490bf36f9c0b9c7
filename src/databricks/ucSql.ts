// The SQL Ferry writes for a Unity Catalog table: Databricks SQL quotes names with backticks (a
// backtick inside a name is doubled), and a table is named by catalog.schema.table.
import type { UcTable } from './unityCatalog';

/** A name as Databricks SQL reads it: bare when it is a plain identifier, else in backticks. */
export function quoteUcIdent(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}

export function ucTableName(catalog: string, schema: string, table: string): string {
  return [catalog, schema, table].map(quoteUcIdent).join('.');
}

export function ucPreviewSql(t: Pick<UcTable, 'catalogName' | 'schemaName' | 'name'>, limit = 100): string {
  return `SELECT * FROM ${ucTableName(t.catalogName, t.schemaName, t.name)} LIMIT ${limit}`;
}

/** SELECT with every column named (partition keys last, as they are listed), ready to edit. */
export function ucSelectSql(t: UcTable, limit = 100): string {
  const columns = t.columns ?? [];
  const lines = columns.length ? columns.map((c) => `  ${quoteUcIdent(c.name)}${c.partitionIndex !== undefined ? ' -- partition key' : ''}`) : ['  *'];
  // A comment on the last column must not swallow the separator: commas go before the comment.
  const body = lines.map((l, i) => (i < lines.length - 1 ? l.replace(/( -- partition key)?$/, ',$1') : l)).join('\n');
  return `SELECT\n${body}\nFROM ${ucTableName(t.catalogName, t.schemaName, t.name)}\nLIMIT ${limit};\n`;
}
