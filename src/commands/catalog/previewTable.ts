// ferry.catalog.previewTable: the table's first 100 rows, by a SELECT run on a SQL warehouse.
import { ucPreviewSql } from '../../databricks/ucSql';
import { FerryCommand } from '../types';
import { CatalogCommandContext, tableOf } from './context';

export function previewTableCommand(ctx: CatalogCommandContext): FerryCommand {
  return {
    id: 'ferry.catalog.previewTable',
    run: async (node?: unknown) => {
      const t = tableOf(ctx, node).table;
      await ctx.sql.runStatement({ sql: ucPreviewSql(t), catalog: t.catalogName, schema: t.schemaName, title: `Preview ${t.fullName}` });
    },
  };
}
