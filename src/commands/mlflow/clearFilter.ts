// ferry.mlflow.clearFilter (split from filterRuns.ts: one command per module).
import { FerryCommand } from '../types';
import { experimentOf, MlflowCommandContext } from './context';

export function clearFilterCommand(ctx: MlflowCommandContext): FerryCommand {
  return {
    id: 'ferry.mlflow.clearFilter',
    run: (arg?: unknown) => {
      const exp = experimentOf(ctx, arg);
      exp.setFilter('');
      ctx.tree.changed(exp);
    },
  };
}
