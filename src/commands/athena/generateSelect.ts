// ferry.athena.generateSelect (split from treeActions.ts: one command per module).
import { generateSelectSql } from '../../aws/athena/tableDdl';
import type { FerryCommand } from '../types';
import { AthenaCommandContext } from './context';
import { tableOf, openSql } from './treeActions';

export function generateSelectCommand(ctx: AthenaCommandContext): FerryCommand {
  return {
    id: 'ferry.athena.generateSelect',
    run: async (node?: unknown) => {
      const t = tableOf(ctx, node);
      await ctx.databases.set(t.database);
      await openSql(generateSelectSql(t.database, t.metadata));
    },
  };
}
