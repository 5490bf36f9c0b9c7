// A SQL cell (`# MAGIC %sql` in a Databricks source file, a SQL cell of a notebook, or a notebook
// cell that starts with `%sql`) runs in the same Python session through `spark.sql`, as a
// Databricks notebook runs it: every statement in order, and the last one's rows displayed.
import { splitStatements } from '../../aws/athena/statements';

/** True when a notebook cell's text is a `%sql` magic cell. */
export function isSqlMagic(code: string): boolean {
  return /^\s*%sql\b/.test(code);
}

/** The SQL of a `%sql` magic cell, without the magic. */
export function stripSqlMagic(code: string): string {
  return code.replace(/^\s*%sql\b[ \t]*\n?/, '');
}

/**
 * The Python that runs `sql` with spark.sql. Statements become JSON string literals, which are
 * valid Python string literals, so quotes, backslashes and unicode in the SQL pass unchanged.
 */
export function sqlToPython(sql: string): string {
  const statements = splitStatements(sql).map((s) => s.text);
  if (!statements.length) return 'pass  # an empty SQL cell';
  const literals = statements.map((s) => JSON.stringify(s));
  const lines = ['# Ferry: a SQL cell, run with spark.sql'];
  for (const lit of literals.slice(0, -1)) lines.push(`spark.sql(${lit})`);
  lines.push(`display(spark.sql(${literals[literals.length - 1]}))`);
  return lines.join('\n');
}
