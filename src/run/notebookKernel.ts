// The notebook kernel: a NotebookController "Databricks: <cluster>" for .ipynb notebooks and
// Databricks source notebooks. Each notebook gets its own persistent session on the folder's
// default cluster; every output of a cell is shown; interrupt cancels the running command.
import path from 'node:path';
import * as vscode from 'vscode';
import { classifyError, isCancellation } from '../core/errors';
import { Logger } from '../core/logger';
import { DATABRICKS_NOTEBOOK_TYPE } from './databricksSourceSerializer';
import { toNotebookOutputs } from './notebookOutputs';
import { RunController } from './runController';
import { isSqlMagic, sqlToPython, stripSqlMagic } from './service/sqlCell';

export const KERNEL_ID = 'ferry.databricks.kernel';

/** What a cell runs: Python as it is; a SQL cell or a `%sql` cell through spark.sql. */
function cellCode(cell: vscode.NotebookCell): string {
  const text = cell.document.getText();
  if (cell.document.languageId === 'sql') return sqlToPython(text);
  if (isSqlMagic(text)) return sqlToPython(stripSqlMagic(text));
  return text;
}

export class DatabricksNotebookKernel implements vscode.Disposable {
  readonly controllers: vscode.NotebookController[];
  private order = 0;
  private readonly inFlight = new Map<string, AbortController>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly controller: RunController,
    private readonly defaultCluster: { tryGet(resource?: vscode.Uri): Promise<{ clusterId: string; clusterName?: string } | undefined>; onDidChange: vscode.Event<vscode.Uri | undefined> },
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
      c.executeHandler = (cells, notebook) => this.execute(cells, notebook, c);
      c.interruptHandler = (notebook) => this.interrupt(notebook);
      return c;
    });
    this.subscriptions.push(defaultCluster.onDidChange(() => void this.updateLabel()));
    void this.updateLabel();
  }

  private async updateLabel(): Promise<void> {
    const cluster = await this.defaultCluster.tryGet();
    for (const c of this.controllers) c.label = cluster ? `Databricks: ${cluster.clusterName ?? cluster.clusterId}` : 'Databricks (choose a cluster)';
  }

  private interrupt(notebook: vscode.NotebookDocument): void {
    this.inFlight.get(notebook.uri.toString())?.abort();
  }

  private async execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument, nc: vscode.NotebookController): Promise<void> {
    const key = notebook.uri.toString();
    const ac = new AbortController();
    this.inFlight.get(key)?.abort();
    this.inFlight.set(key, ac);
    try {
      const ws = await this.controller.workspace();
      const resolved = await this.controller.resolve(notebook.uri);
      const localFile = notebook.uri.scheme === 'file' ? notebook.uri.fsPath : path.join(resolved.localRoot, path.basename(notebook.uri.path) || 'notebook.ipynb');
      let pushed = false;
      for (const cell of cells) {
        if (ac.signal.aborted) break;
        const exec = nc.createNotebookCellExecution(cell);
        exec.executionOrder = ++this.order;
        exec.start(Date.now());
        await exec.clearOutput();
        const sub = exec.token.onCancellationRequested(() => ac.abort());
        try {
          const outcome = await ws.runService.run({
            // One session per notebook, as Jupyter has one kernel per notebook.
            target: { ...resolved.target, folder: key },
            kind: 'notebookCell',
            code: cellCode(cell),
            localFile,
            push: pushed ? undefined : await this.controller.filesToPush(notebook.uri, resolved.localRoot),
            signal: ac.signal,
          });
          pushed = true;
          await exec.replaceOutput(toNotebookOutputs(outcome.outputs));
          exec.end(outcome.state === 'succeeded', Date.now());
          if (outcome.state === 'cancelled') break;
        } catch (err) {
          if (isCancellation(err)) {
            exec.end(false, Date.now());
            break;
          }
          this.logger.error('notebook cell failed', err);
          await exec.replaceOutput([new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name: 'Ferry', message: classifyError(err).message })])]);
          exec.end(false, Date.now());
          break;
        } finally {
          sub.dispose();
        }
      }
    } catch (err) {
      // Resolving the workspace or cluster failed before any cell ran: say so on the first cell.
      if (!isCancellation(err) && cells[0]) {
        const exec = nc.createNotebookCellExecution(cells[0]);
        exec.start(Date.now());
        await exec.replaceOutput([new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name: 'Ferry', message: classifyError(err).message })])]);
        exec.end(false, Date.now());
      }
    } finally {
      if (this.inFlight.get(key) === ac) this.inFlight.delete(key);
    }
  }

  dispose(): void {
    for (const ac of this.inFlight.values()) ac.abort();
    for (const c of this.controllers) c.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
