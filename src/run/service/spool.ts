// A run's spool as the client sees it: the command result of a run (a summary line, maybe with the
// whole spool inline), slices read by later commands, and the JSON-lines records they carry, turned
// into the result viewer's outputs. Byte offsets are character offsets: the runtime writes ASCII.
import zlib from 'node:zlib';
import { ColumnType, ResultCell, ResultColumn, ResultOutput } from '../../results/model';
import { appendTerminalText, visibleText } from '../../results/terminalText';
import { PathMapper } from './paths';
import { errorOutput } from './results';
import { columnTypeOf } from './results';

/** Start of the runtime's marker lines in a command result: ASCII record separator + tag. */
export const RECORD_MARK = '\u001eFERRY:';

export type SpoolRecord =
  | { t: 'text'; s: 'out' | 'err'; x: string }
  | { t: 'table'; columns: Array<{ name: string; dtype: string; type?: string; index?: boolean }>; rows: unknown[][]; total?: number; truncated?: boolean }
  | { t: 'image'; png: string }
  | { t: 'error'; ename: string; evalue: string; traceback: string }
  | { t: 'value'; repr: string }
  | { t: 'exit'; code: number | string | null }
  | { t: 'vars'; vars: SessionVariable[] }
  | { t: 'restart'; modules: string[] }
  | { t: 'end'; status: RunStatus };

/** One variable of a session as the session code lists it (rows of a DataFrame are never read for it). */
export interface SessionVariable {
  name: string;
  /** The Python type's name (`DataFrame`, `int`) and its top-level module (`pandas`, `builtins`). */
  type: string;
  module: string;
  kind: 'dataframe' | 'series' | 'spark' | 'array' | 'sized' | 'value';
  /** Rows × columns, a length, or an array's shape; absent for a Spark DataFrame (not counted). */
  shape?: number[];
  /** Bytes in memory (shallow for containers; absent when unknown, e.g. a Spark DataFrame). */
  size?: number;
  dtype?: string;
  /** [name, type] per column, for DataFrames. */
  columns?: Array<[string, string]>;
  /** A short repr, for values and small containers. */
  preview?: string;
}

export type RunStatus = 'ok' | 'error' | 'exit' | 'cancelled';

export interface RunSummary {
  run: string;
  size: number;
  status: RunStatus;
  /** The whole spool, deflated and base64'd, when it fitted in the result. */
  inline?: string;
}

export interface SliceHeader {
  o: number;
  n: number;
  size: number;
  c: number;
}

export class SpoolFormatError extends Error {}

/** Splits a run command's text result into the runtime's summary and any other text the REPL kept. */
export function parseRunResult(text: string): { summary?: RunSummary; otherText: string } {
  const at = text.lastIndexOf(RECORD_MARK);
  if (at < 0) return { otherText: text };
  const line = text.slice(at + RECORD_MARK.length).split('\n')[0];
  try {
    const rec = JSON.parse(line) as RunSummary & { t?: string };
    if (rec.t !== 'summary') return { otherText: text };
    const rest = text.slice(at + RECORD_MARK.length + line.length + 1);
    return { summary: rec, otherText: (text.slice(0, at) + rest).replace(/^\n+|\n+$/g, '') };
  } catch {
    return { otherText: text };
  }
}

export function inflate(b64: string): string {
  return zlib.inflateSync(Buffer.from(b64, 'base64')).toString('latin1');
}

/** A read command's result: the header and the spool bytes it carried (checked against the header). */
export function parseSlice(text: string): { header: SliceHeader; data: string } {
  const at = text.indexOf(RECORD_MARK);
  if (at < 0) throw new SpoolFormatError(`the cluster answered a read without Ferry's header: ${text.slice(0, 120)}`);
  const nl = text.indexOf('\n', at);
  const headText = text.slice(at + RECORD_MARK.length, nl < 0 ? undefined : nl);
  let header: SliceHeader;
  try {
    header = JSON.parse(headText) as SliceHeader;
  } catch {
    throw new SpoolFormatError(`a slice header did not parse: ${headText.slice(0, 120)}`);
  }
  if (header.size < 0 || header.n === 0) return { header, data: '' };
  const body = nl < 0 ? '' : text.slice(nl + 1).replace(/\s+$/, '');
  // A result the service cut (a cap lower than Ferry assumed) shows as a short or marked body.
  if (body.length !== header.c) throw new SpoolFormatError(`a slice arrived cut: ${body.length} of ${header.c} characters`);
  let data: string;
  try {
    data = inflate(body);
  } catch (err) {
    throw new SpoolFormatError(`a slice did not inflate: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (data.length !== header.n) throw new SpoolFormatError(`a slice held ${data.length} bytes, not ${header.n}`);
  return { header, data };
}

/**
 * Reassembles the spool from pieces at offsets into complete records. Overlaps are dropped; a piece
 * that starts past what is assembled waits until the bytes before it arrive (readers side by side).
 */
export class SpoolDecoder {
  /** Bytes of the spool consumed so far (the next offset to read). */
  offset = 0;
  private partial = '';
  private readonly ahead = new Map<number, string>();
  ended: RunStatus | undefined;

  /** Takes `data` found at byte `at`; returns the records completed by it (and by waiting pieces it joins). */
  push(at: number, data: string): SpoolRecord[] {
    if (!data) return [];
    if (at > this.offset) {
      const held = this.ahead.get(at);
      if (!held || held.length < data.length) this.ahead.set(at, data);
      return [];
    }
    const out = this.consume(at, data);
    // Join pieces that were waiting for these bytes.
    for (let moved = true; moved;) {
      moved = false;
      for (const [start, piece] of this.ahead) {
        if (start > this.offset) continue;
        this.ahead.delete(start);
        out.push(...this.consume(start, piece));
        moved = true;
      }
    }
    return out;
  }

  /** True while pieces wait for bytes before them. */
  get waiting(): boolean {
    return this.ahead.size > 0;
  }

  private consume(at: number, data: string): SpoolRecord[] {
    const fresh = data.slice(this.offset - at);
    if (!fresh) return [];
    this.offset += fresh.length;
    const text = this.partial + fresh;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    const out: SpoolRecord[] = [];
    for (const line of lines) {
      if (!line) continue;
      let rec: SpoolRecord;
      try {
        rec = JSON.parse(line) as SpoolRecord;
      } catch {
        throw new SpoolFormatError(`a spool record did not parse at byte ${this.offset - text.length}: ${line.slice(0, 80)}`);
      }
      if (rec.t === 'end') this.ended = rec.status;
      out.push(rec);
    }
    return out;
  }
}

const COLUMN_TYPES = new Set<ColumnType>(['string', 'integer', 'number', 'boolean', 'date', 'timestamp', 'json', 'binary', 'unknown']);

function toCell(v: unknown): ResultCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/** One output per non-text record (text is merged by OutputList). */
export function recordOutput(rec: SpoolRecord, mapper: PathMapper | undefined): ResultOutput | undefined {
  switch (rec.t) {
    case 'table': {
      const rows = (rec.rows ?? []).map((r) => r.map(toCell));
      const total = rec.total ?? rows.length;
      const columns: ResultColumn[] = (rec.columns ?? []).map((c) => ({
        name: c.name,
        type: c.type && COLUMN_TYPES.has(c.type as ColumnType) ? (c.type as ColumnType) : columnTypeOf(c.dtype),
        sourceType: c.index ? `${c.dtype} (index)` : c.dtype,
      }));
      return {
        kind: 'table',
        columns,
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
    case 'exit':
      return rec.code === null || rec.code === 0
        ? undefined
        : { kind: 'error', summary: `SystemExit: ${rec.code}`, traceback: `SystemExit: ${rec.code}`, frames: [] };
    default:
      return undefined;
  }
}

/** What a record stream becomes: text merged as a terminal shows it, every other record its own output. */
export class OutputList {
  readonly outputs: ResultOutput[] = [];
  status: RunStatus | undefined;
  exitCode: number | string | null | undefined;
  /** The session's variables after the run, when the run listed them. */
  variables: SessionVariable[] | undefined;
  /** Modules a %pip install replaced after the session had imported them (a restart is needed). */
  restartModules: string[] = [];

  constructor(private readonly mapper?: PathMapper) {}

  /** Adds records; calls `onText` / `onOutput` with what changed, for live display. */
  add(records: SpoolRecord[], live?: { onText?: (chunk: string) => void; onOutput?: (o: ResultOutput) => void }): void {
    for (const rec of records) {
      if (rec.t === 'text') {
        this.appendText(rec.x);
        live?.onText?.(rec.x);
        continue;
      }
      if (rec.t === 'end') {
        this.status = rec.status;
        continue;
      }
      if (rec.t === 'vars') {
        this.variables = rec.vars;
        continue;
      }
      if (rec.t === 'restart') {
        this.restartModules.push(...rec.modules);
        continue;
      }
      if (rec.t === 'exit') this.exitCode = rec.code;
      const o = recordOutput(rec, this.mapper);
      if (!o) continue;
      this.outputs.push(o);
      live?.onOutput?.(o);
    }
  }

  /** The outputs as a finished run shows them: text without progress markers or trailing newlines. */
  finalOutputs(): ResultOutput[] {
    return this.outputs.flatMap((o): ResultOutput[] => {
      if (o.kind !== 'text') return [o];
      const text = visibleText(o.text).replace(/\n+$/, '');
      return text.trim() ? [{ kind: 'text', text }] : [];
    });
  }

  appendText(chunk: string): void {
    const last = this.outputs[this.outputs.length - 1];
    if (last?.kind === 'text') this.outputs[this.outputs.length - 1] = { kind: 'text', text: appendTerminalText(last.text, chunk) };
    else this.outputs.push({ kind: 'text', text: appendTerminalText('', chunk) });
  }
}
