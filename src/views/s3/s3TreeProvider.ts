// The S3 explorer's TreeDataProvider. It only delegates: buckets and every level below page through
// the shared tree kit, failures become nodes, and the tree rebuilds from scratch when the connection
// changes (profile, region, endpoint), so it is never stale.
import * as vscode from 'vscode';
import { AwsConnectionSource } from '../../aws/connection';
import { S3Service } from '../../aws/s3/s3Service';
import { Logger } from '../../core/logger';
import { pagedChildren } from '../shared/nodes';
import { Page, PagedList } from '../shared/paged';
import { BucketNode, ContainerHost, ContainerNode, ObjectNode, PrefixNode, S3_FAILURES, S3ItemNode, S3TreeNode } from './nodes';

export class S3TreeProvider implements vscode.TreeDataProvider<S3TreeNode>, ContainerHost, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<S3TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly buckets: PagedList<BucketNode>;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly s3: S3Service,
    connection: AwsConnectionSource,
    private readonly pageSize: () => number,
    private readonly logger: Logger,
  ) {
    this.buckets = new PagedList(
      async (token) => {
        try {
          const page = await this.s3.listBuckets(token, this.pageSize());
          return { items: page.items.map((b) => new BucketNode(this, b.name, b.region)), nextToken: page.nextToken };
        } catch (err) {
          this.logger.warn('ListBuckets failed', err);
          throw err;
        }
      },
      { key: (b) => b.bucket },
    );
    this.subscription = connection.onDidChange(() => this.refresh());
  }

  getTreeItem(node: S3TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  async getChildren(node?: S3TreeNode): Promise<S3TreeNode[]> {
    if (node) return node instanceof ContainerNode ? node.getChildren() : [];
    return pagedChildren<BucketNode, ContainerNode, BucketNode>(this.buckets, {
      id: 's3',
      node: undefined,
      item: (b) => b,
      emptyLabel: 'No buckets',
      policy: S3_FAILURES,
      doing: 's3:ListAllMyBuckets',
      loadMoreCommand: 'ferry.s3.loadMore',
      changed: () => this.emitter.fire(undefined),
    });
  }

  getParent(node: S3TreeNode): S3TreeNode | undefined {
    return node.parent;
  }

  /** Drops what a container (or, with no node, the whole tree) loaded, and any page in flight, and lists again. */
  refresh(node?: S3TreeNode): void {
    if (node instanceof ContainerNode) {
      node.reset();
      this.emitter.fire(node);
      return;
    }
    this.buckets.reset();
    this.emitter.fire(undefined);
  }

  fire(node?: S3TreeNode): void {
    this.emitter.fire(node);
  }

  /** The buckets loaded so far (for "Go to…" and tests). */
  loadedBuckets(): readonly BucketNode[] {
    return this.buckets.items;
  }

  async listPage(container: ContainerNode, token: string | undefined): Promise<Page<S3ItemNode>> {
    try {
      const page = await this.s3.listLevel(container.bucket, container.listPrefix, token, this.pageSize());
      const items: S3ItemNode[] = [
        ...page.prefixes.map((p) => new PrefixNode(this, container, p)),
        ...page.objects.map((o) => new ObjectNode(container, o.key, o.size, o.lastModified)),
      ];
      return { items, nextToken: page.nextToken };
    } catch (err) {
      this.logger.warn(`ListObjectsV2 failed for s3://${container.bucket}/${container.listPrefix}`, err);
      throw err;
    }
  }

  /** Finds (loading pages as needed) the node for a bucket + key, for "Go to s3://…". */
  async findNode(bucket: string, key: string): Promise<S3ItemNode | undefined> {
    let bucketNode = await this.buckets.find((b) => b.bucket === bucket);
    if (!bucketNode) {
      // A bucket the listing does not show (no ListAllMyBuckets permission): add it by name.
      bucketNode = new BucketNode(this, bucket);
      this.buckets.add(bucketNode);
      this.emitter.fire(undefined);
    }
    let current: ContainerNode = bucketNode;
    const segments = key.split('/');
    for (let i = 0; i < segments.length; i++) {
      const isLast = i === segments.length - 1;
      const target = segments.slice(0, i + 1).join('/') + (isLast ? '' : '/');
      if (target === '' || target === current.key) return current;
      const found = await current.list.find((c) => c.key === target);
      if (!found) return current;
      if (!(found instanceof ContainerNode)) return found;
      current = found;
    }
    return current;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
