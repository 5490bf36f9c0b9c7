// The notebook kernel: a NotebookController "Databricks: <cluster>" for .ipynb notebooks and
// Databricks source notebooks. Each notebook gets its own persistent session on the folder's
// default cluster. Cells queue as Jupyter's do: Shift+Enter down a notebook runs every cell in
// order while earlier ones still run; an error or Interrupt clears the queue, and Interrupt
// cancels the running cell. Output appears in the running cell as the code prints.
import path from 'node:path';
import * as vscode from 'vscode';
import { ui } from '../editor/messages';
import { classifyError, ErrorAction, isCancellation } from '../core/errors';
import { Logger } from '../core/logger';
import { ResultOutput } from '../results/model';
import { appendTerminalText, visibleText } from '../results/terminalText';
import { DATABRICKS_NOTEBOOK_TYPE } from './databricksSourceSerializer';
import { toNotebookOutputs } from './notebookOutputs';
import { ResolvedTarget, RunController } from './runController';
import { isSqlMagic, sqlToPython, stripSqlMagic } from './service/sqlCell';
import type { SqlCellHook } from './sqlCellHook';
import type { DefaultCluster } from '../views/databricks/defaultCluster';

/** A warning with the error's actions as buttons (a cell output cannot carry buttons). */
function offerActions(message: string, actions: ErrorAction[]): void {
  void ui.warn(message, ...actions.map((a) => a.title)).then((picked) => {
    const action = actions.find((a) => a.title === picked);
    if (action) void vscode.commands.executeCommand(action.command, ...(action.args ?? []));
  });
}

export const KERNEL_ID = 'ferry.databricks.kernel';

/** What a cell runs: Python as it is; a SQL cell or a `%sql` cell through spark.sql. */
function cellCode(cell: vscode.NotebookCell): string {
  const text = cell.document.getText();
  if (cell.document.languageId === 'sql') return sqlToPython(text);
  if (isSqlMagic(text)) return sqlToPython(stripSqlMagic(text));
  return text;
}

interface QueuedCell {
  cell: vscode.NotebookCell;
  exec: vscode.NotebookCellExecution;
  ac: AbortController;
  started: boolean;
  sub: vscode.Disposable;
}

interface NotebookQueue {
  items: QueuedCell[];
  current?: QueuedCell;
  draining: boolean;
  pushed: boolean;
}

/** A running cell's outputs as they arrive: appended, the streamed text redrawn in place, at most every 200 ms. */
class LiveCellOutput {
  private chain: Thenable<void> = Promise.resolve();
  private text = '';
  private textOutput: vscode.NotebookCellOutput | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly exec: vscode.NotebookCellExecution) {}

  private then(step: () => Thenable<void>): void {
    this.chain = this.chain.then(step, step);
  }

  onText(chunk: string): void {
    this.text = appendTerminalText(this.text, chunk);
    if (!this.timer) this.timer = setTimeout(() => this.flushText(), 200);
  }

  private flushText(): void {
    this.timer = undefined;
    if (this.closed) return;
    const item = vscode.NotebookCellOutputItem.stdout(visibleText(this.text));
    const existing = this.textOutput;
    if (existing) this.then(() => this.exec.replaceOutputItems([item], existing));
    else {
      const out = new vscode.NotebookCellOutput([item]);
      this.textOutput = out;
      this.then(() => this.exec.appendOutput(out));
    }
  }

  onOutput(o: ResultOutput): void {
    if (this.closed) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.flushText();
    }
    // Text after this output starts a new text output, as in Jupyter.
    this.textOutput = undefined;
    this.text = '';
    this.then(() => this.exec.appendOutput(toNotebookOutputs([o])));
  }

  /** Stops streaming; the final outputs replace what was streamed. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.chain;
  }
}

export class DatabricksNotebookKernel implements vscode.Disposable {
  readonly controllers: vscode.NotebookController[];
  private order = 0;
  private readonly queues = new Map<string, NotebookQueue>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Set by the SQL warehouse area: a run of SQL cells may go to a warehouse when the notebook has no cluster. */
  sqlCells?: SqlCellHook;

  constructor(
    private readonly controller: RunController,
    private readonly defaultCluster: { tryGet(resource?: vscode.Uri): Promise<DefaultCluster | undefined>; onDidChange: vscode.Event<vscode.Uri | undefined> },
    private readonly logger: Logger,
  ) {
    this.controllers = [
      ['jupyter-notebook', KERNEL_ID],
      [DATABRICKS_NOTEBOOK_TYPE, `${KERNEL_ID}.source`],
    ].map(([type, id]) => {
      const c = vscode.notebooks.createNotebookController(id, type, 'Databricks');
      c.supportedLanguages = ['python', 'sql'];
      c.supportsExecutionOrder = true;
      c.description = 'Ferry: runs cells in a persistent Python session on the cluster';
      c.executeHandler = (cells, notebook) => this.enqueue(cells, notebook, c);
      c.interruptHandler = (notebook) => this.interrupt(notebook);
      return c;
    });
    this.subscriptions.push(defaultCluster.onDidChange(() => void this.updateLabel()));
    void this.updateLabel();
  }

  private async updateLabel(): Promise<void> {
    const cluster = await this.defaultCluster.tryGet();
    const label = !cluster
      ? 'Databricks (choose a cluster)'
      : cluster.kind === 'serverless'
        ? 'Databricks: Serverless (cells need a cluster)'
        : `Databricks: ${cluster.clusterName ?? cluster.clusterId}`;
    for (const c of this.controllers) c.label = label;
  }

  private queueOf(notebook: vscode.NotebookDocument): NotebookQueue {
    const key = notebook.uri.toString();
    let q = this.queues.get(key);
    if (!q) {
      q = { items: [], draining: false, pushed: false };
      this.queues.set(key, q);
    }
    return q;
  }

  /** Cells wait their turn: each shows as queued until the ones before it have run. */
  private enqueue(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument, nc: vscode.NotebookController): void {
    const q = this.queueOf(notebook);
    for (const cell of cells) {
      if (q.current?.cell === cell || q.items.some((i) => i.cell === cell)) continue;
      const exec = nc.createNotebookCellExecution(cell);
      const item: QueuedCell = { cell, exec, ac: new AbortController(), started: false, sub: { dispose: () => undefined } };
      item.sub = exec.token.onCancellationRequested(() => {
        if (item.started) item.ac.abort();
        else this.drop(q, item);
      });
      q.items.push(item);
    }
    if (!q.draining) void this.drain(notebook, q);
  }

  private drop(q: NotebookQueue, item: QueuedCell): void {
    const i = q.items.indexOf(item);
    if (i >= 0) q.items.splice(i, 1);
    item.sub.dispose();
    item.exec.start(Date.now());
    item.exec.end(undefined, Date.now());
  }

  private clearQueue(q: NotebookQueue): void {
    for (const item of [...q.items]) this.drop(q, item);
  }

  private interrupt(notebook: vscode.NotebookDocument): void {
    const q = this.queues.get(notebook.uri.toString());
    if (!q) return;
    this.clearQueue(q);
    q.current?.ac.abort();
  }

  private async drain(notebook: vscode.NotebookDocument, q: NotebookQueue): Promise<void> {
    q.draining = true;
    // Files are pushed before the first cell of each batch (edits made since go up with it).
    q.pushed = false;
    let resolved: ResolvedTarget | undefined;
    try {
      while (q.items.length) {
        const item = q.items.shift()!;
        q.current = item;
        try {
          // SQL cells of a notebook without a cluster may run on a SQL warehouse (the user's choice).
          const onWarehouse = await this.sqlCells?.runCell(item.cell, item.exec, notebook, item.ac.signal, () => ++this.order);
          if (onWarehouse !== undefined) {
            item.started = true;
            if (!onWarehouse) this.clearQueue(q);
            continue;
          }
          resolved ??= await this.controller.resolve(notebook.uri);
          const ok = await this.runCell(notebook, q, item, resolved);
          // As in Jupyter, an error stops the cells queued after it.
          if (!ok) this.clearQueue(q);
        } catch (err) {
          // Resolving the workspace or cluster failed before the cell ran: say so on the cell.
          if (!item.started) item.exec.start(Date.now());
          if (!isCancellation(err)) {
            const classified = classifyError(err);
            await item.exec.replaceOutput([
              new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name: 'Ferry', message: classified.message })]),
            ]);
            // Serverless chosen: the way forward (run the notebook as a job, or pick a cluster) is a click away.
            if (classified.kind === 'config') offerActions(classified.message, classified.actions);
          }
          item.exec.end(false, Date.now());
          this.clearQueue(q);
        } finally {
          item.sub.dispose();
          q.current = undefined;
        }
      }
    } finally {
      q.draining = false;
    }
  }

  /** Runs one cell; false when it failed or was cancelled (the rest of the queue is then dropped). */
  private async runCell(notebook: vscode.NotebookDocument, q: NotebookQueue, item: QueuedCell, resolved: ResolvedTarget): Promise<boolean> {
    const { exec, cell, ac } = item;
    const ws = await this.controller.workspace();
    const localFile =
      notebook.uri.scheme === 'file' ? notebook.uri.fsPath : path.join(resolved.localRoot, path.basename(notebook.uri.path) || 'notebook.ipynb');
    item.started = true;
    exec.executionOrder = ++this.order;
    exec.start(Date.now());
    await exec.clearOutput();
    const live = new LiveCellOutput(exec);
    try {
      const outcome = await ws.runService.run({
        // One session per notebook, as Jupyter has one kernel per notebook.
        target: { ...resolved.target, folder: notebook.uri.toString() },
        kind: 'notebookCell',
        code: cellCode(cell),
        localFile,
        push: q.pushed ? undefined : await this.controller.filesToPush(notebook.uri, resolved.localRoot),
        signal: ac.signal,
        onText: (chunk) => live.onText(chunk),
        onOutput: (o) => live.onOutput(o),
      });
      q.pushed = true;
      await live.close();
      await exec.replaceOutput(toNotebookOutputs(outcome.outputs));
      exec.end(outcome.state === 'succeeded', Date.now());
      if (outcome.lost) this.offerRunAgain(notebook, cell, outcome.lost);
      return outcome.state === 'succeeded';
    } catch (err) {
      await live.close();
      if (isCancellation(err)) {
        exec.end(false, Date.now());
        return false;
      }
      this.logger.error('notebook cell failed', err);
      await exec.replaceOutput([new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name: 'Ferry', message: classifyError(err).message })])]);
      exec.end(false, Date.now());
      return false;
    }
  }

  /** The cell may have partly run: running it again is the user's call. */
  private offerRunAgain(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell, message: string): void {
    const again = 'Run Again';
    void ui.warn(`Cell ${cell.index + 1}: ${message}`, again).then((pick) => {
      if (pick === again)
        void vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: notebook.uri });
    });
  }

  dispose(): void {
    for (const q of this.queues.values()) {
      q.current?.ac.abort();
      for (const item of q.items) item.sub.dispose();
    }
    for (const c of this.controllers) c.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
