// What every area hands to the result viewer. Pure types and small helpers, no editor API, so the
// services (Athena, S3 previews, Databricks runs) can build outputs in plain Node.
// The result viewer owns how these are shown; this file is the contract between areas.

export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp' | 'json' | 'binary' | 'unknown';

export interface ResultColumn {
  name: string;
  type: ColumnType;
  /** The type as the source named it (Athena's `varchar`, pandas' `int64`, Parquet's `INT64`). */
  sourceType?: string;
}

/** One cell: null is a real NULL, distinct from the empty string. */
export type ResultCell = string | number | boolean | null;

/** Rows the host can fetch by window (Athena's GetQueryResults pages, a streamed S3 object). */
export interface RowSource {
  /** Total rows when known; undefined while more may come. */
  rowCount(): number | undefined;
  /** Rows [start, start + count), loading more from the source as needed. */
  getRows(start: number, count: number, signal?: AbortSignal): Promise<ResultCell[][]>;
  /** Every row, for sort, filter and export (may stream the whole result from its origin). */
  allRows?(signal?: AbortSignal): AsyncIterable<ResultCell[][]>;
}

/** A chart the viewer opens with its table at once (a metric's history, a distribution), columns named. */
export interface ChartPreset {
  mark: 'line' | 'bar' | 'scatter' | 'histogram';
  x: string;
  y: string;
  color?: string;
  /** Bars of each colour side by side rather than stacked. */
  grouped?: boolean;
}

export interface TableOutput {
  kind: 'table';
  columns: ResultColumn[];
  /** Rows held in memory (the host sorts and filters them), or a paged source. */
  rows: ResultCell[][] | RowSource;
  /** True when the source cut the result (e.g. a preview that read only the first rows). */
  truncated?: boolean;
  /** A sentence about the truncation shown to the user ("first 10,000 of about 2.1 million rows"). */
  truncationNote?: string;
  /** Opens the quick chart with this choice (the user can still change it). */
  chart?: ChartPreset;
}

export interface TextOutput {
  kind: 'text';
  /** May contain ANSI colour escapes. */
  text: string;
}

export interface ImageOutput {
  kind: 'image';
  mime: 'image/png';
  base64: string;
}

export interface TracebackFrame {
  /** The path as the remote side printed it (`/Workspace/Users/a/ferry/proj/train.py`). */
  file: string;
  line: number;
  /** The local file this frame maps to (a file: URI string), when it maps. */
  localUri?: string;
  function?: string;
}

export interface ErrorOutput {
  kind: 'error';
  /** One line: `ValueError: bad shape`. */
  summary: string;
  /** The full traceback text (may contain ANSI escapes). */
  traceback: string;
  frames: TracebackFrame[];
}

export type ResultOutput = TableOutput | TextOutput | ImageOutput | ErrorOutput;

/** A Ferry command a fact's value opens when clicked (the MLflow run a run logged to). */
export interface FactLink {
  /** A `ferry.*` command id; the host runs nothing else. */
  command: string;
  args?: unknown[];
  tooltip?: string;
}

/** Key facts shown above the outputs (data scanned, cost, engine time, duration, state). */
export type ResultFacts = Array<{ label: string; value: string; link?: FactLink }>;

export interface ResultRequest {
  /** Where the result came from; outputs of one source share a panel (e.g. `athena`, `databricks:run`, `s3:preview`). */
  source: string;
  title: string;
  outputs: ResultOutput[];
  facts?: ResultFacts;
  /** Called when the user presses Cancel in the viewer while the run is still going. */
  onCancel?: () => void;
}

/** A shown result that may still grow (a cell's outputs arrive as they come). */
export interface ResultHandle {
  append(output: ResultOutput): void;
  /** Printed text as it arrives: joins the run's last streamed text, a carriage return redrawing its line. */
  appendText(chunk: string): void;
  setFacts(facts: ResultFacts): void;
  /** Marks the run finished (hides Cancel). */
  finish(state: 'succeeded' | 'failed' | 'cancelled'): void;
}

/** What areas call to show results. Implemented by the result viewer in src/results/. */
export interface ResultPresenter {
  show(request: ResultRequest): ResultHandle;
}
