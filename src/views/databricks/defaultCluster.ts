// The default compute, remembered per workspace folder (and per workspace host, since a cluster id
// means nothing in another workspace): a cluster, or Serverless (jobs only: interactive runs need a
// cluster). And the status-bar item that shows it with its state.
import * as vscode from 'vscode';
import { ClusterDetails } from '../../databricks/clusters';
import { ClustersModel } from '../../databricks/clustersModel';
import { ConnectionManager } from '../../databricks/connection';
import { clusterIcon, stateWord } from './clusterPresentation';

export type DefaultCluster =
  | {
      kind: 'cluster';
      clusterId: string;
      clusterName?: string;
      /** Where it came from: chosen in Ferry, or the profile's cluster_id / DATABRICKS_CLUSTER_ID. */
      source: 'chosen' | 'profile';
    }
  | { kind: 'serverless'; source: 'chosen' };

/** What the picker hands to set(): a cluster, or serverless compute. */
export type DefaultChoice = Pick<ClusterDetails, 'cluster_id' | 'cluster_name'> | 'serverless';

type Stored = { clusterId: string; clusterName?: string } | { serverless: true };

/** The cluster id of a default, when the default is a cluster. */
export function defaultClusterId(d: DefaultCluster | undefined): string | undefined {
  return d?.kind === 'cluster' ? d.clusterId : undefined;
}

const key = (host: string, folder: string): string => `ferry.databricks.defaultCluster:${host}:${folder}`;

export class DefaultClusterService implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri | undefined>();
  /** Fires with the folder whose default changed (undefined: all, e.g. the workspace changed). */
  readonly onDidChange = this.emitter.event;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly state: vscode.Memento,
    private readonly connection: ConnectionManager,
  ) {
    this.subscription = connection.onDidChange(() => this.emitter.fire(undefined));
  }

  /** The folder a resource belongs to; without one, the active editor's folder or the first folder. */
  folderFor(resource?: vscode.Uri): vscode.WorkspaceFolder | undefined {
    const uri = resource ?? vscode.window.activeTextEditor?.document.uri;
    return (uri && vscode.workspace.getWorkspaceFolder(uri)) || vscode.workspace.workspaceFolders?.[0];
  }

  private folderKey(resource?: vscode.Uri): string {
    return this.folderFor(resource)?.uri.toString() ?? '(no folder)';
  }

  /** The default cluster for the folder of `resource` in the active workspace, if any. */
  async get(resource?: vscode.Uri): Promise<DefaultCluster | undefined> {
    const conn = await this.connection.current();
    const stored = this.state.get<Stored>(key(conn.host, this.folderKey(resource)));
    if (stored && 'serverless' in stored) return { kind: 'serverless', source: 'chosen' };
    if (stored?.clusterId) return { kind: 'cluster', clusterId: stored.clusterId, clusterName: stored.clusterName, source: 'chosen' };
    if (conn.clusterIdHint) return { kind: 'cluster', clusterId: conn.clusterIdHint, source: 'profile' };
    return undefined;
  }

  /** Like get(), but never throws (no workspace configured gives undefined). */
  async tryGet(resource?: vscode.Uri): Promise<DefaultCluster | undefined> {
    try {
      return await this.get(resource);
    } catch {
      return undefined;
    }
  }

  async set(choice: DefaultChoice, resource?: vscode.Uri): Promise<void> {
    const conn = await this.connection.current();
    const folder = this.folderFor(resource);
    const stored: Stored = choice === 'serverless' ? { serverless: true } : { clusterId: choice.cluster_id, clusterName: choice.cluster_name };
    await this.state.update(key(conn.host, folder?.uri.toString() ?? '(no folder)'), stored);
    this.emitter.fire(folder?.uri);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

/** `$(vm-running) ferry-shared-ml: Running` (or `$(cloud) Serverless`) in the status bar; clicking picks another default. */
export class DefaultClusterStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private asked = false;

  constructor(
    private readonly defaults: DefaultClusterService,
    private readonly model: ClustersModel,
  ) {
    this.item = vscode.window.createStatusBarItem('ferry.databricks.defaultCluster', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Ferry: Default Databricks Cluster';
    this.item.command = 'ferry.databricks.selectDefaultCluster';
    const modelSub = model.onDidChange(() => void this.update());
    this.disposables.push(
      this.item,
      { dispose: () => modelSub.dispose() },
      defaults.onDidChange(() => {
        this.asked = false;
        void this.update();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => void this.update()),
    );
    void this.update();
  }

  async update(): Promise<void> {
    const chosen = await this.defaults.tryGet();
    if (!chosen) {
      this.item.hide();
      return;
    }
    if (chosen.kind === 'serverless') {
      this.item.text = '$(cloud) Serverless';
      this.item.tooltip = new vscode.MarkdownString(
        '**Default Databricks compute** for this folder: Serverless\n\nJobs (Run File as Job, Create Job from File) run on serverless compute. Run File, Run Cell, Run Selection and notebook cells need a cluster.\n\nClick to choose a cluster.',
      );
      this.item.color = undefined;
      this.item.show();
      return;
    }
    const cluster = this.model.find(chosen.clusterId);
    if (!cluster && !this.asked && this.model.clusters === undefined && this.model.error === undefined) {
      // One list request to learn the state; polling stays with the view and transitions.
      this.asked = true;
      void this.model.refresh();
    }
    const name = cluster?.cluster_name ?? chosen.clusterName ?? chosen.clusterId;
    const state = cluster?.state;
    const icon = clusterIcon(state);
    this.item.text = `$(${icon.id}) ${name}${state ? `: ${stateWord(state)}` : ''}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**Default Databricks cluster** for this folder: ${name}\n\nState: ${state ? stateWord(state) : 'not loaded yet'}\n\nClick to choose another cluster.`,
    );
    this.item.color = icon.color;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
