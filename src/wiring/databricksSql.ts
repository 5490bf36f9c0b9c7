// Wires Databricks SQL (owned by the SQL warehouse area): the per-file SQL engine, the SQL
// Warehouses view and its polling, the warehouse picker in the status bar, the SQL CodeLens, the
// commands, the %sql-cell hook for the notebook kernel, and `api` — what other areas (the Catalog
// view's Preview Table / Generate SELECT) call to run SQL on the current warehouse and show it.
import * as vscode from 'vscode';
import { DatabricksSqlContext, runOnWarehouse, SqlServices, sqlServicesFor } from '../commands/databricks/sql/context';
import { refreshWarehousesCommand } from '../commands/databricks/sql/refreshWarehouses';
import { runSqlCommand } from '../commands/databricks/sql/runSql';
import { selectWarehouseCommand } from '../commands/databricks/sql/selectWarehouse';
import { startWarehouseCommand } from '../commands/databricks/sql/startWarehouse';
import { stopWarehouseCommand } from '../commands/databricks/sql/stopWarehouse';
import { runSqlFileCommand } from '../commands/sql/run';
import { selectEngineCommand } from '../commands/sql/selectEngine';
import type { ActiveConnection } from '../databricks/connection';
import { StatementPresenter, WarehouseRef } from '../databricks/sql/showStatement';
import type { StatementOutcome } from '../databricks/sql/statementRunner';
import { WarehousesModel } from '../databricks/sql/warehousesModel';
import { SqlEngineSelection } from '../editor/sqlEngine';
import { SqlCellHook, WarehouseSqlCells } from '../run/sqlCellHook';
import { DatabricksNode, isNotConfigured } from '../views/databricks/nodes';
import { WarehouseSelection } from '../views/databricks/warehouseSelection';
import { WarehousesTreeProvider } from '../views/databricks/warehousesTree';
import { SqlCodeLensProvider } from '../views/sql/sqlCodeLens';
import type { DatabricksWiring } from './databricks';
import type { ResultsWiring } from './results';
import type { AreaWiring, CoreServices } from './types';

/** Run SQL on the current SQL warehouse and show it (for other areas, e.g. the Catalog view). */
export interface DatabricksSqlApi {
  /**
   * Runs one statement on the chosen warehouse (asking for one when none is chosen; offering to
   * start a stopped one), with a progress notification and Cancel, and shows it in the result
   * viewer's `databricks:sql` panel: the grid pages the result chunk by chunk, export streams it.
   * Resolves with the outcome (undefined when the user declined); rejects, after showing the
   * failure in the viewer, with a StatementFailedError carrying the warehouse's message.
   */
  runAndShow(sql: string, opts?: { title?: string; catalog?: string; schema?: string }): Promise<StatementOutcome | undefined>;
  /** The chosen warehouse of the active workspace, without asking. */
  currentWarehouse(): Promise<WarehouseRef | undefined>;
}

export interface DatabricksSqlWiring extends AreaWiring {
  engines: SqlEngineSelection;
  api: DatabricksSqlApi;
  /** The notebook kernel's SQL-cell hook (DatabricksNotebookKernel.sqlCells). */
  sqlCells: SqlCellHook;
}

export function wireDatabricksSql(core: CoreServices, deps: { databricks: DatabricksWiring; results: ResultsWiring }): DatabricksSqlWiring {
  const { context, settings } = core;
  const logger = core.logger.scoped('databricks');
  const connection = deps.databricks.connection;
  let cached: { conn: ActiveConnection; services: SqlServices } | undefined;
  const services = async (): Promise<SqlServices> => {
    const conn = await connection.current();
    if (cached?.conn !== conn) cached = { conn, services: sqlServicesFor(conn, () => core.network.current().createAgents()) };
    return cached.services;
  };
  const configured = () =>
    connection.current().then(
      () => true,
      (err: unknown) => !isNotConfigured(err),
    );
  const engines = new SqlEngineSelection(context.workspaceState, settings, configured);
  const model = new WarehousesModel(async () => (await services()).warehouses);
  model.setVisible(false);
  const selection = new WarehouseSelection(
    context.workspaceState,
    { current: () => connection.current(), onDidChange: (l) => connection.onDidChange(l) },
    model,
    engines,
  );
  const tree = new WarehousesTreeProvider(model, { current: () => connection.current() }, selection);
  const view = vscode.window.createTreeView<DatabricksNode>('ferry.databricks.warehouses', { treeDataProvider: tree });
  const lenses = new SqlCodeLensProvider(engines, selection);

  context.subscriptions.push(
    engines,
    selection,
    tree,
    view,
    lenses,
    { dispose: () => model.dispose() },
    connection.onDidChange(() => model.reset()),
    view.onDidChangeVisibility((e) => model.setVisible(e.visible)),
    vscode.languages.registerCodeLensProvider({ language: 'sql' }, lenses),
  );
  if (view.visible) model.setVisible(true);

  const ctx: DatabricksSqlContext = {
    connection,
    services,
    model,
    selection,
    engines,
    statements: new StatementPresenter(deps.results.presenter, logger),
    settings,
    logger,
    view,
  };
  const sqlCells = new WarehouseSqlCells({
    // A default cluster means the kernel has one. (When Serverless becomes a default-cluster choice,
    // it is no cluster for the 1.2 API: count it as none here.)
    // Serverless has no cluster session: its SQL cells may go to the warehouse too.
    hasCluster: async (uri) => (await deps.databricks.defaultCluster.tryGet(uri))?.kind === 'cluster',
    warehouse: () => selection.require(),
    runner: async () => (await services()).runner,
    settings,
    logger,
  });
  return {
    engines,
    sqlCells,
    api: { runAndShow: (sql, opts) => runOnWarehouse(ctx, sql, opts), currentWarehouse: () => selection.current() },
    commands: [
      runSqlCommand(ctx),
      selectWarehouseCommand(ctx),
      startWarehouseCommand(ctx),
      stopWarehouseCommand(ctx),
      refreshWarehousesCommand(ctx),
      runSqlFileCommand(engines),
      selectEngineCommand(engines),
    ],
  };
}
