// Command Execution 1.2 results → the result viewer's outputs, for native results (text, table,
// image(s), error) that did not come through Ferry's spool (spool.ts): the REPL's own failures,
// and commands run without the session code. Images a cluster stored as files (`/plots/…`) are
// fetched from DBFS by fetchPlotImages().
import { ColumnType, ErrorOutput, ResultCell, ResultColumn, ResultOutput, TableOutput } from '../../results/model';
import { PathMapper } from './paths';
import { htmlToText, mapFrames, parseTraceback, stripAnsi, summaryLine } from './traceback';

export interface CommandResults {
  resultType?: 'text' | 'table' | 'error' | 'image' | 'images' | string;
  data?: unknown;
  schema?: Array<{ name: string; type: string; metadata?: string }>;
  isJsonSchema?: boolean;
  truncated?: boolean;
  fileName?: string;
  fileNames?: string[];
  summary?: string;
  cause?: string;
}

export function columnTypeOf(sourceType: string): ColumnType {
  const t = sourceType.toLowerCase().replace(/^"|"$/g, '');
  if (/^(u?int|long|short|byte|tinyint|smallint|bigint|integer)\d*$/.test(t)) return 'integer';
  if (/^(float|double|decimal|real|number)/.test(t)) return 'number';
  if (/^bool/.test(t)) return 'boolean';
  if (/^date$/.test(t)) return 'date';
  if (/^(timestamp|datetime)/.test(t)) return 'timestamp';
  if (/^(string|varchar|char|object|category)/.test(t)) return 'string';
  if (/^(binary|bytes)/.test(t)) return 'binary';
  if (/^(struct|array|map)|^\{/.test(t)) return 'json';
  return 'unknown';
}

function toCell(v: unknown): ResultCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

function nativeTable(r: CommandResults): TableOutput {
  const columns: ResultColumn[] = (r.schema ?? []).map((c) => {
    const source = r.isJsonSchema ? String(c.type).replace(/^"|"$/g, '') : String(c.type);
    return { name: c.name, type: columnTypeOf(source), sourceType: source };
  });
  const rows = Array.isArray(r.data) ? (r.data as unknown[][]).map((row) => (Array.isArray(row) ? row.map(toCell) : [toCell(row)])) : [];
  return {
    kind: 'table',
    columns,
    rows,
    truncated: r.truncated || undefined,
    truncationNote: r.truncated ? `first ${rows.length.toLocaleString('en-US')} rows` : undefined,
  };
}

function imageOf(fileName: string): ResultOutput {
  const m = /^data:image\/png;base64,(.*)$/s.exec(fileName);
  if (m) return { kind: 'image', mime: 'image/png', base64: m[1] };
  return { kind: 'text', text: `[image stored at ${fileName}]` };
}

export function errorOutput(summary: string, traceback: string, mapper: PathMapper | undefined): ErrorOutput {
  return { kind: 'error', summary, traceback, frames: mapFrames(parseTraceback(traceback), mapper) };
}

/** Where a cluster keeps an image it answered as a file: `/plots/x.png` is DBFS `/FileStore/plots/x.png` ([unconfirmed]). */
export function plotDbfsPath(fileName: string): string | undefined {
  if (/^\/plots\/[^/]+$/.test(fileName)) return `/FileStore${fileName}`;
  if (/^(dbfs:)?\/FileStore\/plots\/[^/]+$/.test(fileName)) return fileName.replace(/^dbfs:/, '');
  return undefined;
}

/**
 * Every output of one finished command, with images the cluster stored as files fetched through
 * `readFile` (DBFS); one that cannot be fetched says so as text.
 */
export async function convertResultsFetchingImages(
  results: CommandResults | undefined,
  mapper: PathMapper | undefined,
  readFile: (dbfsPath: string) => Promise<Buffer>,
): Promise<ResultOutput[]> {
  if (!results || (results.resultType !== 'image' && results.resultType !== 'images')) return convertResults(results, mapper);
  const names = results.resultType === 'image' ? (results.fileName ? [results.fileName] : []) : (results.fileNames ?? []);
  const out: ResultOutput[] = [];
  for (const name of names) {
    const dbfs = plotDbfsPath(name);
    if (!dbfs) {
      out.push(imageOf(name));
      continue;
    }
    try {
      out.push({ kind: 'image', mime: 'image/png', base64: (await readFile(dbfs)).toString('base64') });
    } catch (err) {
      out.push({ kind: 'text', text: `[the image stored at ${name} could not be fetched: ${err instanceof Error ? err.message : String(err)}]` });
    }
  }
  return out;
}

/** Every output of one finished command. */
export function convertResults(results: CommandResults | undefined, mapper?: PathMapper): ResultOutput[] {
  if (!results) return [];
  switch (results.resultType) {
    case 'text': {
      const text = typeof results.data === 'string' ? results.data : results.data === undefined || results.data === null ? '' : JSON.stringify(results.data);
      const t = text.replace(/^Out\[[\d\s]+\]:\s/, '');
      return t.trim() ? [{ kind: 'text', text: t }] : [];
    }
    case 'table':
      return [nativeTable(results)];
    case 'image':
      return results.fileName ? [imageOf(results.fileName)] : [];
    case 'images':
      return (results.fileNames ?? []).map(imageOf);
    case 'error': {
      const cause = results.cause ?? '';
      const summary = results.summary ? htmlToText(results.summary) : summaryLine(cause);
      return [errorOutput(summary.split('\n')[0] || summaryLine(cause), cause || summary, mapper)];
    }
    default:
      return results.data !== undefined ? [{ kind: 'text', text: stripAnsi(String(results.data)) }] : [];
  }
}

/** True when a finished command's result says it was cancelled (Finished + CommandCancelledException). */
export function isCancelledResult(results: CommandResults | undefined): boolean {
  if (!results || results.resultType !== 'error') return false;
  return /CommandCancelledException|Command cancelled|KeyboardInterrupt/.test(`${results.summary ?? ''}\n${results.cause ?? ''}`);
}
