// Command Execution 1.2 results → the result viewer's outputs. Native results (text, table,
// image(s), error) are converted as they are; a text result produced by the Python wrapper is
// split at its marker lines into every output of the run, in order.
import { ColumnType, ErrorOutput, ResultCell, ResultColumn, ResultOutput, TableOutput } from '../../results/model';
import { PathMapper } from './paths';
import { RECORD_MARK } from './prelude';
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
  return { kind: 'table', columns, rows, truncated: r.truncated || undefined, truncationNote: r.truncated ? `first ${rows.length.toLocaleString('en-US')} rows` : undefined };
}

function imageOf(fileName: string): ResultOutput {
  const m = /^data:image\/png;base64,(.*)$/s.exec(fileName);
  if (m) return { kind: 'image', mime: 'image/png', base64: m[1] };
  return { kind: 'text', text: `[image stored at ${fileName}]` };
}

export function errorOutput(summary: string, traceback: string, mapper: PathMapper | undefined): ErrorOutput {
  return { kind: 'error', summary, traceback, frames: mapFrames(parseTraceback(traceback), mapper) };
}

interface WrapperRecord {
  t: 'table' | 'image' | 'error' | 'value';
  columns?: Array<{ name: string; dtype: string }>;
  rows?: unknown[][];
  total?: number;
  truncated?: boolean;
  png?: string;
  ename?: string;
  evalue?: string;
  traceback?: string;
  repr?: string;
}

function recordOutput(rec: WrapperRecord, mapper: PathMapper | undefined): ResultOutput | undefined {
  switch (rec.t) {
    case 'table': {
      const rows = (rec.rows ?? []).map((r) => r.map(toCell));
      const total = rec.total ?? rows.length;
      return {
        kind: 'table',
        columns: (rec.columns ?? []).map((c) => ({ name: c.name, type: columnTypeOf(c.dtype), sourceType: c.dtype })),
        rows,
        truncated: rec.truncated || undefined,
        truncationNote: rec.truncated ? `first ${rows.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows` : undefined,
      };
    }
    case 'image':
      return rec.png ? { kind: 'image', mime: 'image/png', base64: rec.png } : undefined;
    case 'error': {
      const summary = rec.evalue ? `${rec.ename}: ${rec.evalue}` : (rec.ename ?? 'Error');
      return errorOutput(summary, rec.traceback ?? summary, mapper);
    }
    case 'value':
      return rec.repr !== undefined ? { kind: 'text', text: rec.repr } : undefined;
    default:
      return undefined;
  }
}

/** Splits wrapper text into outputs: plain text between marker lines, one output per record. */
export function splitWrapperText(text: string, mapper: PathMapper | undefined): ResultOutput[] {
  const out: ResultOutput[] = [];
  let pending: string[] = [];
  const flushText = () => {
    const t = pending.join('\n').replace(/^\n+|\n+$/g, '');
    if (t.trim() !== '') out.push({ kind: 'text', text: t });
    pending = [];
  };
  for (const line of text.split('\n')) {
    const at = line.indexOf(RECORD_MARK);
    if (at < 0) {
      pending.push(line);
      continue;
    }
    if (at > 0) pending.push(line.slice(0, at));
    let rec: WrapperRecord | undefined;
    try {
      rec = JSON.parse(line.slice(at + RECORD_MARK.length)) as WrapperRecord;
    } catch {
      pending.push(line.slice(at + RECORD_MARK.length));
      continue;
    }
    flushText();
    const output = recordOutput(rec, mapper);
    if (output) out.push(output);
  }
  flushText();
  return out;
}

/** Every output of one finished command. */
export function convertResults(results: CommandResults | undefined, mapper?: PathMapper): ResultOutput[] {
  if (!results) return [];
  switch (results.resultType) {
    case 'text': {
      const text = typeof results.data === 'string' ? results.data : results.data === undefined || results.data === null ? '' : JSON.stringify(results.data);
      return splitWrapperText(text.replace(/^Out\[[\d\s]+\]:\s/, ''), mapper);
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
