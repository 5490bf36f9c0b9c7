// The Clusters view: one node per cluster, its state as a coloured icon and a contextValue that
// carries the state, so the context menu only offers start, stop or restart when they make sense.
// The provider only delegates; polling lives in ClustersModel and follows the view's visibility.
import * as vscode from 'vscode';
import { ClusterDetails, describeCluster } from '../../databricks/clusters';
import { ClustersModel } from '../../databricks/clustersModel';
import { ConnectionManager } from '../../databricks/connection';
import { clusterIcon, clusterTooltip, stateWord } from './clusterPresentation';
import { clusterContext } from './contextValues';
import { defaultClusterId, DefaultClusterService } from './defaultCluster';
import { MessageNode } from '../shared/nodes';
import { DatabricksNode, errorNodes } from './nodes';

export class ClusterNode implements DatabricksNode {
  readonly id: string;

  constructor(
    readonly host: string,
    readonly cluster: ClusterDetails,
    readonly isDefault: boolean,
  ) {
    this.id = `databricks/${host}/cluster/${cluster.cluster_id}`;
  }

  getTreeItem(): vscode.TreeItem {
    const c = this.cluster;
    const item = new vscode.TreeItem(c.cluster_name ?? c.cluster_id, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = `${stateWord(c.state)}${this.isDefault ? ' (default)' : ''} · ${describeCluster(c)}`;
    item.tooltip = clusterTooltip(c, this.isDefault);
    item.iconPath = clusterIcon(c.state);
    item.contextValue = clusterContext(c.state, this.isDefault);
    item.accessibilityInformation = { label: `${c.cluster_name ?? c.cluster_id}, ${stateWord(c.state)}${this.isDefault ? ', default cluster' : ''}` };
    return item;
  }
}

export class ClustersTreeProvider implements vscode.TreeDataProvider<DatabricksNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<DatabricksNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly disposables: Array<{ dispose(): void }> = [];
  private defaultId: string | undefined;

  constructor(
    private readonly model: ClustersModel,
    private readonly connection: ConnectionManager,
    private readonly defaults: DefaultClusterService,
  ) {
    this.disposables.push(
      model.onDidChange(() => this.emitter.fire(undefined)),
      defaults.onDidChange(() => void this.updateDefault()),
      vscode.window.onDidChangeActiveTextEditor(() => void this.updateDefault()),
    );
  }

  private async updateDefault(): Promise<void> {
    const next = defaultClusterId(await this.defaults.tryGet());
    if (next !== this.defaultId) {
      this.defaultId = next;
      this.emitter.fire(undefined);
    }
  }

  getTreeItem(node: DatabricksNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  async getChildren(node?: DatabricksNode): Promise<DatabricksNode[]> {
    if (node) return (await node.getChildren?.()) ?? [];
    let host: string;
    try {
      host = (await this.connection.current()).host;
    } catch (err) {
      return errorNodes('databricks/clusters', err);
    }
    if (this.model.clusters === undefined && this.model.error === undefined) await this.model.refresh();
    if (this.model.error !== undefined) return errorNodes('databricks/clusters', this.model.error);
    this.defaultId = defaultClusterId(await this.defaults.tryGet());
    const clusters = [...(this.model.clusters ?? [])].sort((a, b) => (a.cluster_name ?? '').localeCompare(b.cluster_name ?? ''));
    if (clusters.length === 0) return [new MessageNode<DatabricksNode>('databricks/clusters/~empty', undefined, 'No clusters in this workspace')];
    return clusters.map((c) => new ClusterNode(host, c, c.cluster_id === this.defaultId));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.emitter.dispose();
  }
}
