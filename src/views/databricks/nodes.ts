// What the Databricks views share: their node shape and how they answer failures. Messages,
// failures and "Load more…" are the shared tree kit's nodes (views/shared); failures and empty
// states are nodes, never toasts.
import { FailureAction, failureGroup, FailurePolicy } from '../shared/failures';
import { failureNodes, TreeNode } from '../shared/nodes';

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
