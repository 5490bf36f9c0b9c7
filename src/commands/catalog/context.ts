// What the Catalog view's commands share: the tree, the services of the active workspace, where
// SQL runs (a SQL warehouse), the result presenter and the log; and how they find their node.
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';
import { Logger } from '../../core/logger';
import { SqlWarehouseRunner } from '../../databricks/sqlWarehouseRunner';
import { UnityCatalogService } from '../../databricks/unityCatalog';
import { VolumeFilesService } from '../../databricks/volumeFiles';
import { ResultPresenter } from '../../results/model';
import { CatalogTreeProvider } from '../../views/catalog/catalogTree';
import { CatalogTreeNode, ColumnNode, FolderNode, isVolumeItem, TableNode, VolumeItem } from '../../views/catalog/nodes';

export interface CatalogCommandContext {
  tree: CatalogTreeProvider;
  view?: vscode.TreeView<CatalogTreeNode>;
  uc(): Promise<UnityCatalogService>;
  files(): Promise<VolumeFilesService>;
  /** Runs Preview Table's SQL on a SQL warehouse. */
  sql: SqlWarehouseRunner;
  presenter: ResultPresenter;
  logger: Logger;
}

function picked(ctx: CatalogCommandContext, arg: unknown): unknown {
  return arg ?? ctx.view?.selection[0];
}

/** The table a command acts on: a table node, or a column's table; else a plain message. */
export function tableOf(ctx: CatalogCommandContext, arg: unknown): TableNode {
  const node = picked(ctx, arg);
  if (node instanceof TableNode) return node;
  if (node instanceof ColumnNode) return node.parent;
  throw new FerryError('invalidInput', 'Choose a table in the Catalog view.');
}

/** The volume file or folder a command acts on. */
export function volumeItemOf(ctx: CatalogCommandContext, arg: unknown, what: string): VolumeItem & CatalogTreeNode {
  const node = picked(ctx, arg);
  if (isVolumeItem(node)) return node;
  throw new FerryError('invalidInput', `Choose ${what} on a volume in the Catalog view.`);
}

/** The folder a command puts things in: the folder itself, or a file's folder. */
export function folderOf(ctx: CatalogCommandContext, arg: unknown): FolderNode {
  const node = picked(ctx, arg);
  if (node instanceof FolderNode) return node;
  if (isVolumeItem(node) && node.parent instanceof FolderNode) return node.parent;
  throw new FerryError('invalidInput', 'Choose a volume or a folder on a volume in the Catalog view.');
}
