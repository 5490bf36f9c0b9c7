// What the Databricks views share: their node shape and how they answer failures. Messages,
// failures and "Load more…" are the shared tree kit's nodes (views/shared); failures and empty
// states are nodes, never toasts.
import { FailureAction, failureGroup, FailurePolicy } from '../shared/failures';
import { failureNodes, MessageNode, TreeNode } from '../shared/nodes';

export interface DatabricksNode extends TreeNode {
  getChildren?(): Promise<DatabricksNode[]> | DatabricksNode[];
}

const SIGN_IN_ACTIONS: FailureAction[] = [
  { label: 'Sign in…', command: 'ferry.databricks.signIn', icon: 'sign-in' },
  { label: 'Choose profile…', command: 'ferry.databricks.selectProfile', icon: 'account' },
];

/**
 * How the Databricks views answer failures: nothing at all when no workspace is configured (the
 * views' welcome content offers the sign-in buttons); a way to sign in or switch profile for a
 * refused token, a denial or a host that does not answer; the log for anything else.
 */
export const DATABRICKS_FAILURES: FailurePolicy = {
  silent: ['notConfigured'],
  actions: {
    signIn: SIGN_IN_ACTIONS,
    denied: SIGN_IN_ACTIONS,
    network: SIGN_IN_ACTIONS,
    other: [{ label: 'Open log', command: 'ferry.showLog', icon: 'output' }],
  },
};

/** The nodes that stand for a failure under `prefix`: the message, then a way forward. */
export function errorNodes(prefix: string, err: unknown): DatabricksNode[] {
  return failureNodes<DatabricksNode>(prefix, undefined, err, DATABRICKS_FAILURES);
}

/** True when nothing is configured at all (the error's code says so): the views stay empty so their welcome buttons show. */
export function isNotConfigured(err: unknown): boolean {
  return failureGroup(err) === 'notConfigured';
}

/** A view whose root lists what a polled list holds (clusters, SQL warehouses). */
export interface PolledRootSpec<T> {
  /** Node id prefix, e.g. `databricks/clusters`. */
  prefix: string;
  /** The workspace host; its failure (not signed in, a bad profile) is shown as the view's nodes. */
  host(): Promise<string>;
  list: { readonly error: unknown; refresh(): Promise<void> };
  items(): T[] | undefined;
  id(item: T): string;
  /** Sort key (by name, as the workspace's own pages list them). */
  name(item: T): string;
  emptyLabel: string;
  /** The id of the one item marked (the default cluster, the SQL files' warehouse), asked after the list is there. */
  marked(): Promise<string | undefined>;
  node(host: string, item: T, isMarked: boolean): DatabricksNode;
}

/** The root nodes of a polled-list view: loads the list once if nothing has, then one node per item, or why there are none. */
export async function polledRootNodes<T>(spec: PolledRootSpec<T>): Promise<DatabricksNode[]> {
  let host: string;
  try {
    host = await spec.host();
  } catch (err) {
    return errorNodes(spec.prefix, err);
  }
  if (spec.items() === undefined && spec.list.error === undefined) await spec.list.refresh();
  if (spec.list.error !== undefined) return errorNodes(spec.prefix, spec.list.error);
  const marked = await spec.marked();
  const items = [...(spec.items() ?? [])].sort((a, b) => spec.name(a).localeCompare(spec.name(b)));
  if (items.length === 0) return [new MessageNode<DatabricksNode>(`${spec.prefix}/~empty`, undefined, spec.emptyLabel)];
  return items.map((item) => spec.node(host, item, spec.id(item) === marked));
}
