// ferry.s3.clearFilter: list every key of a filtered bucket or folder again.
import { FerryCommand } from '../types';
import { S3CommandContext } from './context';
import { container } from './filter';

export function clearFilterCommand(ctx: S3CommandContext): FerryCommand {
  return {
    id: 'ferry.s3.clearFilter',
    run: (arg?: unknown) => {
      const c = container(ctx, arg);
      c.filter = '';
      c.reset();
      ctx.tree.fire(c);
    },
  };
}
