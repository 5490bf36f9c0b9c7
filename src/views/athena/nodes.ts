// The Athena tree: data catalogs → databases → tables (both paged with "Load more…") → columns,
// partition keys marked. Plain node objects with stable hierarchical ids; paging, failures and
// empty states come from the shared tree kit (views/shared).
import * as vscode from 'vscode';
import type { Column, TableMetadata } from '@aws-sdk/client-athena';
import { AthenaService } from '../../aws/athena/service';
import { FailurePolicy } from '../shared/failures';
import { MessageNode, pagedChildren, TreeNode } from '../shared/nodes';
import { PagedList } from '../shared/paged';
import { ATHENA_CONTEXT } from './contextValues';

export interface AthenaNode extends TreeNode {
  readonly parent?: AthenaNode;
  getChildren?(): Promise<AthenaNode[]> | AthenaNode[];
}

export interface TreeContext {
  service: AthenaService;
  /** Asks the provider to redraw a node's children. */
  changed(node: AthenaNode | undefined): void;
}

/** How the Athena tree answers failures: credentials lead to the profile picker. */
export const ATHENA_FAILURES: FailurePolicy = {
  actions: {
    signIn: [{ label: 'Choose a profile / sign in…', command: 'ferry.aws.selectProfile', icon: 'account' }],
    denied: [{ label: 'Choose a profile…', command: 'ferry.aws.selectProfile', icon: 'account' }],
  },
};

export class ColumnNode implements AthenaNode {
  readonly id: string;
  constructor(
    readonly parent: TableNode,
    readonly column: Column,
    readonly partition: boolean,
  ) {
    this.id = `${parent.id}/${partition ? 'p' : 'c'}:${column.Name}`;
  }
  get name(): string {
    return this.column.Name ?? '';
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = `${this.column.Type ?? ''}${this.partition ? ' · partition key' : ''}`;
    item.tooltip = [`${this.name}: ${this.column.Type ?? ''}`, this.partition ? 'Partition key' : '', this.column.Comment ?? ''].filter(Boolean).join('\n');
    item.contextValue = this.partition ? ATHENA_CONTEXT.partitionColumn : ATHENA_CONTEXT.column;
    item.iconPath = this.partition ? new vscode.ThemeIcon('key', new vscode.ThemeColor('charts.yellow')) : new vscode.ThemeIcon('symbol-field');
    return item;
  }
}

export class TableNode implements AthenaNode {
  readonly id: string;
  constructor(
    readonly parent: DatabaseNode,
    public metadata: TableMetadata,
  ) {
    this.id = `${parent.id}/${metadata.Name}`;
  }
  get catalog(): string {
    return this.parent.catalog;
  }
  get database(): string {
    return this.parent.name;
  }
  get name(): string {
    return this.metadata.Name ?? '';
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const parts = this.metadata.PartitionKeys?.length ?? 0;
    item.description = `${this.metadata.Columns?.length ?? 0} columns${parts ? ` · ${parts} partition key${parts > 1 ? 's' : ''}` : ''}`;
    item.tooltip = [`${this.database}.${this.name}`, this.metadata.TableType ?? '', this.metadata.Parameters?.location ?? ''].filter(Boolean).join('\n');
    item.contextValue = ATHENA_CONTEXT.table;
    item.iconPath = new vscode.ThemeIcon(this.metadata.TableType === 'VIRTUAL_VIEW' ? 'eye' : 'table');
    return item;
  }
  async getChildren(): Promise<AthenaNode[]> {
    const cols = (this.metadata.Columns ?? []).map((c) => new ColumnNode(this, c, false));
    const parts = (this.metadata.PartitionKeys ?? []).map((c) => new ColumnNode(this, c, true));
    return cols.length + parts.length ? [...cols, ...parts] : [new MessageNode(`${this.id}/~empty`, this, 'No columns')];
  }
}

export class DatabaseNode implements AthenaNode {
  readonly id: string;
  /** The database's tables, a page at a time (ListTableMetadata, free unlike SHOW TABLES). */
  readonly tables: PagedList<TableNode>;

  constructor(
    readonly parent: CatalogNode,
    readonly name: string,
    private readonly ctx: TreeContext,
  ) {
    this.id = `${parent.id}/${name}`;
    this.tables = new PagedList(
      async (token) => {
        const page = await ctx.service.listTables(this.catalog, this.name, token);
        return { items: page.items.map((t) => new TableNode(this, t)), nextToken: page.nextToken };
      },
      { key: (t) => t.name },
    );
  }
  get catalog(): string {
    return this.parent.name;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = ATHENA_CONTEXT.database;
    item.iconPath = new vscode.ThemeIcon('database');
    return item;
  }
  reset(): void {
    this.tables.reset();
  }
  getChildren(): Promise<AthenaNode[]> {
    return pagedChildren(this.tables, {
      id: this.id,
      node: this,
      item: (t) => t,
      emptyLabel: 'No tables',
      policy: ATHENA_FAILURES,
      doing: `tables of ${this.name}`,
      loadMoreCommand: 'ferry.athena.loadMore',
      changed: () => this.ctx.changed(this),
    });
  }
}

export class CatalogNode implements AthenaNode {
  readonly id: string;
  readonly parent = undefined;
  readonly databases: PagedList<DatabaseNode>;
  constructor(
    readonly name: string,
    private readonly ctx: TreeContext,
  ) {
    this.id = `athena:${name}`;
    this.databases = new PagedList(
      async (token) => {
        const page = await ctx.service.listDatabases(this.name, token);
        return { items: page.items.map((d) => new DatabaseNode(this, d.Name ?? '', ctx)), nextToken: page.nextToken };
      },
      { key: (d) => d.name },
    );
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.contextValue = ATHENA_CONTEXT.catalog;
    item.iconPath = new vscode.ThemeIcon('library');
    return item;
  }
  reset(): void {
    this.databases.reset();
  }
  getChildren(): Promise<AthenaNode[]> {
    return pagedChildren(this.databases, {
      id: this.id,
      node: this,
      item: (d) => d,
      emptyLabel: 'No databases',
      policy: ATHENA_FAILURES,
      doing: `databases of ${this.name}`,
      loadMoreCommand: 'ferry.athena.loadMore',
      changed: () => this.ctx.changed(this),
    });
  }
}
