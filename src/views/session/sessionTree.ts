// The Session view: the variables of the live session of the active notebook, or of the active
// file's folder on its default cluster, as the last run left them (name, type, shape or length,
// memory size). DataFrames expand to their columns and types. Refreshed after every run; Refresh
// reads the latest listing through the cluster's reader session, so it works while code runs.
// A Spark DataFrame is listed by its schema only: its rows are never counted or read for this.
// The PII guard: a value's preview is masked (e-mail addresses, card numbers… in a repr), and a
// DataFrame's columns named like personal data say so; Show opens the value in the result viewer,
// which masks it too and offers Reveal there.
import * as vscode from 'vscode';
import { columnNameKind } from '../../core/pii/columnNames';
import { kindLabel, PiiKind } from '../../core/pii/kinds';
import { maskText } from '../../core/pii/mask';
import { redact } from '../../core/redact';
import { formatBytes } from '../../core/text';
import { RunController } from '../../run/runController';
import { SessionKey } from '../../run/service/sessions';
import { SessionVariable } from '../../run/service/spool';
import { DATABRICKS_FAILURES } from '../databricks/nodes';
import { failureNodes, MessageNode, TreeNode } from '../shared/nodes';
import { commandCall } from '../../editor/commandArgs';

export const SESSION_VIEW = 'ferry.databricks.session';

export const SESSION_CV = {
  variable: 'ferry:session:variable',
  frame: 'ferry:session:variable:frame',
  column: 'ferry:session:column',
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

/** A variable as the view shows it: its preview masked while the PII guard is on. */
export function guardedVariable(v: SessionVariable, guard: boolean): { variable: SessionVariable; masked: number } {
  if (!guard || v.preview === undefined) return { variable: v, masked: 0 };
  const { text, spans } = maskText(v.preview);
  return spans.length ? { variable: { ...v, preview: text }, masked: spans.length } : { variable: v, masked: 0 };
}

/** Columns of a DataFrame whose names say they hold personal data: [name, kind]. */
export function personalColumns(v: SessionVariable): Array<[string, PiiKind]> {
  return (v.columns ?? []).flatMap(([name, type]) => {
    const kind = columnNameKind(name, type === 'bool' ? 'boolean' : type);
    return kind ? [[name, kind] as [string, PiiKind]] : [];
  });
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
    /** Whether the PII guard is on (previews masked, personal columns marked). */
    private readonly guard = true,
  ) {
    this.id = `session/${key.clusterId}/${key.folder}/${variable.name}`;
  }

  getTreeItem(): vscode.TreeItem {
    const { variable: v, masked } = guardedVariable(this.variable, this.guard);
    const hasColumns = (v.columns?.length ?? 0) > 0;
    const item = new vscode.TreeItem(v.name, hasColumns ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = describeVariable(v);
    const md = new vscode.MarkdownString();
    md.appendText(`${v.name}: ${describeVariable(v)}`);
    if (v.kind === 'spark') md.appendText('\n\nRows are not counted: Show reads the first 10,000.');
    const personal = this.guard ? personalColumns(v) : [];
    if (masked) md.appendText(`\n\nPersonal data in the preview is masked (${masked}). Show opens it in the result viewer, where Reveal shows it.`);
    if (personal.length) md.appendText(`\n\nColumns with personal data, masked when shown: ${personal.map(([n]) => n).join(', ')}.`);
    if (v.preview && v.kind !== 'value') md.appendCodeblock(v.preview, 'python');
    item.tooltip = md;
    item.iconPath = new vscode.ThemeIcon(
      isFrame(v) ? 'table' : v.kind === 'array' ? 'symbol-array' : v.kind === 'sized' ? 'symbol-structure' : 'symbol-variable',
    );
    item.contextValue = isFrame(v) ? SESSION_CV.frame : SESSION_CV.variable;
    return item;
  }

  getChildren(): SessionNode[] {
    const personal = new Map(this.guard ? personalColumns(this.variable) : []);
    return (this.variable.columns ?? []).map(([name, type], i) => new ColumnNode(`${this.id}/col/${i}`, name, type, personal.get(name)));
  }
}

class ColumnNode implements SessionNode {
  constructor(
    readonly id: string,
    private readonly name: string,
    private readonly type: string,
    /** What personal data its name says it holds (masked when shown). */
    private readonly personal?: PiiKind,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.personal ? `${this.type} · personal data (${kindLabel(this.personal)})` : this.type;
    if (this.personal) item.tooltip = `${this.name} looks like it holds ${kindLabel(this.personal, true)}: masked when shown in the result viewer.`;
    item.iconPath = new vscode.ThemeIcon(this.personal ? 'shield' : 'symbol-field');
    item.contextValue = SESSION_CV.column;
    return item;
  }
}

/** A message with a way forward, as the other trees show them (the shared tree kit's node). */
function message(id: string, label: string, command?: vscode.Command): SessionNode {
  return new MessageNode(id, undefined, label, command ? 'action' : 'info', { command, icon: 'info' });
}

export class SessionTreeProvider implements vscode.TreeDataProvider<SessionNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<SessionNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** A refresh that failed, shown as a node until the next one. */
  private failure: string | undefined;

  constructor(
    private readonly controller: RunController,
    /** Whether the PII guard is on (`ferry.pii.guard`). */
    private readonly piiGuard: () => boolean = () => true,
  ) {
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
      if (!current)
        return [
          message(
            'session/none',
            'Choose a default cluster to run code on, then run a file, a cell or a selection',
            commandCall('ferry.databricks.selectDefaultCluster', 'Choose Cluster'),
          ),
        ];
      if (this.failure) return [new MessageNode('session/~error', undefined, `Error: ${redact(this.failure)}`, 'error')];
      const listing = (await this.controller.variables())?.get(current.key);
      if (!current.live || !listing)
        return [
          message(
            'session/empty',
            `No session on ${current.clusterName} yet: run code to start one`,
            commandCall('ferry.databricks.runFile', 'Run File on Cluster'),
          ),
        ];
      if (!listing.variables.length) return [message('session/novars', 'No variables yet')];
      const guard = this.piiGuard();
      return listing.variables.map((v) => new VariableNode(current.key, current.uri, v, guard));
    } catch (err) {
      return failureNodes<TreeNode>('session', undefined, err, DATABRICKS_FAILURES);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
