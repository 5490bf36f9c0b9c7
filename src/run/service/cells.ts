// Cells in a Python file: `# %%` (VS Code / Jupytext "percent" format) and Databricks source
// notebooks (`# Databricks notebook source` header, cells split by `# COMMAND ----------`, magic
// lines prefixed with `# MAGIC`). Line numbers are 0-based, as the editor API counts them.

export interface Cell {
  /** 0-based index of the cell in the file. */
  index: number;
  /** The marker line (or the first line of the file for a leading cell without a marker). */
  markerLine: number;
  /** First and last line of the code (inclusive, 0-based); the marker line is not part of it. */
  startLine: number;
  endLine: number;
  /** The title written after `# %%`, if any. */
  title?: string;
  /** The cell's code, lines joined with '\n'. */
  code: string;
}

export const DATABRICKS_HEADER = '# Databricks notebook source';
const PERCENT = /^\s*#\s*%%(.*)$/;
const COMMAND = /^\s*#\s*COMMAND\s*-{3,}\s*$/;

export function isCellMarker(line: string): boolean {
  return PERCENT.test(line) || COMMAND.test(line);
}

export function isDatabricksSource(text: string): boolean {
  return (
    text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/, 1)[0]
      .trim() === DATABRICKS_HEADER
  );
}

/** Splits a file into cells. A file without markers has none (callers run the whole file instead). */
export function parseCells(text: string): Cell[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const markers: number[] = [];
  lines.forEach((line, i) => {
    if (isCellMarker(line)) markers.push(i);
  });
  if (markers.length === 0) return [];
  const databricks = lines[0]?.trim() === DATABRICKS_HEADER;
  const cells: Cell[] = [];
  // Code above the first marker is a cell too, unless it is blank or only the Databricks header.
  const leadStart = databricks ? 1 : 0;
  const lead = lines.slice(leadStart, markers[0]);
  if (lead.some((l) => l.trim() !== '')) {
    cells.push(makeCell(lines, cells.length, leadStart, leadStart, markers[0] - 1, undefined));
  }
  markers.forEach((marker, k) => {
    const end = (k + 1 < markers.length ? markers[k + 1] : lines.length) - 1;
    const m = PERCENT.exec(lines[marker]);
    const title = m ? m[1].trim().replace(/^\[markdown\]\s*/, '') || undefined : undefined;
    cells.push(makeCell(lines, cells.length, marker, marker + 1, end, title));
  });
  return cells;
}

function makeCell(lines: string[], index: number, markerLine: number, startLine: number, endLine: number, title: string | undefined): Cell {
  // Trailing blank lines belong to the gap between cells, not to the cell.
  let last = endLine;
  while (last >= startLine && lines[last].trim() === '') last--;
  if (last < startLine) last = startLine - 1;
  const code = last >= startLine ? lines.slice(startLine, last + 1).join('\n') : '';
  return { index, markerLine, startLine, endLine: Math.max(last, startLine - 1), title, code };
}

/** The cell that contains a 0-based line (the marker line counts as part of its cell). */
export function cellAt(cells: Cell[], line: number): Cell | undefined {
  let found: Cell | undefined;
  for (const cell of cells) if (cell.markerLine <= line) found = cell;
  return found;
}

/** Turns a Databricks `# MAGIC %md` / `%sql` / `%sh` / `%pip` cell into what it stands for, or Python as is. */
export function cellLanguage(code: string): 'python' | 'markdown' | 'sql' | 'sh' | 'pip' | 'other' {
  const first =
    code
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  const magic = /^#\s*MAGIC\s+%(\w+)/.exec(first);
  if (!magic) return /^#\s*MAGIC\b/.test(first) ? 'other' : 'python';
  if (magic[1] === 'md') return 'markdown';
  if (magic[1] === 'sql') return 'sql';
  if (magic[1] === 'python') return 'python';
  if (magic[1] === 'sh') return 'sh';
  if (magic[1] === 'pip') return 'pip';
  return 'other';
}

/**
 * The code a cell runs in the session: SQL through spark.sql is the caller's; `%sh` and `%pip`
 * cells keep their magic line (the session code runs them); `# MAGIC` prefixes are dropped.
 */
export function magicCellCode(code: string, lang: 'sh' | 'pip'): string {
  const lines = code.split('\n').map((l) => l.replace(/^\s*#\s*MAGIC ?/, ''));
  return lang === 'sh' || lang === 'pip' ? lines.join('\n') : code;
}

/** Strips `# MAGIC ` prefixes (and the `%lang` line) from a Databricks magic cell. */
export function stripMagic(code: string): string {
  const lines = code.split('\n').map((l) => l.replace(/^\s*#\s*MAGIC ?/, ''));
  // The %lang line is the first that is not blank (a cell often starts with an empty line).
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first >= 0 && /^%\w+\s*$/.test(lines[first])) lines.splice(first, 1);
  else if (first >= 0 && /^%\w+\s/.test(lines[first])) lines[first] = lines[first].replace(/^%\w+\s/, '');
  return lines.join('\n');
}
