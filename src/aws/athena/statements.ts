// Splits a SQL document into its statements (on semicolons outside quotes and comments), with
// their offsets, for "run the statement under the cursor" and a CodeLens above each statement.

export interface SqlStatement {
  /** The statement text without the trailing semicolon, trimmed. */
  text: string;
  /** Offsets of the trimmed text in the document. */
  start: number;
  end: number;
}

export function splitStatements(sql: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let segStart = 0;
  let i = 0;
  const push = (end: number) => {
    const raw = sql.slice(segStart, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text && stripComments(text).trim()) out.push({ text, start: segStart + lead, end: segStart + lead + text.length });
  };
  while (i < sql.length) {
    const c = sql[i];
    if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      i = j + 1;
    } else if (c === ';') {
      push(i);
      i++;
      segStart = i;
    } else i++;
  }
  push(sql.length);
  return out;
}

function stripComments(s: string): string {
  return s.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

/** The statement that holds the offset (or the nearest one before it, when the cursor sits between statements). */
export function statementAt(sql: string, offset: number): SqlStatement | undefined {
  const all = splitStatements(sql);
  let best: SqlStatement | undefined;
  for (const s of all) {
    if (offset >= s.start && offset <= s.end + 1) return s;
    if (s.end < offset) best = s;
  }
  return best ?? all[0];
}

/** Leading comments are dropped before the text is sent; an empty remainder means nothing to run. */
export function executableText(statement: string): string {
  return statement.replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*/, '').trim();
}
