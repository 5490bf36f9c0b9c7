// The Athena view's provider: it only delegates to the nodes, keeps the catalog nodes between
// refreshes (so expanded state survives), and knows parents for reveal().
import * as vscode from 'vscode';
import { classifyError } from '../../core/errors';
import { AthenaService } from '../../aws/athena/service';
import { AthenaNode, CatalogNode, DatabaseNode, MessageNode, TableNode, TreeContext } from './nodes';

export class AthenaTreeProvider implements vscode.TreeDataProvider<AthenaNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<AthenaNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private catalogs: CatalogNode[] | undefined;
  private readonly ctx: TreeContext;

  constructor(service: AthenaService) {
    this.ctx = { service, changed: (node) => this.emitter.fire(node) };
  }

  getTreeItem(node: AthenaNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: AthenaNode): AthenaNode | undefined {
    return node.parent;
  }

  async getChildren(node?: AthenaNode): Promise<AthenaNode[]> {
    if (node) return node.getChildren ? node.getChildren() : [];
    if (!this.catalogs) {
      try {
        const names: string[] = [];
        let token: string | undefined;
        do {
          const page = await this.ctx.service.listCatalogs(token);
          names.push(...page.items.map((c) => c.CatalogName ?? '').filter(Boolean));
          token = page.nextToken;
        } while (token);
        this.catalogs = names.map((n) => new CatalogNode(n, this.ctx));
      } catch (err) {
        const c = classifyError(err);
        if (c.kind === 'auth') return [new MessageNode('athena:signin', undefined, 'Choose a profile / sign in…', 'signIn', c.message)];
        return [new MessageNode('athena:error', undefined, `Error: ${c.message}`, 'error')];
      }
    }
    return this.catalogs;
  }

  refresh(node?: AthenaNode): void {
    if (!node) this.catalogs = undefined;
    else if (node instanceof CatalogNode) node.reset();
    else if (node instanceof DatabaseNode) node.reset();
    this.emitter.fire(node);
  }

  async loadMore(db: DatabaseNode): Promise<void> {
    await db.loadMore();
    this.emitter.fire(db);
  }

  /** Finds a table's node (loading pages as needed) so that it can be revealed. */
  async findTable(catalog: string, database: string, table: string): Promise<TableNode | undefined> {
    await this.getChildren();
    const cat = this.catalogs?.find((c) => c.name.toLowerCase() === catalog.toLowerCase()) ?? this.catalogs?.[0];
    const db = await cat?.database(database);
    if (!db) return undefined;
    await db.getChildren();
    for (let i = 0; i < 50; i++) {
      const hit = db.findTable(table);
      if (hit) return hit;
      const before = (await db.getChildren()).length;
      await db.loadMore();
      if ((await db.getChildren()).length === before) break;
    }
    return db.findTable(table);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
