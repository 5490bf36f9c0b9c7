// ferry.databricks.startWarehouse: starts a stopped SQL warehouse; the list polls until it runs.
import * as vscode from 'vscode';
import type { FerryCommand } from '../../types';
import { DatabricksSqlContext, warehouseArg } from './context';

export function startWarehouseCommand(ctx: DatabricksSqlContext): FerryCommand {
  return {
    id: 'ferry.databricks.startWarehouse',
    run: async (arg?: unknown) => {
      const w = await warehouseArg(ctx, arg, 'Start SQL Warehouse');
      if (!w) return;
      await ctx.model.act(w.id, 'start');
      vscode.window.setStatusBarMessage(`Starting SQL warehouse ${w.name ?? w.id}…`, 5000);
    },
  };
}
