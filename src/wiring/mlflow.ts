// Wires the Experiments view (MLflow tracking on the active Databricks workspace) and its
// commands. Nothing touches the network here: the service is made per use from the connection,
// which resolves lazily. Signed artifact URLs go through the network module's agents, made again
// when the proxy or CA settings change.
import * as vscode from 'vscode';
import { filterRunsCommand } from '../commands/mlflow/filterRuns';
import { clearFilterCommand } from '../commands/mlflow/clearFilter';
import { showMetricChartCommand } from '../commands/mlflow/charts';
import { compareRunsCommand } from '../commands/mlflow/compareRuns';
import { openArtifactCommand } from '../commands/mlflow/artifacts';
import { downloadArtifactCommand } from '../commands/mlflow/downloadArtifact';
import { MlflowCommandContext } from '../commands/mlflow/context';
import { loadMoreCommand } from '../commands/mlflow/loadMore';
import { refreshCommand } from '../commands/mlflow/refresh';
import { openRunCommand } from '../commands/mlflow/runs';
import { openInBrowserCommand } from '../commands/mlflow/openInBrowser';
import { copyRunIdCommand } from '../commands/mlflow/copyRunId';
import type { HttpAgents } from '../core/network';
import { MlflowService } from '../databricks/mlflow/service';
import { ExperimentsTreeProvider } from '../views/mlflow/experimentsTree';
import { MlflowTreeNode } from '../views/mlflow/nodes';
import { DatabricksWiring } from './databricks';
import { ResultsWiring } from './results';
import { AreaWiring, CoreServices } from './types';

export interface MlflowWiring extends AreaWiring {
  /** The MLflow service of the active workspace (the run links use it). */
  service(): Promise<MlflowService>;
}

export function wireMlflow(core: CoreServices, deps: { databricks: DatabricksWiring; results: ResultsWiring }): MlflowWiring {
  const connection = deps.databricks.connection;
  const service = async () => new MlflowService(await connection.current());
  let agents: HttpAgents | undefined;
  const network = core.network.onDidChange(() => {
    agents?.httpAgent.destroy();
    agents?.httpsAgent.destroy();
    agents = undefined;
  });
  const settings = () => {
    const size = Number(core.settings.get('mlflow.runsPageSize'));
    const keys = core.settings.get('mlflow.keyMetrics');
    return {
      runsPageSize: Number.isFinite(size) ? Math.max(1, Math.min(1000, Math.round(size))) : 100,
      keyMetrics: Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [],
    };
  };
  const tree = new ExperimentsTreeProvider(service, settings, (listener) => connection.onDidChange(listener));
  const view = vscode.window.createTreeView<MlflowTreeNode>('ferry.mlflow', { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  const ctx: MlflowCommandContext = {
    tree,
    view,
    mlflow: service,
    agents: () => (agents ??= core.network.current().createAgents()),
    presenter: deps.results.presenter,
    logger: core.logger.scoped('mlflow'),
    cacheDir: core.context.globalStorageUri.fsPath,
  };
  core.context.subscriptions.push(tree, view, network, { dispose: () => (agents?.httpAgent.destroy(), agents?.httpsAgent.destroy()) });
  // A changed page size or key metrics list shows at once.
  core.context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('ferry.mlflow')) tree.refresh();
    }),
  );

  return {
    service,
    commands: [
      refreshCommand(ctx),
      loadMoreCommand(),
      filterRunsCommand(ctx),
      clearFilterCommand(ctx),
      showMetricChartCommand(ctx),
      compareRunsCommand(ctx),
      openArtifactCommand(ctx),
      downloadArtifactCommand(ctx),
      openRunCommand(ctx),
      copyRunIdCommand(ctx),
      openInBrowserCommand(ctx),
    ],
  };
}
