// The Experiments view's nodes: experiments → runs (status, start, duration, user, source; key
// metrics as the description), paged and filtered with MLflow's filter syntax → Parameters,
// Metrics, Tags and Artifacts (folders and files, paged). Plain objects with stable hierarchical
// ids on the shared tree kit: every list pages with "Load more…", failures and empty states are nodes.
import * as vscode from 'vscode';
import { formatBytes } from '../../aws/s3/keys';
import { artifactKind } from '../../databricks/mlflow/artifactKinds';
import { MlflowService } from '../../databricks/mlflow/service';
import { ArtifactEntry, formatDuration, formatMetric, MlflowExperiment, MlflowMetric, MlflowRun, runSource } from '../../databricks/mlflow/types';
import { DATABRICKS_FAILURES } from '../databricks/nodes';
import { MessageNode, pagedChildren, PagedChildrenSpec, TreeNode } from '../shared/nodes';
import { mapPages, PagedList } from '../shared/paged';
import { MLFLOW_CONTEXT } from './contextValues';
import { artifactPages, runPages } from './pages';
import { commandCall } from '../../editor/commandArgs';

export interface MlflowTreeNode extends TreeNode {
  readonly parent?: MlflowTreeNode;
  getChildren?(): Promise<MlflowTreeNode[]> | MlflowTreeNode[];
}

/** What the nodes need: the service of the active workspace, the view's settings, a way to redraw. */
export interface MlflowContext {
  mlflow(): Promise<MlflowService>;
  settings(): { runsPageSize: number; keyMetrics: string[] };
  changed(node: MlflowTreeNode | undefined): void;
}

const LOAD_MORE = 'ferry.mlflow.loadMore';

function paged<T, P extends MlflowTreeNode>(
  list: PagedList<T>,
  spec: Omit<PagedChildrenSpec<T, P, T>, 'item' | 'policy' | 'loadMoreCommand'>,
): Promise<MlflowTreeNode[]> {
  return pagedChildren<T, P, T>(list, { item: (n) => n, policy: DATABRICKS_FAILURES, loadMoreCommand: LOAD_MORE, ...spec }) as Promise<MlflowTreeNode[]>;
}

function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** An experiment's name is its workspace path: show the last part, the folder as the description. */
export function experimentLabel(name: string): { label: string; folder: string } {
  const i = name.lastIndexOf('/');
  return i <= 0 ? { label: name, folder: '' } : { label: name.slice(i + 1) || name, folder: name.slice(0, i) };
}

export class ExperimentNode implements MlflowTreeNode {
  readonly id: string;
  readonly parent = undefined;
  readonly runs: PagedList<RunNode>;
  private filterText = '';

  constructor(
    readonly experiment: MlflowExperiment,
    private readonly ctx: MlflowContext,
  ) {
    this.id = `mlflow/${experiment.id}`;
    // The fetcher reads the filter when it runs: a new filter is a reset, not a new list.
    this.runs = new PagedList(
      mapPages(
        (token) => runPages(ctx.mlflow, experiment.id, { filter: this.filterText, pageSize: ctx.settings().runsPageSize })(token),
        (r) => new RunNode(this, r, ctx),
      ),
      { key: (n) => n.run.id },
    );
  }

  get filter(): string {
    return this.filterText;
  }

  setFilter(filter: string): void {
    this.filterText = filter.trim();
    this.runs.reset();
  }

  getTreeItem(): vscode.TreeItem {
    const { label, folder } = experimentLabel(this.experiment.name);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.filterText ? 'filter' : 'beaker');
    item.description = this.filterText ? `filter: ${this.filterText}` : folder;
    item.tooltip = [
      this.experiment.name,
      `Experiment ${this.experiment.id}`,
      this.experiment.artifactLocation ? `Artifacts: ${this.experiment.artifactLocation}` : '',
      this.filterText ? `Filter: ${this.filterText}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    item.contextValue = this.filterText ? MLFLOW_CONTEXT.filteredExperiment : MLFLOW_CONTEXT.experiment;
    return item;
  }

  reset(): void {
    this.runs.reset();
  }

  async getChildren(): Promise<MlflowTreeNode[]> {
    const children = await paged(this.runs, {
      id: this.id,
      node: this,
      emptyLabel: this.filterText ? 'No runs match the filter' : 'No runs',
      doing: this.filterText ? `runs matching ${this.filterText}` : `runs of ${this.experiment.name}`,
      failure: (err) => this.filterFailure(err),
      changed: () => this.ctx.changed(this),
    });
    if (!this.filterText) return children;
    const banner = new MessageNode<MlflowTreeNode>(`${this.id}/~filter`, this, `Filter: ${this.filterText}`, 'action', {
      icon: 'filter',
      tooltip: 'Click to change the filter',
      command: commandCall('ferry.mlflow.filterRuns', 'Filter Runs…', this),
    });
    return [banner, ...children];
  }

  /** A filter the service refused: its message, and the ways out (edit it, or drop it). */
  private filterFailure(err: unknown): MessageNode<MlflowTreeNode>[] | undefined {
    const code = (err as { errorCode?: string })?.errorCode;
    if (!this.filterText || code !== 'INVALID_PARAMETER_VALUE') return undefined;
    const message = (err as { serverMessage?: string }).serverMessage ?? String(err);
    return [
      new MessageNode(`${this.id}/~error`, this, `The filter was refused: ${message}`, 'error', { tooltip: message }),
      new MessageNode(`${this.id}/~edit`, this, 'Edit Filter…', 'action', {
        icon: 'edit',
        command: commandCall('ferry.mlflow.filterRuns', 'Filter Runs…', this),
      }),
      new MessageNode(`${this.id}/~clear`, this, 'Clear Filter', 'action', {
        icon: 'clear-all',
        command: commandCall('ferry.mlflow.clearFilter', 'Clear Filter', this),
      }),
    ];
  }
}

const STATUS_ICONS: Record<string, [string, string | undefined]> = {
  FINISHED: ['pass', 'testing.iconPassed'],
  FAILED: ['error', 'errorForeground'],
  RUNNING: ['sync~spin', undefined],
  SCHEDULED: ['clock', undefined],
  KILLED: ['circle-slash', 'disabledForeground'],
};

/** Up to three metrics for a run's description: the ones the setting names first, then by name. */
export function keyMetrics(metrics: MlflowMetric[], preferred: string[], count = 3): MlflowMetric[] {
  const byKey = new Map(metrics.map((m) => [m.key, m]));
  const first = preferred.map((k) => byKey.get(k)).filter((m): m is MlflowMetric => !!m);
  const rest = [...metrics].filter((m) => !preferred.includes(m.key)).sort((a, b) => a.key.localeCompare(b.key));
  return [...first, ...rest].slice(0, count);
}

export class RunNode implements MlflowTreeNode {
  readonly id: string;
  readonly artifacts: ArtifactFolderNode;

  constructor(
    readonly parent: ExperimentNode,
    readonly run: MlflowRun,
    private readonly ctx: MlflowContext,
  ) {
    this.id = `${parent.id}/${run.id}`;
    this.artifacts = new ArtifactFolderNode(this, this, { path: '', isDir: true }, ctx, true);
  }

  getTreeItem(): vscode.TreeItem {
    const r = this.run;
    const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const [icon, colour] = STATUS_ICONS[r.status] ?? ['circle-outline', undefined];
    item.iconPath = new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
    item.description = keyMetrics(r.metrics, this.ctx.settings().keyMetrics)
      .map((m) => `${m.key} ${formatMetric(m.value)}`)
      .join(' · ');
    const started = r.startTime !== undefined ? new Date(r.startTime).toLocaleString() : undefined;
    const duration = formatDuration(
      r.endTime !== undefined && r.startTime !== undefined
        ? r.endTime - r.startTime
        : r.status === 'RUNNING' && r.startTime !== undefined
          ? Date.now() - r.startTime
          : undefined,
    );
    const tip = new vscode.MarkdownString(undefined, false);
    tip.appendMarkdown(`**${md(r.name)}** — ${r.status.toLowerCase()}\n\n`);
    for (const [k, v] of [
      ['Started', started],
      ['Duration', duration && (r.status === 'RUNNING' ? `${duration} so far` : duration)],
      ['User', r.userId],
      ['Source', runSource(r)],
      ['Run ID', r.id],
    ] as Array<[string, string | undefined]>) {
      if (v) tip.appendMarkdown(`${k}: ${md(v)}  \n`);
    }
    item.tooltip = tip;
    item.contextValue = `${MLFLOW_CONTEXT.runPrefix}${r.status.toLowerCase()}`;
    return item;
  }

  getChildren(): MlflowTreeNode[] {
    const r = this.run;
    const groups: MlflowTreeNode[] = [];
    const params = Object.entries(r.params).sort(([a], [b]) => a.localeCompare(b));
    const tags = Object.entries(r.tags).sort(([a], [b]) => Number(a.startsWith('mlflow.')) - Number(b.startsWith('mlflow.')) || a.localeCompare(b));
    groups.push(new GroupNode(this, 'params', `Parameters`, params.length, (g) => params.map(([k, v]) => new KeyValueNode(g, 'param', k, v))));
    groups.push(
      new GroupNode(this, 'metrics', 'Metrics', r.metrics.length, (g) =>
        [...r.metrics].sort((a, b) => a.key.localeCompare(b.key)).map((m) => new MetricNode(g, this, m)),
      ),
    );
    groups.push(new GroupNode(this, 'tags', 'Tags', tags.length, (g) => tags.map(([k, v]) => new KeyValueNode(g, 'tag', k, v))));
    groups.push(this.artifacts);
    return groups;
  }

  reset(): void {
    this.artifacts.reset();
  }
}

export class GroupNode implements MlflowTreeNode {
  readonly id: string;

  constructor(
    readonly parent: RunNode,
    readonly kind: 'params' | 'metrics' | 'tags',
    private readonly label: string,
    private readonly count: number,
    private readonly children: (group: GroupNode) => MlflowTreeNode[],
  ) {
    this.id = `${parent.id}/~${kind}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, this.count ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.kind === 'params' ? 'settings' : this.kind === 'metrics' ? 'graph-line' : 'tag');
    item.description = this.count ? String(this.count) : 'none';
    item.contextValue = MLFLOW_CONTEXT[this.kind];
    return item;
  }

  getChildren(): MlflowTreeNode[] {
    return this.children(this);
  }
}

export class KeyValueNode implements MlflowTreeNode {
  readonly id: string;

  constructor(
    readonly parent: GroupNode,
    readonly kind: 'param' | 'tag',
    readonly key: string,
    readonly value: string,
  ) {
    this.id = `${parent.id}/${encodeURIComponent(key)}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.key, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.value.length > 120 ? `${this.value.slice(0, 120)}…` : this.value;
    item.tooltip = `${this.key} = ${this.value}`;
    item.contextValue = MLFLOW_CONTEXT[this.kind];
    return item;
  }
}

export class MetricNode implements MlflowTreeNode {
  readonly id: string;

  constructor(
    readonly parent: GroupNode,
    readonly runNode: RunNode,
    readonly metric: MlflowMetric,
  ) {
    this.id = `${parent.id}/${encodeURIComponent(metric.key)}`;
  }

  getTreeItem(): vscode.TreeItem {
    const m = this.metric;
    const item = new vscode.TreeItem(m.key, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('graph-line');
    item.description = `${formatMetric(m.value)}${m.step ? ` at step ${m.step}` : ''}`;
    item.tooltip = `${m.key}: ${m.value} (step ${m.step}, ${new Date(m.timestamp).toLocaleString()})\nClick for its history as a chart.`;
    item.contextValue = MLFLOW_CONTEXT.metric;
    item.command = commandCall('ferry.mlflow.showMetricChart', 'Show Metric Chart', this);
    return item;
  }
}

/** What artifact commands act on: a run and a path below its artifact root. */
export interface ArtifactItem {
  readonly runNode: RunNode;
  readonly entry: ArtifactEntry;
}

export function isArtifactItem(node: unknown): node is ArtifactItem & MlflowTreeNode {
  return node instanceof ArtifactFolderNode || node instanceof ArtifactFileNode;
}

export class ArtifactFolderNode implements MlflowTreeNode, ArtifactItem {
  readonly id: string;
  private listing: PagedList<ArtifactFolderNode | ArtifactFileNode> | undefined;

  constructor(
    readonly parent: MlflowTreeNode,
    readonly runNode: RunNode,
    readonly entry: ArtifactEntry,
    private readonly ctx: MlflowContext,
    private readonly root = false,
  ) {
    this.id = root ? `${parent.id}/~artifacts` : `${parent.id}/${encodeURIComponent(entry.path.slice(entry.path.lastIndexOf('/') + 1))}`;
  }

  /** Made on first use: the id the entries' ids are built from exists by then. */
  get entries(): PagedList<ArtifactFolderNode | ArtifactFileNode> {
    if (!this.listing) {
      const toNode = (e: ArtifactEntry) => (e.isDir ? new ArtifactFolderNode(this, this.runNode, e, this.ctx) : new ArtifactFileNode(this, this.runNode, e));
      this.listing = new PagedList(mapPages(artifactPages(this.ctx.mlflow, this.runNode.run.id, this.entry.path), toNode), { key: (n) => n.entry.path });
    }
    return this.listing;
  }

  getTreeItem(): vscode.TreeItem {
    const name = this.root ? 'Artifacts' : this.entry.path.slice(this.entry.path.lastIndexOf('/') + 1);
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.root ? 'package' : 'folder');
    item.tooltip = this.root ? (this.runNode.run.artifactUri ?? 'Artifacts') : this.entry.path;
    item.contextValue = MLFLOW_CONTEXT.artifactFolder;
    return item;
  }

  reset(): void {
    this.listing?.reset();
  }

  getChildren(): Promise<MlflowTreeNode[]> {
    return paged(this.entries, {
      id: this.id,
      node: this,
      emptyLabel: this.root ? 'No artifacts' : 'Empty folder',
      doing: `artifacts of ${this.runNode.run.name}${this.entry.path ? ` in ${this.entry.path}` : ''}`,
      changed: () => this.ctx.changed(this),
    });
  }
}

export class ArtifactFileNode implements MlflowTreeNode, ArtifactItem {
  readonly id: string;

  constructor(
    readonly parent: ArtifactFolderNode,
    readonly runNode: RunNode,
    readonly entry: ArtifactEntry,
  ) {
    this.id = `${parent.id}/${encodeURIComponent(entry.path.slice(entry.path.lastIndexOf('/') + 1))}`;
  }

  get name(): string {
    return this.entry.path.slice(this.entry.path.lastIndexOf('/') + 1);
  }

  getTreeItem(): vscode.TreeItem {
    const kind = artifactKind(this.entry.path);
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(kind === 'table' ? 'table' : kind === 'image' ? 'file-media' : kind === 'text' ? 'file-text' : 'file-binary');
    item.description = this.entry.size !== undefined ? formatBytes(this.entry.size) : undefined;
    item.tooltip = `${this.entry.path}${this.entry.size !== undefined ? ` (${formatBytes(this.entry.size)})` : ''}${kind === 'other' ? '\nDownload it to open it.' : ''}`;
    item.contextValue = `${MLFLOW_CONTEXT.artifactFilePrefix}${kind}`;
    if (kind !== 'other') item.command = commandCall('ferry.mlflow.openArtifact', 'Open Artifact', this);
    return item;
  }
}
