// SQL cells on a SQL warehouse: when a notebook's kernel has no cluster, a run of SQL cells (SQL
// cells, or `%sql` cells) may go to the chosen Databricks SQL warehouse instead, as the user
// chooses (ferry.databricks.sqlCellsWithoutCluster: ask, warehouse, cluster). The kernel calls
// this hook once per run (run), or once per queued cell (runCell); it says when to leave the
// cells to the cluster as before.
// Each statement of a cell runs in order through the Statement Execution API; the last one's
// first rows become the cell's table (the result viewer is not involved), with a note saying how
// many rows there were in all.
import { ui } from '../editor/messages';
import * as vscode from 'vscode';
import { classifyError, isCancellation } from '../core/errors';
import type { Logger } from '../core/logger';
import { splitStatements } from '../aws/athena/statements';
import type { StatementRunner } from '../databricks/sql/statementRunner';
import type { WarehouseRef } from '../databricks/sql/showStatement';
import type { SettingsService } from '../editor/settings';
import type { ResultOutput } from '../results/model';
import { toNotebookOutputs } from './notebookOutputs';
import { isSqlMagic, stripSqlMagic } from './service/sqlCell';

/** What the kernel calls (see DatabricksNotebookKernel.sqlCells). */
export interface SqlCellHook {
  /** Runs the cells on a warehouse and returns true, or returns false to leave them to the cluster. */
  run(
    cells: vscode.NotebookCell[],
    notebook: vscode.NotebookDocument,
    controller: vscode.NotebookController,
    signal: AbortSignal,
    nextOrder: () => number,
  ): Promise<boolean>;
  /**
   * The same for one cell whose execution the kernel already made (a kernel that queues cells):
   * true or false when it ran on the warehouse (succeeded or not), undefined to leave it to the cluster.
   */
  runCell(
    cell: vscode.NotebookCell,
    exec: vscode.NotebookCellExecution,
    notebook: vscode.NotebookDocument,
    signal: AbortSignal,
    nextOrder: () => number,
  ): Promise<boolean | undefined>;
}

/** The SQL of a notebook cell, or undefined when it is not a SQL cell. */
export function cellSql(cell: { document: { languageId: string; getText(): string } }): string | undefined {
  const text = cell.document.getText();
  if (cell.document.languageId === 'sql') return text;
  return isSqlMagic(text) ? stripSqlMagic(text) : undefined;
}

/** Rows a cell shows at most (a notebook's table output is a preview, as Databricks' 10,000-row display cap is). */
export const CELL_ROWS = 1000;

export interface WarehouseSqlCellsDeps {
  /** True when the notebook's kernel has a cluster (then cells run there, as before). */
  hasCluster(notebook: vscode.Uri): Promise<boolean>;
  /** The chosen warehouse, asking once when none is chosen. */
  warehouse(): Promise<WarehouseRef>;
  runner(): Promise<StatementRunner>;
  settings: SettingsService;
  logger: Logger;
}

export class WarehouseSqlCells implements SqlCellHook {
  /** Notebooks whose user said "run on the warehouse" this session. */
  private readonly agreed = new Set<string>();

  constructor(private readonly deps: WarehouseSqlCellsDeps) {}

  private async wanted(notebook: vscode.NotebookDocument, warehouse: () => Promise<WarehouseRef>): Promise<boolean> {
    const mode = this.deps.settings.get('databricks.sqlCellsWithoutCluster');
    if (mode === 'cluster') return false;
    if (mode === 'warehouse' || this.agreed.has(notebook.uri.toString())) return true;
    const w = await warehouse();
    const run = 'Run on Warehouse';
    const always = 'Always for SQL Cells';
    const cluster = 'Choose a Cluster';
    const pick = await ui.info(`This notebook has no cluster. Run its SQL cells on the SQL warehouse "${w.name ?? w.id}"?`, run, always, cluster);
    if (pick === always) await this.deps.settings.update('databricks.sqlCellsWithoutCluster', 'warehouse');
    if (pick === run || pick === always) {
      this.agreed.add(notebook.uri.toString());
      return true;
    }
    return false;
  }

  async run(
    cells: vscode.NotebookCell[],
    notebook: vscode.NotebookDocument,
    nc: vscode.NotebookController,
    signal: AbortSignal,
    nextOrder: () => number,
  ): Promise<boolean> {
    const sql = cells.map((c) => cellSql(c));
    if (!cells.length || sql.some((s) => s === undefined)) return false;
    const target = await this.target(notebook);
    if (!target) return false;
    for (let i = 0; i < cells.length; i++) {
      if (signal.aborted) break;
      if (!(await this.execute(sql[i]!, nc.createNotebookCellExecution(cells[i]), target, signal, nextOrder))) break;
    }
    return true;
  }

  async runCell(
    cell: vscode.NotebookCell,
    exec: vscode.NotebookCellExecution,
    notebook: vscode.NotebookDocument,
    signal: AbortSignal,
    nextOrder: () => number,
  ): Promise<boolean | undefined> {
    const sql = cellSql(cell);
    if (sql === undefined) return undefined;
    const target = await this.target(notebook);
    if (!target) return undefined;
    return this.execute(sql, exec, target, signal, nextOrder);
  }

  /** The warehouse and runner for a notebook's SQL cells, or undefined when they go to the cluster. */
  private async target(notebook: vscode.NotebookDocument): Promise<{ w: WarehouseRef; runner: StatementRunner } | undefined> {
    if (await this.deps.hasCluster(notebook.uri)) return undefined;
    let chosen: WarehouseRef | undefined;
    const warehouse = async () => (chosen ??= await this.deps.warehouse());
    if (!(await this.wanted(notebook, warehouse))) return undefined;
    return { w: await warehouse(), runner: await this.deps.runner() };
  }

  /** Runs one cell's SQL into its execution; false when it failed or was cancelled. */
  private async execute(
    sql: string,
    exec: vscode.NotebookCellExecution,
    target: { w: WarehouseRef; runner: StatementRunner },
    signal: AbortSignal,
    nextOrder: () => number,
  ): Promise<boolean> {
    const { w, runner } = target;
    exec.executionOrder = nextOrder();
    exec.start(Date.now());
    await exec.clearOutput();
    try {
      const outputs = await this.runSql(runner, sql, w, signal);
      await exec.replaceOutput(toNotebookOutputs(outputs));
      exec.end(true, Date.now());
      return true;
    } catch (err) {
      if (isCancellation(err)) {
        exec.end(false, Date.now());
        return false;
      }
      this.deps.logger.warn(`SQL cell failed on warehouse ${w.id}`, err);
      const message = classifyError(err).message;
      await exec.replaceOutput(toNotebookOutputs([{ kind: 'error', summary: `SQLError: ${message.split('\n')[0]}`, traceback: message, frames: [] }]));
      exec.end(false, Date.now());
      return false;
    }
  }

  private async runSql(runner: StatementRunner, text: string, w: WarehouseRef, signal: AbortSignal): Promise<ResultOutput[]> {
    const statements = splitStatements(text).map((s) => s.text);
    if (!statements.length) return [];
    let last;
    for (const statement of statements) last = await runner.run(statement, { warehouseId: w.id, signal });
    if (!last?.rows) return [{ kind: 'text', text: `Statement succeeded on ${w.name ?? w.id}.` }];
    const rows = await last.rows.getRows(0, CELL_ROWS, signal);
    const total = last.totalRows;
    const shown = rows.length < total;
    return [
      {
        kind: 'table',
        columns: last.columns,
        rows,
        truncated: shown,
        truncationNote: shown ? `first ${rows.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows` : undefined,
      },
    ];
  }
}
