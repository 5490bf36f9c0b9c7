// The SQL Warehouses view: one node per warehouse with its state as a coloured icon, its size and
// kind, and a contextValue carrying the state, so the menu offers Start or Stop only when they
// make sense. Its own view (not a node of Clusters): warehouses are what a serverless-first user
// has instead of clusters, they collapse and poll independently, and the Clusters view stays as
// its users know it. The provider only delegates; polling lives in WarehousesModel.
import * as vscode from 'vscode';
import { describeWarehouse, Warehouse } from '../../databricks/sql/warehouses';
import { WarehousesModel } from '../../databricks/sql/warehousesModel';
import { warehouseContext } from './contextValues';
import { DatabricksNode, polledRootNodes } from './nodes';
import { warehouseIcon, warehouseStateWord, warehouseTooltip } from './warehousePresentation';
import type { WarehouseSelection } from './warehouseSelection';

export class WarehouseNode implements DatabricksNode {
  readonly id: string;

  constructor(
    readonly host: string,
    readonly warehouse: Warehouse,
    readonly isCurrent: boolean,
  ) {
    this.id = `databricks/${host}/warehouse/${warehouse.id}`;
  }

  getTreeItem(): vscode.TreeItem {
    const w = this.warehouse;
    const item = new vscode.TreeItem(w.name ?? w.id, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = `${warehouseStateWord(w.state)}${this.isCurrent ? ' (SQL files)' : ''} · ${describeWarehouse(w)}`;
    item.tooltip = warehouseTooltip(w, this.isCurrent);
    item.iconPath = warehouseIcon(w.state);
    item.contextValue = warehouseContext(w.state, this.isCurrent);
    item.accessibilityInformation = { label: `${w.name ?? w.id}, ${warehouseStateWord(w.state)}${this.isCurrent ? ', used for SQL files' : ''}` };
    return item;
  }
}

export class WarehousesTreeProvider implements vscode.TreeDataProvider<DatabricksNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<DatabricksNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly disposables: Array<{ dispose(): void }> = [];

  constructor(
    private readonly model: WarehousesModel,
    private readonly connection: { current(): Promise<{ host: string }> },
    private readonly selection: WarehouseSelection,
  ) {
    this.disposables.push(
      model.onDidChange(() => this.emitter.fire(undefined)),
      selection.onDidChange(() => this.emitter.fire(undefined)),
    );
  }

  getTreeItem(node: DatabricksNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  async getChildren(node?: DatabricksNode): Promise<DatabricksNode[]> {
    if (node) return (await node.getChildren?.()) ?? [];
    return polledRootNodes<Warehouse>({
      prefix: 'databricks/warehouses',
      host: async () => (await this.connection.current()).host,
      list: this.model,
      items: () => this.model.warehouses,
      id: (w) => w.id,
      name: (w) => w.name ?? '',
      emptyLabel: 'No SQL warehouses in this workspace',
      marked: async () => (await this.selection.current())?.id,
      node: (host, w, isCurrent) => new WarehouseNode(host, w, isCurrent),
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.emitter.dispose();
  }
}
