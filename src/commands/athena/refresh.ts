// ferry.athena.refresh (split from treeActions.ts: one command per module).
import { AthenaNode } from '../../views/athena/nodes';
import type { FerryCommand } from '../types';
import { AthenaCommandContext } from './context';

export function refreshCommand(ctx: AthenaCommandContext): FerryCommand {
  return { id: 'ferry.athena.refresh', run: (node?: unknown) => ctx.tree.refresh(node as AthenaNode | undefined) };
}
