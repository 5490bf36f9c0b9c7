// ferry.athena.selectDatabase (split from treeActions.ts: one command per module).
import { DatabaseNode } from '../../views/athena/nodes';
import type { FerryCommand } from '../types';
import { AthenaCommandContext } from './context';

export function selectDatabaseCommand(ctx: AthenaCommandContext): FerryCommand {
  return {
    id: 'ferry.athena.selectDatabase',
    run: async (node?: unknown) => {
      if (node instanceof DatabaseNode) {
        await ctx.databases.set(node.name);
        return node.name;
      }
      return ctx.databases.pick();
    },
  };
}
