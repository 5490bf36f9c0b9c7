// The runs one panel shows (its history) and the outputs of each, as the host holds them. Pure:
// no editor API, so paging, sorting and the view sent to the webview are unit-tested in Node.
import { PiiTableGuard } from '../core/pii/tableGuard';
import { ansiToSegments } from './ansi';
import type { ErrorOutput, FactLink, ResultCell, ResultFacts, ResultOutput, ResultRequest, TableOutput } from './model';
import { TEXT_VIEW_CHARS } from './protocol';
import type { OutputPiiView, OutputView, PanelView, RunState, RunView, TableView } from './protocol';
import { guardedText, PII_SAMPLE_ROWS } from './pii';
import { appendTerminalText, visibleText } from './terminalText';
import { TableStore, TableStoreOptions } from './tableStore';

interface HeldOutput {
  id: string;
  output: ResultOutput;
  store?: TableStore;
  /** What the PII guard knows of a table's columns, and which the user revealed. */
  pii?: PiiTableGuard;
  /** A text or error output the user revealed (its personal data shown). */
  revealed?: boolean;
  /** Text that grows as a run prints (appendText joins it). */
  streamed?: boolean;
}

interface HeldRun {
  id: string;
  title: string;
  startedAt: number;
  state: RunState;
  facts: ResultFacts;
  outputs: HeldOutput[];
  onCancel?: () => void;
}

/** How many runs a panel keeps; older ones (and their rows) are dropped. */
export const RUN_HISTORY = 10;
/** Cells of in-memory tables a panel keeps across its history (about 1.5 million rows × 20); older runs go first. */
export const MAX_HELD_CELLS = 30_000_000;

let nextId = 1;
function newId(prefix: string): string {
  return `${prefix}${nextId++}`;
}

export interface SessionOptions {
  /** Whether the PII guard masks personal data (the `ferry.pii.guard` setting; default on). */
  piiGuard?: boolean;
}

export class ResultSession {
  private runs: HeldRun[] = [];
  notice: string | undefined;
  private guardOn: boolean;

  constructor(
    readonly source: string,
    private readonly storeOptions: TableStoreOptions = {},
    options: SessionOptions = {},
  ) {
    this.guardOn = options.piiGuard ?? true;
  }

  get piiGuard(): boolean {
    return this.guardOn;
  }

  /** Switches the guard; every table's served windows become stale. True when that changed anything. */
  setPiiGuard(on: boolean): boolean {
    if (on === this.guardOn) return false;
    this.guardOn = on;
    for (const run of this.runs) for (const o of run.outputs) o.pii?.invalidate();
    return true;
  }

  addRun(request: ResultRequest): string {
    const run: HeldRun = {
      id: newId('run'),
      title: request.title,
      startedAt: Date.now(),
      state: request.onCancel ? 'running' : 'succeeded',
      facts: request.facts ?? [],
      outputs: [],
      onCancel: request.onCancel,
    };
    for (const output of request.outputs) this.hold(run, output);
    this.runs.push(run);
    if (this.runs.length > RUN_HISTORY) this.runs.splice(0, this.runs.length - RUN_HISTORY);
    while (this.runs.length > 1 && this.heldCells() > MAX_HELD_CELLS) this.runs.shift();
    return run.id;
  }

  private hold(run: HeldRun, output: ResultOutput, streamed = false): void {
    if (output.kind !== 'table') {
      run.outputs.push({ id: newId('out'), output, streamed });
      return;
    }
    // The store keeps the rows (as columns); the output is kept without them so the caller's row
    // arrays can be collected once they are taken in.
    const store = new TableStore(output, this.storeOptions);
    // The guard's first verdicts come from the first rows, before anything is shown (a paged
    // source's from its first window, as it is served).
    const pii = new PiiTableGuard(output.columns);
    if (Array.isArray(output.rows)) pii.sample(output.rows.slice(0, PII_SAMPLE_ROWS));
    store.unsearched = () => (this.guardOn ? pii.maskedColumns() : []);
    run.outputs.push({ id: newId('out'), output: { ...output, rows: [] }, store, pii });
  }

  append(runId: string, output: ResultOutput): void {
    const run = this.run(runId);
    if (run) this.hold(run, output);
  }

  /** Printed text as it arrives: joins the run's last output when that is streamed text. */
  appendText(runId: string, chunk: string): void {
    const run = this.run(runId);
    if (!run || !chunk) return;
    const last = run.outputs[run.outputs.length - 1];
    if (last?.streamed && last.output.kind === 'text') last.output = { kind: 'text', text: appendTerminalText(last.output.text, chunk) };
    else this.hold(run, { kind: 'text', text: appendTerminalText('', chunk) }, true);
  }

  /** The whole text of a text output (for Open Full Text), masked unless revealed. */
  textOutput(outputId: string): string | undefined {
    const held = this.find(outputId);
    if (held?.output.kind !== 'text') return undefined;
    const text = visibleText(held.output.text);
    return this.masks(held) ? guardedText(text).text : text;
  }

  private masks(held: HeldOutput): boolean {
    return this.guardOn && !held.revealed;
  }

  /** A window as the viewer may show it (personal data masked), and whether a column's verdict changed. */
  shownWindow(outputId: string, columns: ResultCell[][]): { columns: ResultCell[][]; changed: boolean; mask: number } {
    const held = this.find(outputId);
    const pii = held?.pii;
    if (!pii) return { columns, changed: false, mask: 0 };
    if (!this.guardOn) return { columns, changed: false, mask: pii.revision };
    const before = pii.changes;
    const shown = pii.window(columns);
    return { columns: shown, changed: pii.changes !== before, mask: pii.revision };
  }

  /** Rows (copy, chart data, a masked export) as the viewer may show them. */
  shownRows(outputId: string, rows: ResultCell[][]): ResultCell[][] {
    const pii = this.find(outputId)?.pii;
    return pii && this.guardOn ? pii.rows(rows) : rows;
  }

  /** Names of a table's columns masked now (empty when the guard is off or all are revealed). */
  maskedColumns(outputId: string): string[] {
    const held = this.find(outputId);
    if (!held?.pii || !this.guardOn || held.output.kind !== 'table') return [];
    const cols = held.output.columns;
    return held.pii.maskedColumns().map((c) => cols[c]?.name ?? `column ${c + 1}`);
  }

  /** Reveals (or masks again) one column of a table; true when that changed what is shown. */
  revealColumn(outputId: string, column: number, reveal: boolean): boolean {
    return this.find(outputId)?.pii?.reveal(column, reveal) ?? false;
  }

  /** Reveals (or masks again) a text or error output. */
  revealOutput(outputId: string, reveal: boolean): boolean {
    const held = this.find(outputId);
    if (!held || (held.output.kind !== 'text' && held.output.kind !== 'error') || !!held.revealed === reveal) return false;
    held.revealed = reveal;
    return true;
  }

  setFacts(runId: string, facts: ResultFacts): void {
    const run = this.run(runId);
    if (run) run.facts = facts;
  }

  finish(runId: string, state: 'succeeded' | 'failed' | 'cancelled'): void {
    const run = this.run(runId);
    if (run) {
      run.state = state;
      run.onCancel = undefined;
    }
  }

  /** What a linked fact opens; undefined when the run or the link is gone. */
  factLink(runId: string, index: number): FactLink | undefined {
    return this.run(runId)?.facts[index]?.link;
  }

  cancel(runId: string): boolean {
    const run = this.run(runId);
    if (!run?.onCancel || run.state !== 'running') return false;
    run.onCancel();
    return true;
  }

  private heldCells(): number {
    let cells = 0;
    for (const run of this.runs) for (const o of run.outputs) if (o.store?.sortable) cells += (o.store.totalRows() ?? 0) * o.store.columns.length;
    return cells;
  }

  run(runId: string): HeldRun | undefined {
    return this.runs.find((r) => r.id === runId);
  }

  latestRunId(): string | undefined {
    return this.runs[this.runs.length - 1]?.id;
  }

  /** Tables still being taken in (converted to columns). */
  loadingTables(): TableStore[] {
    return this.runs.flatMap((r) => r.outputs.map((o) => o.store).filter((s): s is TableStore => s?.busy === 'loading'));
  }

  table(outputId: string): TableStore | undefined {
    return this.find(outputId)?.store;
  }

  errorOutput(outputId: string): ErrorOutput | undefined {
    const held = this.find(outputId);
    return held?.output.kind === 'error' ? held.output : undefined;
  }

  /** The first table of the newest run that has one (what export commands act on). */
  latestTableId(): string | undefined {
    for (let r = this.runs.length - 1; r >= 0; r--) {
      const table = this.runs[r].outputs.find((o) => o.store);
      if (table) return table.id;
    }
    return undefined;
  }

  private find(outputId: string): HeldOutput | undefined {
    for (const run of this.runs) {
      const found = run.outputs.find((o) => o.id === outputId);
      if (found) return found;
    }
    return undefined;
  }

  view(): PanelView {
    return { source: this.source, notice: this.notice, runs: this.runs.map((r) => runView(r, this.guardOn)) };
  }
}

function runView(run: HeldRun, guard: boolean): RunView {
  return {
    id: run.id,
    title: run.title,
    startedAt: run.startedAt,
    state: run.state,
    facts: run.facts.map((f) => ({ label: f.label, value: f.value, ...(f.link ? { linked: true, tooltip: f.link.tooltip } : {}) })),
    cancellable: run.state === 'running' && !!run.onCancel,
    outputs: run.outputs.map((o) => outputView(o, guard)),
  };
}

/** Masks texts (of one output) unless the guard is off or the output revealed; says what it found. */
function guarded(held: HeldOutput, guard: boolean, texts: string[]): { texts: string[]; pii?: OutputPiiView } {
  if (!guard) return { texts };
  const found = texts.map(guardedText);
  const spans = found.flatMap((f) => f.spans);
  if (!spans.length) return { texts };
  const pii: OutputPiiView = { kinds: [...new Set(spans.map((s) => s.kind))], count: spans.length, masked: !held.revealed };
  return { texts: held.revealed ? texts : found.map((f) => f.text), pii };
}

function outputView(held: HeldOutput, guard: boolean): OutputView {
  const o = held.output;
  switch (o.kind) {
    case 'table': {
      const s = held.store!;
      const pii = held.pii!;
      return {
        kind: 'table',
        id: held.id,
        columns: o.columns.map((c, i) => {
          const verdict = guard ? pii.verdict(i) : undefined;
          return {
            name: c.name,
            type: c.type,
            sourceType: c.sourceType,
            pii: verdict && { kinds: verdict.kinds, byName: verdict.byName, masked: !verdict.revealed },
          };
        }),
        rowCount: s.rowCount(),
        totalRows: s.totalRows(),
        truncated: !!o.truncated,
        truncationNote: o.truncationNote,
        sort: s.sort,
        filter: s.filter,
        sortable: s.sortable,
        version: s.version,
        busy: s.busy,
        maskRevision: pii.revision,
        ...(o.chart ? { chart: chartView(o) } : {}),
      };
    }
    case 'text': {
      const text = visibleText(o.text);
      let from = 0;
      if (text.length > TEXT_VIEW_CHARS) {
        // Start the shown part at a line, so the first line is not cut in two.
        from = text.length - TEXT_VIEW_CHARS;
        const nl = text.indexOf('\n', from);
        if (nl >= 0 && nl - from < 2_000) from = nl + 1;
      }
      // Only the part shown is scanned (a long output's hidden start opens in an editor, masked there).
      const shown = guarded(held, guard, [from ? text.slice(from) : text]);
      return { kind: 'text', id: held.id, segments: ansiToSegments(shown.texts[0]), hiddenChars: from || undefined, pii: shown.pii };
    }
    case 'image':
      return { kind: 'image', id: held.id, mime: 'image/png', base64: o.base64 };
    case 'error': {
      // The summary and the traceback share one count and one Reveal.
      const both = guarded(held, guard, [o.summary, o.traceback]);
      return {
        kind: 'error',
        id: held.id,
        summary: both.texts[0],
        traceback: ansiToSegments(both.texts[1]),
        frames: o.frames.map((f) => ({ file: f.file, line: f.line, function: f.function, linked: !!f.localUri })),
        pii: both.pii,
      };
    }
  }
}

/** A preset's columns by index; a preset naming a column the table lacks is dropped. */
function chartView(o: TableOutput): TableView['chart'] {
  const preset = o.chart!;
  const at = (name: string | undefined) => (name === undefined ? -1 : o.columns.findIndex((c) => c.name === name));
  const x = at(preset.x);
  const y = at(preset.y);
  if (x < 0 || y < 0) return undefined;
  return { mark: preset.mark, x, y, color: at(preset.color), grouped: preset.grouped };
}
