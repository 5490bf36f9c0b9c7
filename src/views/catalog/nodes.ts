// The Catalog view's nodes: catalogs → schemas → "Tables" (type, format; columns with types,
// comments and partition keys when expanded) and "Volumes" → folders → files. Plain objects with
// stable hierarchical ids; every list pages through the shared tree kit with "Load more…", and
// failures and empty states are its nodes.
import * as vscode from 'vscode';
import { formatBytes, previewFormat } from '../../aws/s3/keys';
import { UcCatalog, UcColumn, UcSchema, UcTable, UcVolume, UnityCatalogService } from '../../databricks/unityCatalog';
import { VolumeEntry, VolumeFilesService } from '../../databricks/volumeFiles';
import { DATABRICKS_FAILURES } from '../databricks/nodes';
import { MessageNode, pagedChildren, PagedChildrenSpec, TreeNode } from '../shared/nodes';
import { mapPages, PagedList } from '../shared/paged';
import { CATALOG_CONTEXT } from './contextValues';
import { folderPages, schemaPages, tablePages, volumePages } from './pages';
import { commandCall } from '../../editor/commandArgs';

export interface CatalogTreeNode extends TreeNode {
  readonly parent?: CatalogTreeNode;
  getChildren?(): Promise<CatalogTreeNode[]> | CatalogTreeNode[];
}

/** What the nodes need: the services of the active workspace, and a way to redraw. */
export interface CatalogContext {
  uc(): Promise<UnityCatalogService>;
  files(): Promise<VolumeFilesService>;
  changed(node: CatalogTreeNode | undefined): void;
}

const LOAD_MORE = 'ferry.catalog.loadMore';
const VIEW_TYPES = new Set(['VIEW', 'MATERIALIZED_VIEW', 'METRIC_VIEW']);

function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** Error codes of a workspace without a Unity Catalog metastore (reference §3). */
const NO_METASTORE = /METASTORE_DOES_NOT_EXIST|FEATURE_DISABLED/;

/** A workspace without Unity Catalog gets one plain line instead of an error and the log. */
export function noMetastoreNodes<P extends CatalogTreeNode>(id: string, parent: P | undefined, err: unknown): Array<MessageNode<P>> | undefined {
  const code = (err as { errorCode?: string })?.errorCode ?? '';
  if (!NO_METASTORE.test(code)) return undefined;
  return [
    new MessageNode(`${id}/~no-metastore`, parent, 'This workspace has no Unity Catalog metastore', 'info', {
      tooltip: 'Unity Catalog is not enabled for this workspace, so there are no catalogs to show. An account admin can assign a metastore to it.',
    }),
  ];
}

function paged<T, P extends CatalogTreeNode>(
  list: PagedList<T>,
  spec: Omit<PagedChildrenSpec<T, P, T>, 'item' | 'policy' | 'loadMoreCommand'> & { policy?: PagedChildrenSpec<T, P, T>['policy'] },
): Promise<CatalogTreeNode[]> {
  return pagedChildren<T, P, T>(list, { item: (n) => n, policy: DATABRICKS_FAILURES, loadMoreCommand: LOAD_MORE, ...spec }) as Promise<CatalogTreeNode[]>;
}

export class CatalogNode implements CatalogTreeNode {
  readonly id: string;
  readonly parent = undefined;
  readonly schemas: PagedList<SchemaNode>;

  constructor(
    readonly catalog: UcCatalog,
    private readonly ctx: CatalogContext,
  ) {
    this.id = `uc/${catalog.name}`;
    this.schemas = new PagedList(
      mapPages(schemaPages(ctx.uc, catalog.name), (s) => new SchemaNode(this, s, ctx)),
      { key: (s) => s.schema.name },
    );
  }

  get name(): string {
    return this.catalog.name;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.catalog.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('library');
    const type =
      this.catalog.catalogType && this.catalog.catalogType !== 'MANAGED_CATALOG'
        ? this.catalog.catalogType
            .replace(/_CATALOG$/, '')
            .toLowerCase()
            .replace(/_/g, ' ')
        : undefined;
    item.description = type;
    item.tooltip = [this.catalog.name, type ? `Type: ${type}` : '', this.catalog.owner ? `Owner: ${this.catalog.owner}` : '', this.catalog.comment ?? '']
      .filter(Boolean)
      .join('\n');
    item.contextValue = CATALOG_CONTEXT.catalog;
    return item;
  }

  reset(): void {
    this.schemas.reset();
  }

  getChildren(): Promise<CatalogTreeNode[]> {
    return paged(this.schemas, { id: this.id, node: this, emptyLabel: 'No schemas you can see', changed: () => this.ctx.changed(this) });
  }
}

export class SchemaNode implements CatalogTreeNode {
  readonly id: string;
  readonly tables: TablesNode;
  readonly volumes: VolumesNode;

  constructor(
    readonly parent: CatalogNode,
    readonly schema: UcSchema,
    ctx: CatalogContext,
  ) {
    this.id = `${parent.id}/${schema.name}`;
    this.tables = new TablesNode(this, ctx);
    this.volumes = new VolumesNode(this, ctx);
  }

  get fullName(): string {
    return this.schema.fullName;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.schema.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('database');
    item.tooltip = [this.schema.fullName, this.schema.owner ? `Owner: ${this.schema.owner}` : '', this.schema.comment ?? ''].filter(Boolean).join('\n');
    item.contextValue = CATALOG_CONTEXT.schema;
    return item;
  }

  reset(): void {
    this.tables.reset();
    this.volumes.reset();
  }

  getChildren(): CatalogTreeNode[] {
    return [this.tables, this.volumes];
  }
}

/** A schema's Tables or Volumes folder: one paged list under a fixed label. */
abstract class SchemaGroupNode<T extends CatalogTreeNode> implements CatalogTreeNode {
  readonly id: string;
  abstract readonly list: PagedList<T>;

  constructor(
    readonly parent: SchemaNode,
    protected readonly ctx: CatalogContext,
    private readonly look: { key: string; label: string; icon: string; contextValue: string; what: string },
  ) {
    this.id = `${parent.id}/~${look.key}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.look.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.look.icon);
    item.contextValue = this.look.contextValue;
    return item;
  }

  reset(): void {
    this.list.reset();
  }

  getChildren(): Promise<CatalogTreeNode[]> {
    return paged(this.list, {
      id: this.id,
      node: this,
      emptyLabel: `No ${this.look.what}`,
      doing: `${this.look.what} of ${this.parent.fullName}`,
      changed: () => this.ctx.changed(this),
    });
  }
}

export class TablesNode extends SchemaGroupNode<TableNode> {
  readonly list: PagedList<TableNode>;

  constructor(parent: SchemaNode, ctx: CatalogContext) {
    super(parent, ctx, { key: 'tables', label: 'Tables', icon: 'list-tree', contextValue: CATALOG_CONTEXT.tables, what: 'tables' });
    this.list = new PagedList(
      mapPages(tablePages(ctx.uc, parent.parent.name, parent.schema.name), (t) => new TableNode(this, t, ctx)),
      { key: (t) => t.table.name },
    );
  }
}

/** "managed Delta", "view", "external Parquet". */
export function tableKind(t: UcTable): string {
  const type = t.tableType.toLowerCase().replace(/_/g, ' ');
  const format = t.dataSourceFormat ? t.dataSourceFormat.replace(/_FORMAT$/, '') : '';
  const pretty = format === 'DELTA' ? 'Delta' : format.charAt(0) + format.slice(1).toLowerCase();
  return VIEW_TYPES.has(t.tableType) || !format ? type : `${type} ${pretty}`;
}

export class TableNode implements CatalogTreeNode {
  readonly id: string;
  /** The table with its columns, once expanded (the listing leaves columns out). */
  private detail: UcTable | undefined;
  readonly columns: PagedList<ColumnNode>;

  constructor(
    readonly parent: TablesNode,
    readonly table: UcTable,
    private readonly ctx: CatalogContext,
  ) {
    this.id = `${parent.id}/${table.name}`;
    this.detail = table.columns ? table : undefined;
    this.columns = new PagedList(async () => {
      const full = this.detail ?? (await (await ctx.uc()).getTable(table.fullName));
      this.detail = full;
      return { items: (full.columns ?? []).map((c) => new ColumnNode(this, c)) };
    });
  }

  get isView(): boolean {
    return VIEW_TYPES.has(this.table.tableType);
  }

  /** The table with its columns, fetched if the node was never expanded. */
  async withColumns(): Promise<UcTable> {
    await this.columns.ensureLoaded();
    if (this.columns.failed) throw this.columns.error;
    return this.detail ?? this.table;
  }

  getTreeItem(): vscode.TreeItem {
    const t = this.detail ?? this.table;
    const item = new vscode.TreeItem(t.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.isView ? 'eye' : 'table');
    item.description = tableKind(t);
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(`**${md(t.fullName)}**  \n${md(tableKind(t))}`);
    if (t.columns) tip.appendMarkdown(`  \n${t.columns.length} columns`);
    if (t.comment) tip.appendMarkdown(`\n\n${md(t.comment)}`);
    if (t.owner) tip.appendMarkdown(`\n\nOwner: ${md(t.owner)}`);
    if (t.storageLocation) tip.appendMarkdown(`  \nLocation: \`${t.storageLocation.replace(/`/g, "'")}\``);
    item.tooltip = tip;
    item.contextValue = this.isView ? CATALOG_CONTEXT.view : CATALOG_CONTEXT.table;
    return item;
  }

  reset(): void {
    this.detail = undefined;
    this.columns.reset();
  }

  getChildren(): Promise<CatalogTreeNode[]> {
    return paged(this.columns, {
      id: this.id,
      node: this,
      emptyLabel: 'No columns',
      doing: `columns of ${this.table.fullName}`,
      changed: () => this.ctx.changed(this),
    });
  }
}

export class ColumnNode implements CatalogTreeNode {
  readonly id: string;
  constructor(
    readonly parent: TableNode,
    readonly column: UcColumn,
  ) {
    this.id = `${parent.id}/${column.partitionIndex !== undefined ? 'p' : 'c'}:${column.name}`;
  }

  get partition(): boolean {
    return this.column.partitionIndex !== undefined;
  }

  getTreeItem(): vscode.TreeItem {
    const c = this.column;
    const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = [c.typeText, this.partition ? 'partition key' : '', c.nullable ? '' : 'not null', c.comment ?? ''].filter(Boolean).join(' · ');
    item.tooltip = [
      `${c.name}: ${c.typeText}${c.nullable ? '' : ' NOT NULL'}`,
      this.partition ? `Partition key (${(c.partitionIndex ?? 0) + 1})` : '',
      c.comment ?? '',
    ]
      .filter(Boolean)
      .join('\n');
    item.iconPath = this.partition ? new vscode.ThemeIcon('key', new vscode.ThemeColor('charts.yellow')) : new vscode.ThemeIcon('symbol-field');
    item.contextValue = this.partition ? CATALOG_CONTEXT.partitionColumn : CATALOG_CONTEXT.column;
    return item;
  }
}

export class VolumesNode extends SchemaGroupNode<VolumeNode> {
  readonly list: PagedList<VolumeNode>;

  constructor(parent: SchemaNode, ctx: CatalogContext) {
    super(parent, ctx, { key: 'volumes', label: 'Volumes', icon: 'folder-library', contextValue: CATALOG_CONTEXT.volumes, what: 'volumes' });
    this.list = new PagedList(
      mapPages(volumePages(ctx.uc, parent.parent.name, parent.schema.name), (v) => new VolumeNode(this, v, ctx)),
      { key: (v) => v.volume.name },
    );
  }
}

/** A place on a volume commands act on: its path, and whether it is a folder (the volume's root is one). */
export interface VolumeItem {
  readonly volumePath: string;
  readonly isDirectory: boolean;
  readonly size?: number;
}

export function isVolumeItem(node: unknown): node is VolumeItem & CatalogTreeNode {
  return !!node && typeof node === 'object' && typeof (node as VolumeItem).volumePath === 'string' && typeof (node as VolumeItem).isDirectory === 'boolean';
}

/** A folder on a volume (the volume's root too): its entries, folders first, a page at a time. */
export abstract class FolderNode implements CatalogTreeNode, VolumeItem {
  abstract readonly id: string;
  abstract readonly parent: CatalogTreeNode;
  readonly isDirectory = true;
  private listing: PagedList<FolderNode | FileNode> | undefined;

  constructor(
    readonly volumePath: string,
    protected readonly ctx: CatalogContext,
  ) {}

  /** Made on first use: the id the entries' ids are built from exists by then. */
  get entries(): PagedList<FolderNode | FileNode> {
    if (!this.listing) {
      const toNode = (e: VolumeEntry): FolderNode | FileNode => (e.isDirectory ? new DirectoryNode(this, e, this.ctx) : new FileNode(this, e));
      this.listing = new PagedList(mapPages(folderPages(this.ctx.files, this.volumePath), toNode), { key: (n) => n.volumePath });
    }
    return this.listing;
  }

  abstract getTreeItem(): vscode.TreeItem;

  reset(): void {
    this.entries.reset();
  }

  getChildren(): Promise<CatalogTreeNode[]> {
    return paged(this.entries, {
      id: this.id,
      node: this,
      emptyLabel: 'Empty folder',
      doing: `listing ${this.volumePath}`,
      changed: () => this.ctx.changed(this),
    });
  }
}

export class VolumeNode extends FolderNode {
  readonly id: string;

  constructor(
    readonly parent: VolumesNode,
    readonly volume: UcVolume,
    ctx: CatalogContext,
  ) {
    super(`/Volumes/${volume.catalogName}/${volume.schemaName}/${volume.name}`, ctx);
    this.id = `${parent.id}/${volume.name}`;
  }

  getTreeItem(): vscode.TreeItem {
    const v = this.volume;
    const item = new vscode.TreeItem(v.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('archive');
    item.description = v.volumeType.toLowerCase();
    item.tooltip = [
      this.volumePath,
      `${v.volumeType.toLowerCase()} volume`,
      v.storageLocation ? `Location: ${v.storageLocation}` : '',
      v.owner ? `Owner: ${v.owner}` : '',
      v.comment ?? '',
    ]
      .filter(Boolean)
      .join('\n');
    item.contextValue = CATALOG_CONTEXT.volume;
    return item;
  }
}

export class DirectoryNode extends FolderNode {
  readonly id: string;

  constructor(
    readonly parent: FolderNode,
    readonly entry: VolumeEntry,
    ctx: CatalogContext,
  ) {
    super(entry.path, ctx);
    this.id = `${parent.id}/${entry.name}/`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.entry.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = vscode.ThemeIcon.Folder;
    item.tooltip = this.volumePath;
    item.contextValue = CATALOG_CONTEXT.folder;
    return item;
  }
}

export class FileNode implements CatalogTreeNode, VolumeItem {
  readonly id: string;
  readonly isDirectory = false;

  constructor(
    readonly parent: FolderNode,
    readonly entry: VolumeEntry,
  ) {
    this.id = `${parent.id}/${entry.name}`;
  }

  get volumePath(): string {
    return this.entry.path;
  }

  get size(): number | undefined {
    return this.entry.size;
  }

  getTreeItem(): vscode.TreeItem {
    const e = this.entry;
    const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const table = previewFormat(e.name) !== undefined;
    item.iconPath = new vscode.ThemeIcon(table ? 'table' : 'file');
    const modified = e.lastModified ? new Date(e.lastModified).toISOString().replace('T', ' ').slice(0, 16) : '';
    item.description = [formatBytes(e.size), modified].filter(Boolean).join(' · ');
    item.tooltip = `${e.path}\n${e.size ?? '?'} bytes${modified ? `\nModified ${modified} UTC` : ''}`;
    item.contextValue = table ? CATALOG_CONTEXT.tableFile : CATALOG_CONTEXT.file;
    if (table) item.command = commandCall('ferry.catalog.openFile', 'Open as Table', this);
    return item;
  }
}
