// Which local files the workspace makes into NOTEBOOK objects when Ferry imports them with
// format AUTO, and where the notebook then lives. The rule is the Databricks CLI's
// (libs/notebook/detect.go, detect_jupyter.go; docs/reference/services-2026.md §2):
// `.py`/`.r`/`.scala`/`.sql` whose first line (of the first 32 bytes) is exactly the language's
// header, and any `.ipynb` that is Jupyter JSON (cells, metadata, nbformat ≥ 4). A notebook loses its
// extension in the workspace; every other file stays a FILE under its own name.

export type NotebookLanguage = 'PYTHON' | 'R' | 'SCALA' | 'SQL';

export type NotebookDetection =
  | { notebook: false }
  | { notebook: true; format: 'source' | 'jupyter'; language: NotebookLanguage }
  /** An .ipynb that is not a notebook: the workspace import would refuse it. */
  | { notebook: false; problem: string };

const HEADER_BYTES = 32;
const SOURCE_HEADERS: Record<string, { header: string; language: NotebookLanguage }> = {
  '.py': { header: '# Databricks notebook source', language: 'PYTHON' },
  '.r': { header: '# Databricks notebook source', language: 'R' },
  '.scala': { header: '// Databricks notebook source', language: 'SCALA' },
  '.sql': { header: '-- Databricks notebook source', language: 'SQL' },
};
const NOTEBOOK_EXTENSION = /\.(py|ipynb|scala|r|sql)$/i;

function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/** The first line within the first 32 bytes, without its line ending (as Go's bufio.Scanner reads it). */
function headerLine(content: Uint8Array): string {
  const head = Buffer.from(content.subarray(0, HEADER_BYTES)).toString('utf8');
  const nl = head.indexOf('\n');
  const line = nl >= 0 ? head.slice(0, nl) : head;
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

const JUPYTER_LANGUAGES: Record<string, NotebookLanguage> = { python: 'PYTHON', r: 'R', scala: 'SCALA', sql: 'SQL' };

function detectJupyter(content: Uint8Array): NotebookDetection {
  let nb: unknown;
  try {
    nb = JSON.parse(Buffer.from(content).toString('utf8'));
  } catch (err) {
    return { notebook: false, problem: `it is not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  const o = nb && typeof nb === 'object' && !Array.isArray(nb) ? (nb as Record<string, unknown>) : undefined;
  if (!o || o.cells === undefined || !o.metadata || typeof o.metadata !== 'object')
    return { notebook: false, problem: 'it has no cells or no metadata, so it is not a Jupyter notebook' };
  const major = typeof o.nbformat === 'number' ? o.nbformat : 0;
  if (major < 4) return { notebook: false, problem: `it is Jupyter format ${major || 'unknown'}; Databricks imports format 4 and later` };
  const databricks = (o.metadata as Record<string, unknown>)['application/vnd.databricks.v1+notebook'];
  const lang = databricks && typeof databricks === 'object' ? String((databricks as Record<string, unknown>).language ?? '') : '';
  // Without the Databricks language the workspace reports the notebook as PYTHON.
  return { notebook: true, format: 'jupyter', language: JUPYTER_LANGUAGES[lang] ?? 'PYTHON' };
}

/** What a workspace import with format AUTO makes of `fileName` with this content (as uploaded). */
export function detectNotebook(fileName: string, content: Uint8Array): NotebookDetection {
  const ext = extensionOf(fileName);
  if (ext === '.ipynb') return detectJupyter(content);
  const source = SOURCE_HEADERS[ext];
  if (!source) return { notebook: false };
  return headerLine(content) === source.header ? { notebook: true, format: 'source', language: source.language } : { notebook: false };
}

/** The workspace path of the notebook a file becomes: the same path without its extension. */
export function notebookPathFor(remotePath: string): string {
  return remotePath.replace(NOTEBOOK_EXTENSION, '');
}
