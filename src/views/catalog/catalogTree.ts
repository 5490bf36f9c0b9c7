// The Catalog view's provider: Unity Catalog's catalogs at the root, paged through the tree kit;
// everything below is the nodes' own business. It only delegates, and rebuilds from scratch when
// the Databricks workspace (or its sign-in) changes.
import * as vscode from 'vscode';
import { UnityCatalogService } from '../../databricks/unityCatalog';
import { VolumeFilesService } from '../../databricks/volumeFiles';
import { DATABRICKS_FAILURES } from '../databricks/nodes';
import { pagedChildren } from '../shared/nodes';
import { mapPages, PagedList } from '../shared/paged';
import { CatalogContext, CatalogNode, CatalogTreeNode, FolderNode, noMetastoreNodes } from './nodes';
import { catalogPages } from './pages';

export class CatalogTreeProvider implements vscode.TreeDataProvider<CatalogTreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<CatalogTreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly catalogs: PagedList<CatalogNode>;
  private readonly ctx: CatalogContext;
  private readonly subscription: { dispose(): void };

  constructor(
    uc: () => Promise<UnityCatalogService>,
    files: () => Promise<VolumeFilesService>,
    onConnectionChange: (listener: () => void) => { dispose(): void },
  ) {
    this.ctx = { uc, files, changed: (node) => this.emitter.fire(node) };
    this.catalogs = new PagedList(
      mapPages(catalogPages(uc), (c) => new CatalogNode(c, this.ctx)),
      { key: (c) => c.name },
    );
    this.subscription = onConnectionChange(() => this.refresh());
  }

  getTreeItem(node: CatalogTreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: CatalogTreeNode): CatalogTreeNode | undefined {
    return node.parent;
  }

  async getChildren(node?: CatalogTreeNode): Promise<CatalogTreeNode[]> {
    if (node) return node.getChildren ? node.getChildren() : [];
    return pagedChildren<CatalogNode, CatalogTreeNode, CatalogNode>(this.catalogs, {
      id: 'uc',
      node: undefined,
      item: (c) => c,
      emptyLabel: 'No catalogs you can see',
      policy: DATABRICKS_FAILURES,
      failure: (err) => noMetastoreNodes<CatalogTreeNode>('uc', undefined, err),
      loadMoreCommand: 'ferry.catalog.loadMore',
      changed: () => this.emitter.fire(undefined),
    });
  }

  /** Drops what a node (or, with none, the whole tree) loaded, and lists it again. */
  refresh(node?: CatalogTreeNode): void {
    if (node && 'reset' in node && typeof node.reset === 'function') {
      (node as { reset(): void }).reset();
      this.emitter.fire(node);
      return;
    }
    this.catalogs.reset();
    this.emitter.fire(undefined);
  }

  /** After a change on a volume (upload, new folder, delete): list that folder again. */
  refreshFolder(node: FolderNode): void {
    node.reset();
    this.emitter.fire(node);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
