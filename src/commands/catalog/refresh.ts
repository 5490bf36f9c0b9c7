// ferry.catalog.refresh: list a node (or, from the view title, the whole Catalog view) again.
import { CatalogTreeNode } from '../../views/catalog/nodes';
import { FerryCommand } from '../types';
import { CatalogCommandContext } from './context';

export function refreshCommand(ctx: CatalogCommandContext): FerryCommand {
  return {
    id: 'ferry.catalog.refresh',
    run: (node?: unknown) => ctx.tree.refresh(node && typeof node === 'object' && 'getTreeItem' in node ? (node as CatalogTreeNode) : undefined),
  };
}
