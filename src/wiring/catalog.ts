// Wires the Catalog view (Unity Catalog and volumes; owned by the Catalog area) on the active
// Databricks workspace. Nothing touches the network here: the services are made per use from the
// connection, which resolves lazily. SQL for tables (Preview Table) runs on the SQL warehouse
// area's current warehouse through its api; without one, it says to choose a SQL warehouse.
import * as vscode from 'vscode';
import { copyNameCommand } from '../commands/catalog/copyName';
import { copyPathCommand } from '../commands/catalog/copyPath';
import { CatalogCommandContext } from '../commands/catalog/context';
import { createFolderCommand } from '../commands/catalog/createFolder';
import { deleteCommand } from '../commands/catalog/delete';
import { downloadCommand } from '../commands/catalog/download';
import { generateSelectCommand } from '../commands/catalog/generateSelect';
import { loadMoreCommand } from '../commands/catalog/loadMore';
import { openFileCommand } from '../commands/catalog/openFile';
import { previewTableCommand } from '../commands/catalog/previewTable';
import { refreshCommand } from '../commands/catalog/refresh';
import { uploadIntoFolder } from '../commands/catalog/transfer';
import { uploadFilesCommand } from '../commands/catalog/upload';
import { uploadFolderCommand } from '../commands/catalog/uploadFolder';
import { wrapCommand } from '../core/commandWrapper';
import { editorCommandUi } from '../editor/commandUi';
import { NO_WAREHOUSE_RUNNER, SqlWarehouseRunner } from '../databricks/sqlWarehouseRunner';
import { UnityCatalogService } from '../databricks/unityCatalog';
import { VolumeFilesService } from '../databricks/volumeFiles';
import { CatalogTreeProvider } from '../views/catalog/catalogTree';
import { CatalogDragAndDropController } from '../views/catalog/dragAndDrop';
import { CatalogTreeNode, FolderNode } from '../views/catalog/nodes';
import { DatabricksWiring } from './databricks';
import type { DatabricksSqlApi } from './databricksSql';
import { ResultsWiring } from './results';
import { AreaWiring, CoreServices } from './types';

/** Preview Table's SQL, run on the SQL warehouse area's current warehouse and shown in its grid. */
export function warehouseRunner(api: DatabricksSqlApi): SqlWarehouseRunner {
  return {
    runStatement: async (r) => {
      await api.runAndShow(r.sql, { title: r.title, catalog: r.catalog, schema: r.schema });
    },
  };
}

export function wireCatalog(core: CoreServices, deps: { databricks: DatabricksWiring; results: ResultsWiring; sql?: DatabricksSqlApi }): AreaWiring {
  const connection = deps.databricks.connection;
  const uc = async () => new UnityCatalogService(await connection.current());
  const files = async () => new VolumeFilesService(await connection.current());
  const tree = new CatalogTreeProvider(uc, files, (listener) => connection.onDidChange(listener));
  const ctx: CatalogCommandContext = {
    tree,
    uc,
    files,
    sql: deps.sql ? warehouseRunner(deps.sql) : NO_WAREHOUSE_RUNNER,
    presenter: deps.results.presenter,
    logger: core.logger.scoped('catalog'),
  };
  // A drop runs outside the command table, so it goes through the same error wrapper by hand.
  const upload = async (folder: FolderNode, local: vscode.Uri[]): Promise<void> => {
    await wrapCommand('ferry.catalog.uploadFiles', () => uploadIntoFolder(ctx, folder, local), ctx.logger, editorCommandUi)();
  };
  const view = vscode.window.createTreeView<CatalogTreeNode>('ferry.catalog', {
    treeDataProvider: tree,
    showCollapseAll: true,
    dragAndDropController: new CatalogDragAndDropController(upload),
  });
  ctx.view = view;
  core.context.subscriptions.push(tree, view);

  return {
    commands: [
      refreshCommand(ctx),
      loadMoreCommand(),
      previewTableCommand(ctx),
      generateSelectCommand(ctx),
      copyNameCommand(ctx),
      copyPathCommand(ctx),
      openFileCommand(ctx),
      downloadCommand(ctx),
      uploadFilesCommand(ctx),
      uploadFolderCommand(ctx),
      deleteCommand(ctx),
      createFolderCommand(ctx),
    ],
  };
}
