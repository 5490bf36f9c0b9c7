// The S3 tree's nodes: plain objects with a stable hierarchical id, getTreeItem() and
// getChildren(). Every item a command acts on (bucket, prefix, object) exposes `bucket` and `key`
// (the prefix ending in '/' for a prefix, '' for a bucket); paging, messages and failures come
// from the shared tree kit (views/shared).
import * as vscode from 'vscode';
import { formatBytes, formatS3Uri, keyLabel } from '../../aws/s3/keys';
import { FailurePolicy } from '../shared/failures';
import { LoadMoreNode, MessageNode, pagedChildren, TreeNode } from '../shared/nodes';
import { Page, PagedList } from '../shared/paged';
import { S3_CONTEXT } from './contextValues';
import { commandCall } from '../../editor/commandArgs';

/** A bucket, prefix or object: what S3 commands act on. */
export interface S3ItemNode extends TreeNode {
  readonly bucket: string;
  readonly key: string;
  readonly parent?: ContainerNode;
}

/** Every node of the S3 tree: its items, and the shared message and "Load more…" nodes. */
export type S3TreeNode = S3ItemNode | MessageNode<ContainerNode> | LoadMoreNode<ContainerNode>;

export function isS3Item(node: unknown): node is S3ItemNode {
  return !!node && typeof node === 'object' && 'bucket' in node && 'key' in node;
}

/** What a container node needs from the provider to load pages. */
export interface ContainerHost {
  /** One page of the level below the container (sub-prefixes, then objects). */
  listPage(container: ContainerNode, token: string | undefined): Promise<Page<S3ItemNode>>;
  fire(node?: S3TreeNode): void;
}

/** How the S3 tree answers failures: the way forward for credentials, and S3's own word for a denial. */
export const S3_FAILURES: FailurePolicy = {
  actions: {
    signIn: [{ label: 'Choose a profile / sign in…', command: 'ferry.aws.selectProfile', icon: 'account' }],
    denied: [{ label: 'Choose a profile…', command: 'ferry.aws.selectProfile', icon: 'account' }],
  },
  labels: { denied: 'Access Denied' },
};

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

export abstract class ContainerNode implements S3ItemNode {
  /** The level below, a page at a time. */
  readonly list: PagedList<S3ItemNode>;
  /** Narrows the listing to keys starting with key + filter. */
  filter = '';
  abstract readonly id: string;
  abstract readonly bucket: string;
  abstract readonly key: string;
  abstract readonly parent?: ContainerNode;

  constructor(protected readonly host: ContainerHost) {
    this.list = new PagedList((token) => host.listPage(this, token), { key: (n) => n.id });
  }

  abstract getTreeItem(): vscode.TreeItem;

  /** The prefix actually listed: the node's own key plus the filter text. */
  get listPrefix(): string {
    return this.key + this.filter;
  }

  reset(): void {
    this.list.reset();
  }

  getChildren(): Promise<S3TreeNode[]> {
    return pagedChildren(this.list, {
      id: this.id,
      node: this,
      item: (n) => n,
      emptyLabel: this.filter ? `No keys start with "${this.listPrefix}"` : 'No objects',
      policy: S3_FAILURES,
      doing: `s3:ListBucket on ${this.bucket}`,
      loadMoreCommand: 'ferry.s3.loadMore',
      changed: () => this.host.fire(this),
    });
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

export class ObjectNode implements S3ItemNode {
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
    item.command = commandCall('ferry.s3.open', 'Open', this);
    return item;
  }
}
