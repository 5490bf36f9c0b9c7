// The typed message protocol between the result viewer (webviews/) and the extension host
// (src/results/). Both sides import this one file. Every message is a discriminated union member
// keyed by `type`. The host never trusts what the webview sends: `parseWebviewMessage` checks the
// shape of every field before the host acts on it.
import { isPiiKind, type PiiKind } from '../core/pii/kinds';
import type { ChartPreset, ColumnType, ResultCell } from './model';
import { EncodedColumn, validEncodedColumn } from './wire';

/** A run of text with the CSS classes its ANSI escapes asked for (`fg-red`, `bold`). */
export interface TextSegment {
  text: string;
  classes: string[];
}

export interface SortSpec {
  column: number;
  direction: 'asc' | 'desc';
}

/** Personal data the PII guard found in a column (src/core/pii): what, and whether it is masked now. */
export interface ColumnPiiView {
  kinds: PiiKind[];
  /** Flagged by its name (every value masked), not only by values found in it. */
  byName: boolean;
  /** Masked now; false once the user chose Reveal for this column of this result. */
  masked: boolean;
}

/** Personal data found in a text or error output, masked unless the user revealed that output. */
export interface OutputPiiView {
  kinds: PiiKind[];
  /** Values found in the part shown. */
  count: number;
  masked: boolean;
}

export interface TableView {
  kind: 'table';
  id: string;
  columns: Array<{ name: string; type: ColumnType; sourceType?: string; pii?: ColumnPiiView }>;
  /** Rows after the filter; undefined while a paged source does not know its total yet. */
  rowCount: number | undefined;
  /** Rows before the filter. */
  totalRows: number | undefined;
  truncated: boolean;
  truncationNote?: string;
  sort?: SortSpec;
  filter: string;
  /** Whether the host can sort and filter this table (it holds every row). */
  sortable: boolean;
  /** Bumped on every sort or filter, so the webview drops rows it fetched for an older order. */
  version: number;
  /** Set while the host takes the rows in, sorts or filters this table (the rows shown are still the previous order). */
  busy?: 'loading' | 'sorting' | 'filtering';
  /** Bumped when masked columns change (a Reveal, the guard switched): windows fetched before show stale values. */
  maskRevision: number;
  /** A chart to open at once, with columns by index (-1 for no colour). */
  chart?: { mark: ChartPreset['mark']; x: number; y: number; color: number; grouped?: boolean };
}

export interface TextView {
  kind: 'text';
  id: string;
  /** The text, or its last TEXT_VIEW_CHARS characters when it is longer (see hiddenChars). */
  segments: TextSegment[];
  /** Characters before the shown part that the view leaves out (the whole text opens in an editor). */
  hiddenChars?: number;
  pii?: OutputPiiView;
}

/** The most characters of one text output a view carries; a longer one shows its end and opens whole in an editor. */
export const TEXT_VIEW_CHARS = 200_000;

export interface ImageView {
  kind: 'image';
  id: string;
  mime: 'image/png';
  base64: string;
}

export interface FrameView {
  file: string;
  line: number;
  function?: string;
  /** True when the frame maps to a local file the host will open. */
  linked: boolean;
}

export interface ErrorView {
  kind: 'error';
  id: string;
  summary: string;
  traceback: TextSegment[];
  frames: FrameView[];
  pii?: OutputPiiView;
}

export type OutputView = TableView | TextView | ImageView | ErrorView;

export type RunState = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A fact as the webview gets it: a link is only a flag; the host keeps what it runs. */
export interface FactView {
  label: string;
  value: string;
  linked?: boolean;
  tooltip?: string;
}

export interface RunView {
  id: string;
  title: string;
  startedAt: number;
  state: RunState;
  facts: FactView[];
  outputs: OutputView[];
  cancellable: boolean;
}

/** Everything the panel shows except table rows, which are fetched by window. */
export interface PanelView {
  source: string;
  runs: RunView[];
  /** Set when the panel was revived after a reload and its data is gone. */
  notice?: string;
}

// ---- host → webview ------------------------------------------------------------------------

export type HostMessage =
  | { type: 'state'; view: PanelView }
  /** One window of rows, column by column (wire.ts); `count` rows from `start` in the order of `version`, masked as of `mask` (TableView.maskRevision). */
  | {
      type: 'rows';
      requestId: number;
      outputId: string;
      version: number;
      mask: number;
      start: number;
      count: number;
      columns: EncodedColumn[];
      rowCount: number | undefined;
    }
  | { type: 'chartData'; requestId: number; outputId: string; values: Array<Record<string, ResultCell>>; sampled: boolean }
  | { type: 'notice'; level: 'info' | 'error'; message: string }
  /** Asks the webview to render its open chart and send it back with this token (export command). */
  | { type: 'exportChart'; format: ChartFormat; token: number };

// ---- webview → host ------------------------------------------------------------------------

export type ExportFormat = 'csv' | 'json';
export type ChartFormat = 'png' | 'svg';

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'getRows'; requestId: number; outputId: string; start: number; count: number }
  | { type: 'sort'; outputId: string; sort: SortSpec | null }
  | { type: 'filter'; outputId: string; text: string }
  | { type: 'export'; outputId: string; format: ExportFormat }
  | { type: 'copy'; outputId: string; rowStart: number; rowEnd: number; colStart: number; colEnd: number; withHeader: boolean }
  | { type: 'chartData'; requestId: number; outputId: string; limit: number }
  /** token 0 means the user pressed the button: the host asks where to save. */
  | { type: 'exportChart'; format: ChartFormat; data: string; token: number }
  | { type: 'openFrame'; outputId: string; frame: number }
  /** Opens the whole of a (long) text output in an editor. */
  | { type: 'openText'; outputId: string }
  | { type: 'cancel'; runId: string }
  /** The user clicked a linked fact (by its index among the run's facts). */
  | { type: 'openFact'; runId: string; fact: number }
  | { type: 'cspViolation'; directive: string }
  /** Shows a masked column's real values (reveal true) or masks it again, for this result only. */
  | { type: 'revealColumn'; outputId: string; column: number; reveal: boolean }
  /** The same for a text or error output. */
  | { type: 'revealOutput'; outputId: string; reveal: boolean };

/** The most rows one getRows or copy may ask for. */
export const MAX_WINDOW_ROWS = 2_000;
export const MAX_COPY_ROWS = 100_000;
export const MAX_CHART_ROWS = 20_000;

type Field = 'string' | 'number' | 'boolean';
const SHAPES: { [K in WebviewMessage['type']]: Record<string, Field | 'sort'> } = {
  ready: {},
  getRows: { requestId: 'number', outputId: 'string', start: 'number', count: 'number' },
  sort: { outputId: 'string', sort: 'sort' },
  filter: { outputId: 'string', text: 'string' },
  export: { outputId: 'string', format: 'string' },
  copy: { outputId: 'string', rowStart: 'number', rowEnd: 'number', colStart: 'number', colEnd: 'number', withHeader: 'boolean' },
  chartData: { requestId: 'number', outputId: 'string', limit: 'number' },
  exportChart: { format: 'string', data: 'string', token: 'number' },
  openFrame: { outputId: 'string', frame: 'number' },
  openText: { outputId: 'string' },
  cancel: { runId: 'string' },
  openFact: { runId: 'string', fact: 'number' },
  cspViolation: { directive: 'string' },
  revealColumn: { outputId: 'string', column: 'number', reveal: 'boolean' },
  revealOutput: { outputId: 'string', reveal: 'boolean' },
};

function isSort(v: unknown): boolean {
  if (v === null) return true;
  if (typeof v !== 'object') return false;
  const s = v as Record<string, unknown>;
  return Number.isInteger(s.column) && (s.column as number) >= 0 && (s.direction === 'asc' || s.direction === 'desc');
}

/** Checks an untrusted message from the webview; returns undefined when it is not one we know. */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const msg = raw as Record<string, unknown>;
  const type = msg.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(SHAPES, type)) return undefined;
  const shape = SHAPES[type as WebviewMessage['type']];
  for (const [key, kind] of Object.entries(shape)) {
    const value = msg[key];
    if (kind === 'sort') {
      if (!isSort(value)) return undefined;
    } else if (kind === 'number') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return undefined;
    } else if (typeof value !== kind) return undefined;
  }
  if (type === 'export' && msg.format !== 'csv' && msg.format !== 'json') return undefined;
  if (type === 'exportChart' && msg.format !== 'png' && msg.format !== 'svg') return undefined;
  if (type === 'getRows' && (msg.count as number) > MAX_WINDOW_ROWS) return undefined;
  if (type === 'chartData' && (msg.limit as number) > MAX_CHART_ROWS) return undefined;
  if (type === 'copy' && ((msg.rowEnd as number) < (msg.rowStart as number) || (msg.colEnd as number) < (msg.colStart as number))) return undefined;
  return msg as unknown as WebviewMessage;
}

// ---- checks on the webview's side -----------------------------------------------------------

const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const OUTPUT_KINDS = new Set(['table', 'text', 'image', 'error']);

function isPii(v: unknown, counted: boolean): boolean {
  if (v === undefined) return true;
  if (!isObj(v) || !Array.isArray(v.kinds) || !v.kinds.every(isPiiKind) || typeof v.masked !== 'boolean') return false;
  return counted ? isInt(v.count) : typeof v.byName === 'boolean';
}

function isOutputView(o: unknown): boolean {
  if (!isObj(o) || typeof o.id !== 'string' || !OUTPUT_KINDS.has(o.kind as string)) return false;
  if (o.kind === 'table')
    return isInt(o.maskRevision) && Array.isArray(o.columns) && o.columns.every((c) => isObj(c) && typeof c.name === 'string' && isPii(c.pii, false));
  return isPii(o.pii, true);
}

function isPanelView(v: unknown): boolean {
  if (!isObj(v) || typeof v.source !== 'string' || !Array.isArray(v.runs)) return false;
  return v.runs.every(
    (r) =>
      isObj(r) &&
      typeof r.id === 'string' &&
      typeof r.title === 'string' &&
      Array.isArray(r.outputs) &&
      Array.isArray(r.facts) &&
      r.outputs.every(isOutputView),
  );
}

/** Checks a message from the host before the webview acts on it; undefined when it is not one we know. */
export function parseHostMessage(raw: unknown): HostMessage | undefined {
  if (!isObj(raw)) return undefined;
  const m = raw;
  switch (m.type) {
    case 'state':
      return isPanelView(m.view) ? (m as unknown as HostMessage) : undefined;
    case 'rows': {
      if (![m.requestId, m.version, m.mask, m.start, m.count].every(isInt) || typeof m.outputId !== 'string') return undefined;
      if (m.rowCount !== undefined && !isInt(m.rowCount)) return undefined;
      const count = m.count as number;
      if (!Array.isArray(m.columns) || !m.columns.every((c) => validEncodedColumn(c, count))) return undefined;
      return m as unknown as HostMessage;
    }
    case 'chartData':
      return isInt(m.requestId) && typeof m.outputId === 'string' && typeof m.sampled === 'boolean' && Array.isArray(m.values) && m.values.every(isObj)
        ? (m as unknown as HostMessage)
        : undefined;
    case 'notice':
      return (m.level === 'info' || m.level === 'error') && typeof m.message === 'string' ? (m as unknown as HostMessage) : undefined;
    case 'exportChart':
      return (m.format === 'png' || m.format === 'svg') && isInt(m.token) ? (m as unknown as HostMessage) : undefined;
    default:
      return undefined;
  }
}
