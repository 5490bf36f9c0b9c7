// Wires the Databricks connection and the clusters and jobs explorers (owned by the Databricks area).
// What other areas (run-on-cluster) get from here is DatabricksWiring below.
import fs from 'node:fs/promises';
import os from 'node:os';
import * as vscode from 'vscode';
import { cancelRunCommand } from '../commands/databricks/cancelRun';
import { createJobFromFileCommand } from '../commands/databricks/createJobFromFile';
import { loadMoreCommand } from '../commands/databricks/loadMore';
import { openClusterInBrowserCommand } from '../commands/databricks/openClusterInBrowser';
import { openRunPageCommand } from '../commands/databricks/openRunPage';
import { pauseScheduleCommand } from '../commands/databricks/pauseJobSchedule';
import { refreshClustersCommand } from '../commands/databricks/refreshClusters';
import { refreshJobsCommand } from '../commands/databricks/refreshJobs';
import { restartClusterCommand } from '../commands/databricks/restartCluster';
import { resumeScheduleCommand } from '../commands/databricks/resumeJobSchedule';
import { runJobNowCommand } from '../commands/databricks/runJobNow';
import { runJobNowWithParametersCommand } from '../commands/databricks/runJobNowWithParameters';
import { selectDefaultClusterCommand } from '../commands/databricks/selectDefaultCluster';
import { selectProfileCommand } from '../commands/databricks/selectProfile';
import { setDefaultClusterCommand } from '../commands/databricks/setDefaultCluster';
import { DatabricksCommandDeps } from '../commands/databricks/shared';
import { showClusterEventsCommand } from '../commands/databricks/showClusterEvents';
import { showClusterJsonCommand } from '../commands/databricks/showClusterJson';
import { showScheduleCommand } from '../commands/databricks/showJobSchedule';
import { showRunOutputCommand } from '../commands/databricks/showRunOutput';
import { signInCommand } from '../commands/databricks/signIn';
import { signInWithBrowserCommand } from '../commands/databricks/signInWithBrowser';
import { signOutCommand } from '../commands/databricks/signOut';
import { startClusterCommand } from '../commands/databricks/startCluster';
import { stopClusterCommand } from '../commands/databricks/stopCluster';
import { ClustersService } from '../databricks/clusters';
import { ClustersModel } from '../databricks/clustersModel';
import { ActiveConnection, ConnectionManager } from '../databricks/connection';
import { ClustersTreeProvider } from '../views/databricks/clustersTree';
import { DefaultClusterService, DefaultClusterStatusBar } from '../views/databricks/defaultCluster';
import { JobsTreeProvider } from '../views/databricks/jobsTree';
import { DatabricksNode } from '../views/databricks/nodes';
import { ResultsWiring } from './results';
import { AreaWiring, CoreServices } from './types';

export interface DatabricksWiring extends AreaWiring {
  /**
   * The active workspace. `current()` resolves the profile / env / signed-in token (no network)
   * and rejects with a DatabricksError (kind 'config' or 'auth', with Sign In / Choose Profile
   * actions) when nothing usable is configured. The ActiveConnection is a DatabricksTransport
   * plus `label`, `profile`, `clusterIdHint`, `clusters` (ClustersService) and `jobs` (JobsService).
   * `onDidChange` fires when the active workspace or its token changes: drop cached contexts.
   */
  connection: {
    current(): Promise<ActiveConnection>;
    onDidChange: vscode.Event<void>;
  };
  /**
   * The shared cluster list and poller. `model.find(id)` gives the last known state without a
   * request; `model.watch(id)` after starting a cluster yourself makes the views and status bar
   * follow its transition; `model.act(id, 'start')` starts it and watches it.
   */
  clusters: {
    model: ClustersModel;
    service(): Promise<ClustersService>;
  };
  /** The default cluster per workspace folder (and per workspace host). */
  defaultCluster: DefaultClusterService;
}

export function wireDatabricks(core: CoreServices, deps: { results: ResultsWiring }): DatabricksWiring {
  const { context, settings } = core;
  const logger = core.logger.scoped('databricks');
  const connection = new ConnectionManager(
    context.secrets,
    context.globalState,
    {
      env: process.env,
      homedir: os.homedir(),
      readFile: async (file) => {
        try {
          return await fs.readFile(file, 'utf8');
        } catch (err) {
          if ((err as { code?: string }).code === 'ENOENT') return undefined;
          throw err;
        }
      },
      profileSetting: () => settings.get('databricks.profile'),
    },
    logger,
    undefined,
    undefined,
    // Proxy and CA agents for every request to a workspace (REST, OAuth, M2M), made anew per client.
    () => core.network.current().createAgents(),
  );
  const changed = new vscode.EventEmitter<void>();
  const connectionSub = connection.onDidChange(() => changed.fire());

  const clustersService = async () => (await connection.current()).clusters;
  const model = new ClustersModel(clustersService);
  const defaults = new DefaultClusterService(context.workspaceState, connection);
  const clustersTree = new ClustersTreeProvider(model, connection, defaults);
  const jobsTree = new JobsTreeProvider(connection);
  const clustersView = vscode.window.createTreeView<DatabricksNode>('ferry.databricks.clusters', { treeDataProvider: clustersTree });
  const jobsView = vscode.window.createTreeView<DatabricksNode>('ferry.databricks.jobs', { treeDataProvider: jobsTree, showCollapseAll: true });
  // Polling follows visibility: zero requests while the views are hidden.
  model.setVisible(false);
  const modelReset = connection.onDidChange(() => model.reset());
  const statusBar = new DefaultClusterStatusBar(defaults, model);

  context.subscriptions.push(
    changed,
    { dispose: () => connectionSub.dispose() },
    { dispose: () => modelReset.dispose() },
    { dispose: () => model.dispose() },
    { dispose: () => connection.dispose() },
    defaults,
    clustersTree,
    jobsTree,
    clustersView,
    jobsView,
    statusBar,
    clustersView.onDidChangeVisibility((e) => model.setVisible(e.visible)),
    jobsView.onDidChangeVisibility((e) => jobsTree.setVisible(e.visible)),
    settings.onDidChange((keys) => {
      if (keys.includes('databricks.profile')) connection.invalidate();
    }),
    // New proxy or CA settings: the next request builds its client with new agents.
    core.network.onDidChange(() => connection.invalidate()),
  );
  if (clustersView.visible) model.setVisible(true);
  if (jobsView.visible) jobsTree.setVisible(true);

  const cmd: DatabricksCommandDeps = { connection, clustersModel: model, defaults, jobsTree, presenter: deps.results.presenter, settings, logger };
  return {
    commands: [
      signInCommand(cmd),
      signInWithBrowserCommand(cmd),
      signOutCommand(cmd),
      selectProfileCommand(cmd),
      refreshClustersCommand(cmd),
      startClusterCommand(cmd),
      stopClusterCommand(cmd),
      restartClusterCommand(cmd),
      setDefaultClusterCommand(cmd),
      selectDefaultClusterCommand(cmd),
      openClusterInBrowserCommand(cmd),
      showClusterJsonCommand(cmd),
      showClusterEventsCommand(cmd),
      refreshJobsCommand(cmd),
      loadMoreCommand(),
      runJobNowCommand(cmd),
      runJobNowWithParametersCommand(cmd),
      cancelRunCommand(cmd),
      showRunOutputCommand(cmd),
      openRunPageCommand(cmd),
      showScheduleCommand(cmd),
      pauseScheduleCommand(cmd),
      resumeScheduleCommand(cmd),
      createJobFromFileCommand(cmd),
    ],
    connection: { current: () => connection.current(), onDidChange: changed.event },
    clusters: { model, service: clustersService },
    defaultCluster: defaults,
  };
}
