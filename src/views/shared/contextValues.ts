// The contextValues of the nodes every tree shares (views/shared/nodes.ts). No menu offers
// anything on them; they are named so that `viewItem` clauses can tell them apart from real items.
export const TREE_CONTEXT = {
  loadMore: 'ferry:tree:loadMore',
  message: 'ferry:tree:message',
  error: 'ferry:tree:error',
  /** A way forward after an error ("Sign in…", "Open log"): the node runs it when clicked. */
  action: 'ferry:tree:action',
} as const;
