// ferry.databricks.stopWarehouse: stops a SQL warehouse (statements running on it end), after asking.
import { ui } from '../../../editor/messages';
import { CancelledError } from '../../../core/errors';
import type { FerryCommand } from '../../types';
import { DatabricksSqlContext, warehouseArg } from './context';

export function stopWarehouseCommand(ctx: DatabricksSqlContext): FerryCommand {
  return {
    id: 'ferry.databricks.stopWarehouse',
    run: async (arg?: unknown, confirmed?: unknown) => {
      const w = await warehouseArg(ctx, arg, 'Stop SQL Warehouse');
      if (!w) return;
      const sessions = ctx.model.find(w.id)?.num_active_sessions ?? 0;
      if (confirmed !== true) {
        const stop = 'Stop Warehouse';
        const detail = sessions ? ` ${sessions} active session${sessions === 1 ? '' : 's'} will end.` : '';
        const pick = await ui.warn(`Stop SQL warehouse "${w.name ?? w.id}"?${detail}`, { modal: false }, stop);
        if (pick !== stop) throw new CancelledError();
      }
      await ctx.model.act(w.id, 'stop');
    },
  };
}
