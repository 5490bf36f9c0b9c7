// The S3 tree's nodes: plain objects with a stable hierarchical id, getTreeItem() and
// getChildren(). Every node a command receives exposes `bucket` and `key` (the prefix ending in '/'
// for a prefix, '' for a bucket).
import * as vscode from 'vscode';
import { formatBytes, formatS3Uri, keyLabel } from '../../aws/s3/keys';
import { S3_CONTEXT } from './contextValues';

export interface S3TreeNode {
  readonly id: string;
  readonly bucket: string;
  readonly key: string;
  readonly parent?: S3TreeNode;
  getTreeItem(): vscode.TreeItem;
  getChildren?(): Promise<S3TreeNode[]>;
}

/** What a container node needs from the provider to load pages. */
export interface ContainerHost {
  loadPage(container: ContainerNode): Promise<void>;
  fire(node?: S3TreeNode): void;
}

const iconByExt: Array<[RegExp, string]> = [
  [/\.(csv|tsv|tab|parquet|parq|jsonl|ndjson|xlsx?|orc|avro)$/i, 'table'],
  [/\.(json|ya?ml|toml|xml)$/i, 'json'],
  [/\.(py|ipynb|sql|sh|js|ts|r|scala)$/i, 'file-code'],
  [/\.(png|jpe?g|gif|svg|webp|bmp)$/i, 'file-media'],
  [/\.(zip|gz|tgz|bz2|xz|zst|tar|7z)$/i, 'file-zip'],
  [/\.(txt|md|log|rst)$/i, 'file-text'],
  [/\.(pdf)$/i, 'file-pdf'],
];

export function iconForKey(key: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(iconByExt.find(([re]) => re.test(key))?.[1] ?? 'file');
}

export abstract class ContainerNode implements S3TreeNode {
  children: S3TreeNode[] = [];
  nextToken?: string;
  loaded = false;
  /** The load in flight: a second click on "Load more…" waits for it instead of fetching again. */
  loading?: Promise<void>;
  error?: S3TreeNode;
  /** Narrows the listing to keys starting with key + filter. */
  filter = '';
  abstract readonly id: string;
  abstract readonly bucket: string;
  abstract readonly key: string;
  abstract readonly parent?: S3TreeNode;

  constructor(protected readonly host: ContainerHost) {}

  abstract getTreeItem(): vscode.TreeItem;

  /** The prefix actually listed: the node's own key plus the filter text. */
  get listPrefix(): string {
    return this.key + this.filter;
  }

  reset(): void {
    this.children = [];
    this.nextToken = undefined;
    this.loaded = false;
    this.loading = undefined;
    this.error = undefined;
  }

  async getChildren(): Promise<S3TreeNode[]> {
    if (!this.loaded) await this.host.loadPage(this);
    if (this.error) return [this.error];
    const out: S3TreeNode[] = [...this.children];
    if (this.nextToken) out.push(new LoadMoreNode(this));
    if (!out.length) out.push(new MessageNode(this, this.filter ? `No keys start with "${this.listPrefix}"` : 'No objects', 'info'));
    return out;
  }
}

export class BucketNode extends ContainerNode {
  readonly id: string;
  readonly key = '';
  readonly parent = undefined;
  constructor(
    host: ContainerHost,
    readonly bucket: string,
    readonly region?: string,
  ) {
    super(host);
    this.id = `s3/${bucket}`;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.bucket, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('database');
    item.description = [this.filter ? `filter: ${this.filter}` : '', this.region ?? ''].filter(Boolean).join(' · ') || undefined;
    item.contextValue = this.filter ? S3_CONTEXT.bucketFiltered : S3_CONTEXT.bucket;
    item.tooltip = formatS3Uri(this.bucket, '');
    return item;
  }
}

export class PrefixNode extends ContainerNode {
  readonly id: string;
  constructor(
    host: ContainerHost,
    readonly parent: ContainerNode,
    readonly key: string,
  ) {
    super(host);
    this.id = `s3/${parent.bucket}/${key}`;
  }
  get bucket(): string {
    return this.parent.bucket;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(keyLabel(this.key, this.parent.key), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = vscode.ThemeIcon.Folder;
    item.description = this.filter ? `filter: ${this.filter}` : undefined;
    item.contextValue = this.filter ? S3_CONTEXT.prefixFiltered : S3_CONTEXT.prefix;
    item.tooltip = formatS3Uri(this.bucket, this.key);
    return item;
  }
}

export class ObjectNode implements S3TreeNode {
  readonly id: string;
  constructor(
    readonly parent: ContainerNode,
    readonly key: string,
    readonly size?: number,
    readonly lastModified?: Date,
  ) {
    this.id = `s3/${parent.bucket}/${key}`;
  }
  get bucket(): string {
    return this.parent.bucket;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(keyLabel(this.key, this.parent.key), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = iconForKey(this.key);
    const modified = this.lastModified ? this.lastModified.toISOString().replace('T', ' ').slice(0, 16) : '';
    item.description = [formatBytes(this.size), modified].filter(Boolean).join(' · ');
    item.tooltip = `${formatS3Uri(this.bucket, this.key)}\n${this.size ?? '?'} bytes${modified ? `\nModified ${modified} UTC` : ''}`;
    item.contextValue = S3_CONTEXT.object;
    item.command = { command: 'ferry.s3.open', title: 'Open', arguments: [this] };
    return item;
  }
}

export class LoadMoreNode implements S3TreeNode {
  readonly id: string;
  constructor(readonly parent: ContainerNode | undefined, readonly rootId = 's3') {
    this.id = `${parent?.id ?? rootId}/~load-more`;
  }
  get bucket(): string {
    return this.parent?.bucket ?? '';
  }
  get key(): string {
    return this.parent?.key ?? '';
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = S3_CONTEXT.loadMore;
    item.command = { command: 'ferry.s3.loadMore', title: 'Load more…', arguments: [this] };
    return item;
  }
}

export class MessageNode implements S3TreeNode {
  readonly id: string;
  constructor(
    readonly parent: ContainerNode | undefined,
    readonly label: string,
    readonly kind: 'info' | 'error' | 'signIn',
    readonly detail?: string,
    readonly command?: vscode.Command,
  ) {
    this.id = `${parent?.id ?? 's3'}/~${kind}`;
  }
  get bucket(): string {
    return this.parent?.bucket ?? '';
  }
  get key(): string {
    return this.parent?.key ?? '';
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath =
      this.kind === 'error' ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')) : this.kind === 'signIn' ? new vscode.ThemeIcon('account') : new vscode.ThemeIcon('info');
    item.contextValue = this.kind === 'error' ? S3_CONTEXT.error : this.kind === 'signIn' ? S3_CONTEXT.signIn : S3_CONTEXT.message;
    item.tooltip = this.detail ?? this.label;
    item.command = this.command;
    return item;
  }
}
