// The Session view: the variables of the live session of the active notebook, or of the active
// file's folder on its default cluster, as the last run left them (name, type, shape or length,
// memory size). DataFrames expand to their columns and types. Refreshed after every run; Refresh
// reads the latest listing through the cluster's reader session, so it works while code runs.
// A Spark DataFrame is listed by its schema only: its rows are never counted or read for this.
import * as vscode from 'vscode';
import { classifyError } from '../../core/errors';
import { formatBytes } from '../../core/text';
import { RunController } from '../../run/runController';
import { SessionKey } from '../../run/service/sessions';
import { SessionVariable } from '../../run/service/spool';

export const SESSION_VIEW = 'ferry.databricks.session';

export const SESSION_CV = {
  variable: 'ferry:session:variable',
  frame: 'ferry:session:variable:frame',
  column: 'ferry:session:column',
  message: 'ferry:session:message',
} as const;

export interface SessionNode {
  readonly id: string;
  getTreeItem(): vscode.TreeItem;
  getChildren?(): SessionNode[];
}


function shapeText(v: SessionVariable): string {
  if (!v.shape) return '';
  if (v.kind === 'dataframe') return `${v.shape[0].toLocaleString('en-US')} × ${v.shape[1].toLocaleString('en-US')}`;
  if (v.kind === 'array') return `(${v.shape.join(', ')})`;
  return `length ${v.shape[0].toLocaleString('en-US')}`;
}

/** `DataFrame (pandas) · 1,200 × 5 · 96 KB`, `int · 41`. */
export function describeVariable(v: SessionVariable): string {
  const type = v.kind === 'spark' ? 'Spark DataFrame' : v.module && !['builtins', '__main__'].includes(v.module) ? `${v.type} (${v.module})` : v.type;
  const parts = [type];
  if (v.kind === 'spark') parts.push(`${(v.columns ?? []).length} columns`);
  const shape = shapeText(v);
  if (shape) parts.push(shape);
  if (v.dtype) parts.push(v.dtype);
  if (v.kind === 'value' && v.preview !== undefined) parts.push(v.preview);
  const size = formatBytes(v.size);
  if (size) parts.push(size);
  return parts.join(' · ');
}

export function isFrame(v: SessionVariable): boolean {
  return v.kind === 'dataframe' || v.kind === 'spark' || v.kind === 'series';
}

export class VariableNode implements SessionNode {
  readonly id: string;

  constructor(
    readonly key: SessionKey,
    readonly uri: vscode.Uri,
    readonly variable: SessionVariable,
  ) {
    this.id = `session/${key.clusterId}/${key.folder}/${variable.name}`;
  }

  getTreeItem(): vscode.TreeItem {
    const v = this.variable;
    const hasColumns = (v.columns?.length ?? 0) > 0;
    const item = new vscode.TreeItem(v.name, hasColumns ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = describeVariable(v);
    const md = new vscode.MarkdownString();
    md.appendText(`${v.name}: ${describeVariable(v)}`);
    if (v.kind === 'spark') md.appendText('\n\nRows are not counted: Show reads the first 10,000.');
    if (v.preview && v.kind !== 'value') md.appendCodeblock(v.preview, 'python');
    item.tooltip = md;
    item.iconPath = new vscode.ThemeIcon(isFrame(v) ? 'table' : v.kind === 'array' ? 'symbol-array' : v.kind === 'sized' ? 'symbol-structure' : 'symbol-variable');
    item.contextValue = isFrame(v) ? SESSION_CV.frame : SESSION_CV.variable;
    return item;
  }

  getChildren(): SessionNode[] {
    return (this.variable.columns ?? []).map(([name, type], i) => new ColumnNode(`${this.id}/col/${i}`, name, type));
  }
}

class ColumnNode implements SessionNode {
  constructor(
    readonly id: string,
    private readonly name: string,
    private readonly type: string,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.type;
    item.iconPath = new vscode.ThemeIcon('symbol-field');
    item.contextValue = SESSION_CV.column;
    return item;
  }
}

class MessageNode implements SessionNode {
  constructor(
    readonly id: string,
    private readonly label: string,
    private readonly icon: string,
    private readonly command?: vscode.Command,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.command = this.command;
    item.contextValue = SESSION_CV.message;
    return item;
  }
}

export class SessionTreeProvider implements vscode.TreeDataProvider<SessionNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<SessionNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** A refresh that failed, shown as a node until the next one. */
  private failure: string | undefined;

  constructor(private readonly controller: RunController) {
    const changed = () => this.emitter.fire(undefined);
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(changed),
      vscode.window.onDidChangeActiveNotebookEditor(changed),
      controller.onDidChangeVariables(() => this.refresh()),
      this.emitter,
    );
  }

  /** Called by the run area after each run, so the view follows it without polling. */
  refresh(failure?: string): void {
    this.failure = failure;
    this.emitter.fire(undefined);
  }

  getTreeItem(node: SessionNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  async getChildren(node?: SessionNode): Promise<SessionNode[]> {
    if (node) return node.getChildren?.() ?? [];
    try {
      const current = await this.controller.currentSession();
      if (!current) return [new MessageNode('session/none', 'Choose a default cluster to run code on, then run a file, a cell or a selection', 'info', { title: 'Choose Cluster', command: 'ferry.databricks.selectDefaultCluster' })];
      if (this.failure) return [new MessageNode('session/error', `Error: ${this.failure}`, 'error')];
      const listing = (await this.controller.variables())?.get(current.key);
      if (!current.live || !listing) return [new MessageNode('session/empty', `No session on ${current.clusterName} yet: run code to start one`, 'info', { title: 'Run File on Cluster', command: 'ferry.databricks.runFile' })];
      if (!listing.variables.length) return [new MessageNode('session/novars', 'No variables yet', 'info')];
      return listing.variables.map((v) => new VariableNode(current.key, current.uri, v));
    } catch (err) {
      return [new MessageNode('session/error', `Error: ${classifyError(err).message.split('\n')[0]}`, 'error')];
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
