// Wires push, run-on-cluster, cells, inline results and the notebook kernel (owned by the run area).
import * as vscode from 'vscode';
import { pushFileCommand } from '../commands/run/push';
import { pushFolderCommand } from '../commands/run/pushFolder';
import { restartSessionCommand } from '../commands/run/restartSession';
import { runCellCommand } from '../commands/run/runCell';
import { runFileCommand } from '../commands/run/runFile';
import { runOnClusterCommand } from '../commands/run/runOnCluster';
import { runFileAsJobCommand } from '../commands/run/runFileAsJob';
import { runSelectionCommand } from '../commands/run/runSelection';
import { sessionDeleteCommand } from '../commands/run/sessionDelete';
import { sessionRefreshCommand } from '../commands/run/sessionRefresh';
import { sessionShowCommand } from '../commands/run/sessionShow';
import { SESSION_VIEW, SessionTreeProvider } from '../views/session/sessionTree';
import { CellCodeLensProvider } from '../run/cellCodeLens';
import { DATABRICKS_NOTEBOOK_TYPE, DatabricksSourceSerializer } from '../run/databricksSourceSerializer';
import { DatabricksNotebookKernel } from '../run/notebookKernel';
import { RunController } from '../run/runController';
import { MlflowService } from '../databricks/mlflow/service';
import { mlflowRunFacts } from '../databricks/mlflow/runLink';
import type { SqlCellHook } from '../run/sqlCellHook';
import { watchSaves } from '../run/syncOnSave';
import { PiiDataWarning } from '../editor/piiWarning';
import { DatabricksWiring } from './databricks';
import { ResultsWiring } from './results';
import { AreaWiring, CoreServices } from './types';

export interface RunWiring extends AreaWiring {
  controller: RunController;
}

export function wireRun(core: CoreServices, deps: { databricks: DatabricksWiring; results: ResultsWiring; sqlCells?: SqlCellHook }): RunWiring {
  const logger = core.logger.scoped('run');
  const controller = new RunController({
    connection: deps.databricks.connection,
    defaultCluster: deps.databricks.defaultCluster,
    presenter: deps.results.presenter,
    settings: core.settings,
    logger,
    storageDir: core.context.globalStorageUri.fsPath,
    // The result header links the MLflow runs a run logged to (see databricks/mlflow/runLink.ts).
    mlflowFacts: (outputs, window) =>
      mlflowRunFacts(
        async () => new MlflowService(await deps.databricks.connection.current()),
        outputs,
        window,
        (m) => logger.info(m),
      ),
  });
  const kernel = new DatabricksNotebookKernel(controller, deps.databricks.defaultCluster, logger);
  kernel.sqlCells = deps.sqlCells;
  const piiWarning = new PiiDataWarning(core.settings, core.context.workspaceState, core.logger.scoped('pii'));
  const sessionTree = new SessionTreeProvider(controller, () => core.settings.get('pii.guard'));
  core.context.subscriptions.push(
    controller,
    kernel,
    sessionTree,
    vscode.window.createTreeView(SESSION_VIEW, { treeDataProvider: sessionTree, showCollapseAll: true }),
    deps.databricks.defaultCluster.onDidChange(() => sessionTree.refresh()),
    core.settings.onDidChange((keys) => keys.includes('pii.guard') && sessionTree.refresh()),
    vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, new CellCodeLensProvider()),
    vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'untitled' }, new CellCodeLensProvider()),
    vscode.workspace.registerNotebookSerializer(DATABRICKS_NOTEBOOK_TYPE, new DatabricksSourceSerializer()),
    watchSaves(controller, core.settings, logger, piiWarning),
  );
  return {
    controller,
    commands: [
      runFileCommand(controller),
      runOnClusterCommand(controller),
      runCellCommand(controller),
      runSelectionCommand(controller),
      restartSessionCommand(controller),
      runFileAsJobCommand(controller),
      pushFileCommand(controller, piiWarning),
      pushFolderCommand(controller, piiWarning),
      sessionRefreshCommand(controller, sessionTree),
      sessionShowCommand(controller),
      sessionDeleteCommand(controller),
    ],
  };
}
