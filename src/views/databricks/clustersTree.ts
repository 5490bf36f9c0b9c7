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
import { DatabricksNode, polledRootNodes } from './nodes';

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
    return polledRootNodes<ClusterDetails>({
      prefix: 'databricks/clusters',
      host: async () => (await this.connection.current()).host,
      list: this.model,
      items: () => this.model.clusters,
      id: (c) => c.cluster_id,
      name: (c) => c.cluster_name ?? '',
      emptyLabel: 'No clusters in this workspace',
      marked: async () => (this.defaultId = defaultClusterId(await this.defaults.tryGet())),
      node: (host, c, isDefault) => new ClusterNode(host, c, isDefault),
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.emitter.dispose();
  }
}
