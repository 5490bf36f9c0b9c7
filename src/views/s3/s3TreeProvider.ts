// The S3 explorer's TreeDataProvider. It only delegates to the nodes, pages listings with
// continuation tokens behind a lock, turns failures into nodes, and rebuilds from scratch when the
// connection changes (profile, region, endpoint), so the tree is never stale.
import * as vscode from 'vscode';
import { AwsConnectionSource } from '../../aws/connection';
import { S3Service } from '../../aws/s3/s3Service';
import { classifyError } from '../../core/errors';
import { Logger } from '../../core/logger';
import { BucketNode, ContainerHost, ContainerNode, LoadMoreNode, MessageNode, ObjectNode, PrefixNode, S3TreeNode } from './nodes';

const CREDENTIAL_ERRORS = /CredentialsProviderError|Could not load credentials|Unable to find a valid credentials|profile .* could not be found|SSO session|Token is expired|InvalidAccessKeyId|SignatureDoesNotMatch|ExpiredToken/i;

/** A node for a failure: "Choose a profile / sign in…" for missing or rejected credentials, else an error that names the bucket and action. */
export function errorNode(err: unknown, parent: ContainerNode | undefined, action: string): S3TreeNode {
  const name = (err as { name?: string })?.name ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (CREDENTIAL_ERRORS.test(name) || CREDENTIAL_ERRORS.test(message)) {
    return new MessageNode(parent, 'Choose a profile / sign in…', 'signIn', `No usable AWS credentials: ${message}`, {
      command: 'ferry.aws.selectProfile',
      title: 'Choose AWS Profile',
    });
  }
  const where = parent ? ` on ${parent.bucket}` : '';
  if (/AccessDenied|Forbidden/i.test(name)) return new MessageNode(parent, `Error: Access Denied (${action}${where})`, 'error', message);
  const classified = classifyError(err);
  return new MessageNode(parent, `Error: ${classified.message.split('\n')[0]} (${action}${where})`, 'error', message);
}

export class S3TreeProvider implements vscode.TreeDataProvider<S3TreeNode>, ContainerHost, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<S3TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private buckets: BucketNode[] = [];
  private bucketsToken?: string;
  private bucketsLoaded = false;
  private bucketsLoading?: Promise<void>;
  private rootError?: S3TreeNode;
  private generation = 0;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly s3: S3Service,
    connection: AwsConnectionSource,
    private readonly pageSize: () => number,
    private readonly logger: Logger,
  ) {
    this.subscription = connection.onDidChange(() => this.refresh());
  }

  getTreeItem(node: S3TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  async getChildren(node?: S3TreeNode): Promise<S3TreeNode[]> {
    if (node) return node.getChildren ? node.getChildren() : [];
    if (!this.bucketsLoaded) await this.loadBuckets();
    if (this.rootError) return [this.rootError];
    const out: S3TreeNode[] = [...this.buckets];
    if (this.bucketsToken) out.push(new LoadMoreNode(undefined));
    if (!out.length) out.push(new MessageNode(undefined, 'No buckets', 'info'));
    return out;
  }

  getParent(node: S3TreeNode): S3TreeNode | undefined {
    return node.parent;
  }

  /** Drops everything loaded (and any load in flight) and lists again. */
  refresh(node?: S3TreeNode): void {
    if (node instanceof ContainerNode) {
      node.reset();
      this.emitter.fire(node);
      return;
    }
    this.generation++;
    this.buckets = [];
    this.bucketsToken = undefined;
    this.bucketsLoaded = false;
    this.bucketsLoading = undefined;
    this.rootError = undefined;
    this.emitter.fire(undefined);
  }

  fire(node?: S3TreeNode): void {
    this.emitter.fire(node);
  }

  /** The buckets loaded so far (for "Go to…" and tests). */
  loadedBuckets(): BucketNode[] {
    return this.buckets;
  }

  private loadBuckets(): Promise<void> {
    if (this.bucketsLoading) return this.bucketsLoading;
    const generation = this.generation;
    const run = (async () => {
      try {
        const page = await this.s3.listBuckets(this.bucketsToken, this.pageSize());
        if (generation !== this.generation) return;
        const known = new Set(this.buckets.map((b) => b.bucket));
        for (const b of page.items) if (!known.has(b.name)) this.buckets.push(new BucketNode(this, b.name, b.region));
        this.bucketsToken = page.nextToken;
      } catch (err) {
        if (generation !== this.generation) return;
        this.logger.warn('ListBuckets failed', err);
        this.rootError = errorNode(err, undefined, 's3:ListAllMyBuckets');
      } finally {
        if (generation === this.generation) {
          this.bucketsLoaded = true;
          this.bucketsLoading = undefined;
        }
      }
    })();
    this.bucketsLoading = run;
    return run;
  }

  /** Loads the next page of a container; concurrent calls share the one request in flight. */
  loadPage(container: ContainerNode): Promise<void> {
    if (container.loading) return container.loading;
    const generation = this.generation;
    const run = (async () => {
      try {
        const page = await this.s3.listLevel(container.bucket, container.listPrefix, container.nextToken, this.pageSize());
        if (generation !== this.generation) return;
        for (const p of page.prefixes) container.children.push(new PrefixNode(this, container, p));
        for (const o of page.objects) container.children.push(new ObjectNode(container, o.key, o.size, o.lastModified));
        container.nextToken = page.nextToken;
        container.error = undefined;
      } catch (err) {
        if (generation !== this.generation) return;
        this.logger.warn(`ListObjectsV2 failed for s3://${container.bucket}/${container.listPrefix}`, err);
        container.error = errorNode(err, container, 's3:ListBucket');
        container.nextToken = undefined;
      } finally {
        container.loaded = true;
        container.loading = undefined;
      }
    })();
    container.loading = run;
    return run;
  }

  /** "Load more…": fetches the next page once, however often it is clicked. */
  async loadMore(node: LoadMoreNode): Promise<void> {
    if (!node.parent) {
      if (!this.bucketsToken) return;
      const before = this.bucketsLoading;
      if (!before) {
        this.bucketsLoaded = false;
        await this.loadBuckets();
      } else await before;
      this.emitter.fire(undefined);
      return;
    }
    const container = node.parent;
    if (!container.nextToken && !container.loading) return;
    await this.loadPage(container);
    this.emitter.fire(container);
  }

  /** Finds (loading pages as needed) the node for a bucket + key, for "Go to s3://…". */
  async findNode(bucket: string, key: string): Promise<S3TreeNode | undefined> {
    await this.getChildren();
    let bucketNode = this.buckets.find((b) => b.bucket === bucket);
    while (!bucketNode && this.bucketsToken) {
      this.bucketsLoaded = false;
      await this.loadBuckets();
      bucketNode = this.buckets.find((b) => b.bucket === bucket);
    }
    if (!bucketNode) {
      // A bucket the listing does not show (no ListAllMyBuckets permission): add it by name.
      bucketNode = new BucketNode(this, bucket);
      this.buckets.push(bucketNode);
      this.emitter.fire(undefined);
    }
    let current: ContainerNode = bucketNode;
    const segments = key.split('/');
    for (let i = 0; i < segments.length; i++) {
      const isLast = i === segments.length - 1;
      const target = segments.slice(0, i + 1).join('/') + (isLast ? '' : '/');
      if (target === '' || target === current.key) return current;
      const found = await this.findChild(current, target);
      if (!found) return current;
      if (!(found instanceof ContainerNode)) return found;
      current = found;
    }
    return current;
  }

  private async findChild(container: ContainerNode, key: string): Promise<S3TreeNode | undefined> {
    if (!container.loaded) await this.loadPage(container);
    for (;;) {
      const hit = container.children.find((c) => c.key === key);
      if (hit || !container.nextToken) return hit;
      await this.loadPage(container);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
