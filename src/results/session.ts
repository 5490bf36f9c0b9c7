// The runs one panel shows (its history) and the outputs of each, as the host holds them. Pure:
// no editor API, so paging, sorting and the view sent to the webview are unit-tested in Node.
import { ansiToSegments } from './ansi';
import type { ErrorOutput, ResultFacts, ResultOutput, ResultRequest } from './model';
import { TEXT_VIEW_CHARS } from './protocol';
import type { OutputView, PanelView, RunState, RunView } from './protocol';
import { appendTerminalText, visibleText } from './terminalText';
import { TableStore, TableStoreOptions } from './tableStore';

interface HeldOutput {
  id: string;
  output: ResultOutput;
  store?: TableStore;
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

export class ResultSession {
  private runs: HeldRun[] = [];
  notice: string | undefined;

  constructor(
    readonly source: string,
    private readonly storeOptions: TableStoreOptions = {},
  ) {}

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
    run.outputs.push({ id: newId('out'), output: { ...output, rows: [] }, store });
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

  /** The whole text of a text output (for Open Full Text). */
  textOutput(outputId: string): string | undefined {
    const held = this.find(outputId);
    return held?.output.kind === 'text' ? visibleText(held.output.text) : undefined;
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
    return { source: this.source, notice: this.notice, runs: this.runs.map((r) => runView(r)) };
  }
}

function runView(run: HeldRun): RunView {
  return {
    id: run.id,
    title: run.title,
    startedAt: run.startedAt,
    state: run.state,
    facts: run.facts,
    cancellable: run.state === 'running' && !!run.onCancel,
    outputs: run.outputs.map(outputView),
  };
}

function outputView(held: HeldOutput): OutputView {
  const o = held.output;
  switch (o.kind) {
    case 'table': {
      const s = held.store!;
      return {
        kind: 'table',
        id: held.id,
        columns: o.columns.map((c) => ({ name: c.name, type: c.type, sourceType: c.sourceType })),
        rowCount: s.rowCount(),
        totalRows: s.totalRows(),
        truncated: !!o.truncated,
        truncationNote: o.truncationNote,
        sort: s.sort,
        filter: s.filter,
        sortable: s.sortable,
        version: s.version,
        busy: s.busy,
      };
    }
    case 'text': {
      const text = visibleText(o.text);
      if (text.length <= TEXT_VIEW_CHARS) return { kind: 'text', id: held.id, segments: ansiToSegments(text) };
      // Start the shown part at a line, so the first line is not cut in two.
      let from = text.length - TEXT_VIEW_CHARS;
      const nl = text.indexOf('\n', from);
      if (nl >= 0 && nl - from < 2_000) from = nl + 1;
      return { kind: 'text', id: held.id, segments: ansiToSegments(text.slice(from)), hiddenChars: from };
    }
    case 'image':
      return { kind: 'image', id: held.id, mime: 'image/png', base64: o.base64 };
    case 'error':
      return {
        kind: 'error',
        id: held.id,
        summary: o.summary,
        traceback: ansiToSegments(o.traceback),
        frames: o.frames.map((f) => ({ file: f.file, line: f.line, function: f.function, linked: !!f.localUri })),
      };
  }
}
