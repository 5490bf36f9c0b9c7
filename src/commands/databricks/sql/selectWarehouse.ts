// ferry.databricks.selectWarehouse: the warehouse Databricks SQL files and %sql cells run on —
// from the status bar (a quick pick with each warehouse's state) or a warehouse in the view.
import type { FerryCommand } from '../../types';
import { WarehouseNode } from '../../../views/databricks/warehousesTree';
import { DatabricksSqlContext } from './context';

export function selectWarehouseCommand(ctx: DatabricksSqlContext): FerryCommand {
  return {
    id: 'ferry.databricks.selectWarehouse',
    run: async (arg?: unknown) => {
      if (arg instanceof WarehouseNode) {
        await ctx.selection.set(arg.warehouse);
        return arg.warehouse.id;
      }
      if (typeof arg === 'string' && arg) {
        await ctx.selection.set({ id: arg, name: ctx.model.find(arg)?.name });
        return arg;
      }
      return (await ctx.selection.pick())?.id;
    },
  };
}
