// ferry.mlflow.refresh: list a node (or, from the view title, the whole Experiments view) again.
import { MlflowTreeNode } from '../../views/mlflow/nodes';
import { FerryCommand } from '../types';
import { MlflowCommandContext } from './context';

export function refreshCommand(ctx: MlflowCommandContext): FerryCommand {
  return {
    id: 'ferry.mlflow.refresh',
    run: (node?: unknown) => ctx.tree.refresh(node && typeof node === 'object' && 'getTreeItem' in node ? (node as MlflowTreeNode) : undefined),
  };
}
