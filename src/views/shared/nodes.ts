// The tree nodes every view shares: a message ("No objects"), a failure with its ways forward
// ("Error: Access Denied", "Sign in…"), and "Load more…" at the end of a paged list. Plain objects
// with stable ids, like the views' own nodes; the views' providers only delegate to them.
import * as vscode from 'vscode';
import { TREE_CONTEXT } from './contextValues';
import { describeFailure, FailurePolicy } from './failures';
import { PagedList, pagedNodes } from './paged';
import { commandCall, LoadMoreCommandId } from '../../editor/commandArgs';

/** What every Ferry tree node is. */
export interface TreeNode {
  readonly id: string;
  readonly parent?: TreeNode;
  getTreeItem(): vscode.TreeItem;
  getChildren?(): Promise<TreeNode[]> | TreeNode[];
}

export type MessageKind = 'info' | 'error' | 'action';

export class MessageNode<P extends TreeNode = TreeNode> implements TreeNode {
  constructor(
    readonly id: string,
    readonly parent: P | undefined,
    readonly label: string,
    readonly kind: MessageKind = 'info',
    private readonly options: { tooltip?: string; command?: vscode.Command; icon?: string } = {},
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath =
      this.kind === 'error'
        ? new vscode.ThemeIcon(this.options.icon ?? 'error', new vscode.ThemeColor('errorForeground'))
        : new vscode.ThemeIcon(this.options.icon ?? (this.kind === 'action' ? 'arrow-right' : 'info'));
    item.contextValue = this.kind === 'error' ? TREE_CONTEXT.error : this.kind === 'action' ? TREE_CONTEXT.action : TREE_CONTEXT.message;
    item.tooltip = this.options.tooltip ?? this.label;
    item.command = this.options.command;
    return item;
  }
}

/** The nodes for a failure under `parentId`: "Error: …" and the ways forward; none when the view's welcome content answers. */
export function failureNodes<P extends TreeNode>(
  parentId: string,
  parent: P | undefined,
  err: unknown,
  policy: FailurePolicy,
  doing?: string,
): Array<MessageNode<P>> {
  const view = describeFailure(err, policy, doing);
  if (!view) return [];
  return [
    new MessageNode(`${parentId}/~error`, parent, view.label, 'error', { tooltip: view.detail }),
    ...view.actions.map(
      (a) =>
        new MessageNode(`${parentId}/~${a.command}`, parent, a.label, 'action', {
          icon: a.icon,
          command: commandCall(a.command, a.label),
        }),
    ),
  ];
}

/**
 * "Load more…": loads the next page of its list once, however often it is clicked. A click on a
 * node left over from before a refresh does nothing (the list's generation moved on).
 */
export class LoadMoreNode<P extends TreeNode = TreeNode> implements TreeNode {
  readonly id: string;
  private readonly generation: number;
  private pending: Promise<void> | undefined;

  constructor(
    parentId: string,
    readonly parent: P | undefined,
    private readonly list: PagedList<unknown>,
    /** Redraws the parent once the page is in. */
    private readonly changed: () => void,
    /** The view's own load-more command, which calls run(). */
    private readonly command: LoadMoreCommandId,
  ) {
    this.id = `${parentId}/~more`;
    this.generation = list.generation;
  }

  run(): Promise<void> {
    this.pending ??= this.list.loadMore(this.generation).then(() => this.changed());
    return this.pending;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.list.loading ? 'Loading…' : 'Load more…', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.list.loading ? 'loading~spin' : 'ellipsis');
    item.contextValue = TREE_CONTEXT.loadMore;
    item.command = commandCall(this.command, 'Load more…', this);
    return item;
  }
}

/** What a paged parent tells the kit: its id and node, how to draw an item, and what empty and failure look like. */
export interface PagedChildrenSpec<T, P extends TreeNode, N> {
  id: string;
  node: P | undefined;
  item(item: T): N;
  emptyLabel: string;
  policy: FailurePolicy;
  /** Names what was being done, for the error line ("s3:ListBucket on my-bucket"). */
  doing?: string;
  /** Nodes for a failure the view words itself (a workspace without Unity Catalog); undefined falls back to the policy. */
  failure?: (err: unknown) => Array<MessageNode<P>> | undefined;
  loadMoreCommand: LoadMoreCommandId;
  changed(): void;
}

/** Loads the first page if needed, then the children: items, an empty or failure node, and "Load more…". */
export async function pagedChildren<T, P extends TreeNode, N>(
  list: PagedList<T>,
  spec: PagedChildrenSpec<T, P, N>,
): Promise<Array<N | MessageNode<P> | LoadMoreNode<P>>> {
  await list.ensureLoaded();
  return pagedNodes<T, N | MessageNode<P> | LoadMoreNode<P>>(list, {
    item: (i) => spec.item(i),
    empty: () => new MessageNode(`${spec.id}/~empty`, spec.node, spec.emptyLabel),
    failure: (err) => spec.failure?.(err) ?? failureNodes(spec.id, spec.node, err, spec.policy, spec.doing),
    more: () => new LoadMoreNode(spec.id, spec.node, list as PagedList<unknown>, spec.changed, spec.loadMoreCommand),
  });
}
