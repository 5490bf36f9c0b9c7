// What the Databricks SQL commands share, built once by src/wiring/databricksSql.ts: the
// services of the active workspace, the warehouse list and selection, the per-file engine, and
// runOnWarehouse — "run this SQL on the current warehouse and show it" with a progress
// notification and Cancel — which the SQL file commands, %sql cells and the Catalog view use.
import { ui } from '../../../editor/messages';
import * as vscode from 'vscode';
import { DatabricksHttpOptions } from '../../../databricks/http';
import { formatDuration } from '../../../aws/athena/cost';
import { Logger } from '../../../core/logger';
import type { ActiveConnection } from '../../../databricks/connection';
import { ShowStatementOptions, StatementPresenter, statementTitle, WarehouseRef } from '../../../databricks/sql/showStatement';
import { StatementApi } from '../../../databricks/sql/statementApi';
import { StatementOutcome, StatementRunner } from '../../../databricks/sql/statementRunner';
import { WarehousesService } from '../../../databricks/sql/warehouses';
import { WarehousesModel } from '../../../databricks/sql/warehousesModel';
import { SettingsService } from '../../../editor/settings';
import { SqlEngineSelection } from '../../../editor/sqlEngine';
import type { DatabricksNode } from '../../../views/databricks/nodes';
import { WarehouseNode } from '../../../views/databricks/warehousesTree';
import { WarehouseSelection } from '../../../views/databricks/warehouseSelection';
import { withCancellableProgress } from '../../../editor/progress';

export interface SqlServices {
  warehouses: WarehousesService;
  runner: StatementRunner;
}

export interface DatabricksSqlContext {
  connection: { current(): Promise<ActiveConnection>; invalidate?(): void };
  /** The services of the active workspace (rebuilt when it changes). */
  services(): Promise<SqlServices>;
  model: WarehousesModel;
  selection: WarehouseSelection;
  engines: SqlEngineSelection;
  statements: StatementPresenter;
  settings: SettingsService;
  logger: Logger;
  view?: vscode.TreeView<DatabricksNode>;
}

export interface RunOnWarehouseOptions {
  title?: string;
  catalog?: string;
  schema?: string;
  /** A warehouse other than the chosen one. */
  warehouse?: WarehouseRef;
  signal?: AbortSignal;
}

/** Builds the per-workspace services from a connection (cached by the wiring). */
export function sqlServicesFor(connection: ActiveConnection, httpOptions?: () => DatabricksHttpOptions): SqlServices {
  return { warehouses: new WarehousesService(connection), runner: new StatementRunner(new StatementApi(connection, undefined, httpOptions)) };
}

/**
 * Starts a stopped warehouse before a statement runs on it, asking first unless
 * ferry.databricks.autoStartWarehouse is on. A starting or running one is left alone.
 */
async function ensureStarted(ctx: DatabricksSqlContext, warehouse: WarehouseRef, services: SqlServices): Promise<boolean> {
  const known = ctx.model.find(warehouse.id) ?? (await services.warehouses.require(warehouse.id));
  if (known.state !== 'STOPPED' && known.state !== 'STOPPING') return true;
  if (!ctx.settings.get('databricks.autoStartWarehouse')) {
    const start = 'Start and Run';
    const always = 'Always Start';
    const pick = await ui.warn(
      `SQL warehouse "${known.name ?? known.id}" is ${String(known.state).toLowerCase()}. Start it and run the statement?`,
      start,
      always,
    );
    if (pick === always) await ctx.settings.update('databricks.autoStartWarehouse', true);
    if (pick !== start && pick !== always) return false;
  }
  await ctx.model.act(warehouse.id, 'start');
  return true;
}

/** Runs one statement on the warehouse with progress and Cancel, and shows it; undefined when the user declined. */
export async function runOnWarehouse(ctx: DatabricksSqlContext, sql: string, opts: RunOnWarehouseOptions = {}): Promise<StatementOutcome | undefined> {
  const warehouse = opts.warehouse ?? (await ctx.selection.require());
  const services = await ctx.services();
  if (!(await ensureStarted(ctx, warehouse, services))) return undefined;
  const title = opts.title ?? statementTitle(sql);
  const s = ctx.settings.value;
  const ctrl = new AbortController();
  return withCancellableProgress({ title: `Databricks SQL: ${title}`, controller: ctrl, linked: opts.signal }, async (_signal, progress) => {
    const show: ShowStatementOptions = {
      title,
      catalog: opts.catalog ?? (s['databricks.sqlCatalog'] || undefined),
      schema: opts.schema ?? (s['databricks.sqlSchema'] || undefined),
      disposition: s['databricks.sqlDisposition'],
      signal: ctrl.signal,
      onProgress: (p) => {
        const waiting = p.state === 'PENDING' ? ' (waiting for the warehouse)' : '';
        progress.report({ message: `${p.state}${waiting} · ${formatDuration(p.elapsedMs)}` });
        if (p.state === 'PENDING') ctx.model.watch(warehouse.id);
      },
    };
    return ctx.statements.runAndShow(services.runner, sql, warehouse, show);
  });
}

/** A warehouse from a tree node, an id argument, or the quick pick. */
export async function warehouseArg(ctx: DatabricksSqlContext, arg: unknown, title: string): Promise<WarehouseRef | undefined> {
  if (arg instanceof WarehouseNode) return { id: arg.warehouse.id, name: arg.warehouse.name };
  const picked = ctx.view?.selection[0];
  if (arg === undefined && picked instanceof WarehouseNode) return { id: picked.warehouse.id, name: picked.warehouse.name };
  if (typeof arg === 'string' && arg) return { id: arg, name: ctx.model.find(arg)?.name };
  return ctx.selection.pick({ remember: false, title });
}
