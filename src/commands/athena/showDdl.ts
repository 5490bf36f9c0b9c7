// ferry.athena.showDdl (split from treeActions.ts: one command per module).
import { ddlFromMetadata } from '../../aws/athena/tableDdl';
import type { FerryCommand } from '../types';
import { AthenaCommandContext } from './context';
import { tableOf, openSql } from './treeActions';

export function showDdlCommand(ctx: AthenaCommandContext): FerryCommand {
  return {
    id: 'ferry.athena.showDdl',
    run: async (node?: unknown) => {
      const t = tableOf(ctx, node);
      const fresh = await ctx.service.getTable(t.catalog, t.database, t.name);
      t.metadata = fresh;
      await openSql(ddlFromMetadata(t.database, fresh));
    },
  };
}
