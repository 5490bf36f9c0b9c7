// The Athena tree: data catalogs → databases → tables (paged, "Load more…") → columns, partition
// keys marked. Plain node objects with stable hierarchical ids; failures and empty states are nodes.
import * as vscode from 'vscode';
import type { Column, TableMetadata } from '@aws-sdk/client-athena';
import { AthenaService } from '../../aws/athena/service';
import { classifyError } from '../../core/errors';
import { ATHENA_CONTEXT } from './contextValues';

export interface AthenaNode {
  readonly id: string;
  readonly parent?: AthenaNode;
  getTreeItem(): vscode.TreeItem;
  getChildren?(): Promise<AthenaNode[]>;
}

export interface TreeContext {
  service: AthenaService;
  /** Asks the provider to redraw a node's children. */
  changed(node: AthenaNode | undefined): void;
}

export class MessageNode implements AthenaNode {
  constructor(
    readonly id: string,
    readonly parent: AthenaNode | undefined,
    private readonly label: string,
    private readonly kind: 'message' | 'error' | 'signIn' = 'message',
    private readonly tooltip?: string,
  ) {}
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = this.kind === 'error' ? ATHENA_CONTEXT.error : ATHENA_CONTEXT.message;
    item.iconPath = this.kind === 'error' ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')) : new vscode.ThemeIcon(this.kind === 'signIn' ? 'account' : 'info');
    item.tooltip = this.tooltip ?? this.label;
    // No usable credentials: the node itself is the way forward.
    if (this.kind === 'signIn') item.command = { command: 'ferry.aws.selectProfile', title: 'Choose AWS Profile' };
    return item;
  }
}

function errorNode(id: string, parent: AthenaNode | undefined, err: unknown): MessageNode {
  const c = classifyError(err);
  return new MessageNode(`${id}/error`, parent, `Error: ${c.message}`, 'error', c.message);
}

export class LoadMoreNode implements AthenaNode {
  constructor(
    readonly id: string,
    readonly parent: DatabaseNode,
  ) {}
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = ATHENA_CONTEXT.loadMore;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.command = { command: 'ferry.athena.loadMore', title: 'Load more', arguments: [this] };
    return item;
  }
}

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
    return cols.length + parts.length ? [...cols, ...parts] : [new MessageNode(`${this.id}/empty`, this, 'No columns')];
  }
}

export class DatabaseNode implements AthenaNode {
  readonly id: string;
  private tables: TableNode[] = [];
  private nextToken: string | undefined;
  private loaded = false;
  private error: unknown;
  private pending?: Promise<void>;

  constructor(
    readonly parent: CatalogNode,
    readonly name: string,
    private readonly ctx: TreeContext,
  ) {
    this.id = `${parent.id}/${name}`;
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
  /** Fetches the next page once, however many times it is asked for while in flight. */
  loadMore(): Promise<void> {
    if (this.pending) return this.pending;
    if (this.loaded && !this.nextToken) return Promise.resolve();
    this.pending = (async () => {
      try {
        const page = await this.ctx.service.listTables(this.catalog, this.name, this.nextToken);
        this.tables.push(...page.items.map((t) => new TableNode(this, t)));
        this.nextToken = page.nextToken;
        this.error = undefined;
      } catch (err) {
        this.error = err;
      } finally {
        this.loaded = true;
        this.pending = undefined;
      }
    })();
    return this.pending;
  }
  reset(): void {
    this.tables = [];
    this.nextToken = undefined;
    this.loaded = false;
    this.error = undefined;
  }
  findTable(name: string): TableNode | undefined {
    return this.tables.find((t) => t.name === name);
  }
  async getChildren(): Promise<AthenaNode[]> {
    if (!this.loaded) await this.loadMore();
    const out: AthenaNode[] = [...this.tables];
    if (this.error) out.push(errorNode(this.id, this, this.error));
    else if (!this.tables.length) out.push(new MessageNode(`${this.id}/empty`, this, 'No tables'));
    if (this.nextToken) out.push(new LoadMoreNode(`${this.id}/more:${this.tables.length}`, this));
    return out;
  }
}

export class CatalogNode implements AthenaNode {
  readonly id: string;
  private databases: DatabaseNode[] | undefined;
  constructor(
    readonly name: string,
    private readonly ctx: TreeContext,
  ) {
    this.id = `athena:${name}`;
  }
  readonly parent = undefined;
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.contextValue = ATHENA_CONTEXT.catalog;
    item.iconPath = new vscode.ThemeIcon('library');
    return item;
  }
  reset(): void {
    this.databases = undefined;
  }
  async database(name: string): Promise<DatabaseNode | undefined> {
    if (!this.databases) await this.getChildren();
    return this.databases?.find((d) => d.name === name);
  }
  async getChildren(): Promise<AthenaNode[]> {
    try {
      if (!this.databases) {
        const all: DatabaseNode[] = [];
        let token: string | undefined;
        do {
          const page = await this.ctx.service.listDatabases(this.name, token);
          all.push(...page.items.map((d) => new DatabaseNode(this, d.Name ?? '', this.ctx)));
          token = page.nextToken;
        } while (token && all.length < 1000);
        this.databases = all;
      }
      return this.databases.length ? this.databases : [new MessageNode(`${this.id}/empty`, this, 'No databases')];
    } catch (err) {
      return [errorNode(this.id, this, err)];
    }
  }
}
