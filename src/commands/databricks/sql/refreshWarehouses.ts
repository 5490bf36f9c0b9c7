// ferry.databricks.refreshWarehouses: re-reads the SQL warehouse list.
import type { FerryCommand } from '../../types';
import { DatabricksSqlContext } from './context';

export function refreshWarehousesCommand(ctx: DatabricksSqlContext): FerryCommand {
  return { id: 'ferry.databricks.refreshWarehouses', run: () => ctx.model.refresh() };
}
