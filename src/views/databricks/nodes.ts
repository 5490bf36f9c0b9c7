// Shared tree node shapes for the Databricks views: plain objects with a stable id, a tree item
// and children. Failures and empty states are nodes, never toasts.
import * as vscode from 'vscode';
import { classifyError } from '../../core/errors';
import { DatabricksConfigError } from '../../databricks/config';
import { DatabricksError } from '../../databricks/errors';
import { CV } from './contextValues';

export interface DatabricksNode {
  readonly id: string;
  getTreeItem(): vscode.TreeItem;
  getChildren?(): Promise<DatabricksNode[]> | DatabricksNode[];
}

export class MessageNode implements DatabricksNode {
  constructor(
    readonly id: string,
    private readonly label: string,
    private readonly icon: vscode.ThemeIcon,
    private readonly command?: vscode.Command,
    private readonly tooltip?: string,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = this.icon;
    item.command = this.command;
    item.tooltip = this.tooltip ?? this.label;
    item.contextValue = this.command?.command === 'ferry.databricks.signIn' ? CV.signIn : CV.message;
    return item;
  }
}

/** True when nothing is configured at all: the view stays empty so its welcome buttons show. */
export function isNotConfigured(err: unknown): boolean {
  return err instanceof DatabricksConfigError && /No Databricks workspace is configured/.test(err.message);
}

/** The nodes that stand for a failure: the message, then a way forward. */
export function errorNodes(prefix: string, err: unknown): DatabricksNode[] {
  if (isNotConfigured(err)) return [];
  const c = classifyError(err);
  const first = c.message.split('\n')[0];
  const nodes: DatabricksNode[] = [new MessageNode(`${prefix}/error`, `Error: ${first}`, new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')), undefined, c.message)];
  const authLike = c.kind === 'auth' || c.kind === 'config' || c.kind === 'forbidden' || (err instanceof DatabricksError && err.status === 0 && c.kind === 'network');
  if (authLike) {
    nodes.push(new MessageNode(`${prefix}/signIn`, 'Sign in…', new vscode.ThemeIcon('sign-in'), { title: 'Sign In', command: 'ferry.databricks.signIn' }));
    nodes.push(new MessageNode(`${prefix}/profile`, 'Choose profile…', new vscode.ThemeIcon('account'), { title: 'Choose Profile', command: 'ferry.databricks.selectProfile' }));
  } else {
    nodes.push(new MessageNode(`${prefix}/log`, 'Open log', new vscode.ThemeIcon('output'), { title: 'Open Log', command: 'ferry.showLog' }));
  }
  return nodes;
}

export class LoadMoreNode implements DatabricksNode {
  private pending: Promise<void> | undefined;

  constructor(
    readonly id: string,
    private readonly load: () => Promise<void>,
  ) {}

  /** Loads the next page once: a double click, or a click on a stale node, does not fetch twice. */
  run(): Promise<void> {
    this.pending ??= this.load();
    return this.pending;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = CV.loadMore;
    item.command = { title: 'Load more', command: 'ferry.databricks.loadMore', arguments: [this] };
    return item;
  }
}
