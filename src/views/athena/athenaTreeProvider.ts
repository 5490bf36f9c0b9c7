// The Athena view's provider: it only delegates to the nodes, keeps the catalog nodes between
// refreshes of a single node (so expanded state survives), and knows parents for reveal().
import * as vscode from 'vscode';
import { AthenaService } from '../../aws/athena/service';
import { pagedChildren } from '../shared/nodes';
import { PagedList } from '../shared/paged';
import { ATHENA_FAILURES, AthenaNode, CatalogNode, DatabaseNode, TableNode, TreeContext } from './nodes';

export class AthenaTreeProvider implements vscode.TreeDataProvider<AthenaNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<AthenaNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly catalogs: PagedList<CatalogNode>;
  private readonly ctx: TreeContext;

  constructor(service: AthenaService) {
    this.ctx = { service, changed: (node) => this.emitter.fire(node) };
    this.catalogs = new PagedList(
      async (token) => {
        const page = await service.listCatalogs(token);
        return {
          items: page.items
            .map((c) => c.CatalogName ?? '')
            .filter(Boolean)
            .map((n) => new CatalogNode(n, this.ctx)),
          nextToken: page.nextToken,
        };
      },
      { key: (c) => c.name },
    );
  }

  getTreeItem(node: AthenaNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: AthenaNode): AthenaNode | undefined {
    return node.parent;
  }

  async getChildren(node?: AthenaNode): Promise<AthenaNode[]> {
    if (node) return node.getChildren ? node.getChildren() : [];
    return pagedChildren<CatalogNode, AthenaNode, CatalogNode>(this.catalogs, {
      id: 'athena',
      node: undefined,
      item: (c) => c,
      emptyLabel: 'No data catalogs',
      policy: ATHENA_FAILURES,
      doing: 'athena:ListDataCatalogs',
      loadMoreCommand: 'ferry.athena.loadMore',
      changed: () => this.emitter.fire(undefined),
    });
  }

  refresh(node?: AthenaNode): void {
    if (!node) this.catalogs.reset();
    else if (node instanceof CatalogNode || node instanceof DatabaseNode) node.reset();
    this.emitter.fire(node);
  }

  /** Redraws a node's children without dropping what it loaded. */
  changed(node: AthenaNode | undefined): void {
    this.emitter.fire(node);
  }

  /** Finds a table's node (loading pages as needed) so that it can be revealed. */
  async findTable(catalog: string, database: string, table: string): Promise<TableNode | undefined> {
    const cat = (await this.catalogs.find((c) => c.name.toLowerCase() === catalog.toLowerCase())) ?? this.catalogs.items[0];
    const db = await cat?.databases.find((d) => d.name === database);
    return db?.tables.find((t) => t.name === table, 50);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
