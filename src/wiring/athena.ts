// Wires the Athena explorer, queries and history (owned by the Athena area). Clients come lazily
// from the one AWS client factory (shared with S3, so result buckets in another region, the proxy
// and the CA list work the same); nothing touches the network here.
import * as vscode from 'vscode';
import { AthenaService } from '../aws/athena/service';
import { AthenaCommandContext, DatabaseSelection } from '../commands/athena/context';
import { createTableFromPrefixCommand } from '../commands/athena/createTableFromPrefix';
import { compareDatasetsCommand } from '../commands/drift/compareDatasets';
import { showHistoryCommand } from '../commands/athena/history';
import { reopenQueryCommand } from '../commands/athena/reopenQuery';
import { runQueryCommand } from '../commands/athena/runQuery';
import { previewTableCommand } from '../commands/athena/treeActions';
import { selectDatabaseCommand } from '../commands/athena/selectDatabase';
import { loadMoreCommand } from '../commands/athena/loadMore';
import { refreshCommand } from '../commands/athena/refresh';
import { showDdlCommand } from '../commands/athena/showDdl';
import { copyNameCommand } from '../commands/athena/copyName';
import { generateSelectCommand } from '../commands/athena/generateSelect';
import { AthenaTreeProvider } from '../views/athena/athenaTreeProvider';
import type { SqlEngineSelection } from '../editor/sqlEngine';
import { AthenaCodeLensProvider } from '../views/athena/codeLens';
import { AwsWiring } from './aws';
import { ResultsWiring } from './results';
import { AreaWiring, CoreServices } from './types';

const ATHENA_KEYS = ['athena.workgroup', 'athena.outputLocation', 'athena.catalog'];

export function wireAthena(core: CoreServices, deps: { aws: AwsWiring; results: ResultsWiring; engines?: SqlEngineSelection }): AreaWiring {
  const subs = core.context.subscriptions;
  const { connection, clients } = deps.aws;
  const s3ForBucket = (bucket: string) => clients.forBucket(bucket);
  const getClients = () => ({ athena: clients.athena(), s3: s3ForBucket });

  const service = new AthenaService(getClients, () => ({
    workGroup: core.settings.get('athena.workgroup'),
    outputLocation: core.settings.get('athena.outputLocation'),
    catalog: core.settings.get('athena.catalog'),
  }));
  const tree = new AthenaTreeProvider(service);
  const view = vscode.window.createTreeView('ferry.athena', { treeDataProvider: tree, showCollapseAll: true });
  const databases = new DatabaseSelection(core.context.workspaceState, service, () => core.settings.get('athena.catalog'));
  const showDatabase = (e = vscode.window.activeTextEditor) =>
    databases.updateVisibility(e, !e || deps.engines?.peek(e.document.uri, e.document.getText()) !== 'databricks');
  showDatabase();
  subs.push(
    tree,
    view,
    databases,
    vscode.window.onDidChangeActiveTextEditor((e) => showDatabase(e)),
    ...(deps.engines ? [deps.engines.onDidChange(() => showDatabase())] : []),
    vscode.languages.registerCodeLensProvider({ language: 'sql' }, new AthenaCodeLensProvider(deps.engines)),
    // The factory drops its clients on a change of connection or network; the tree reloads.
    connection.onDidChange(() => tree.refresh()),
    core.network.onDidChange(() => tree.refresh()),
    core.settings.onDidChange((keys) => {
      if (keys.some((k) => ATHENA_KEYS.includes(k))) tree.refresh();
    }),
  );

  const ctx: AthenaCommandContext = {
    service,
    tree,
    view,
    presenter: deps.results.presenter,
    settings: () => core.settings.value,
    databases,
    s3: s3ForBucket,
    logger: core.logger,
    engines: deps.engines,
  };
  return {
    commands: [
      runQueryCommand(ctx),
      previewTableCommand(ctx),
      generateSelectCommand(ctx),
      copyNameCommand(ctx),
      showDdlCommand(ctx),
      refreshCommand(ctx),
      loadMoreCommand(ctx),
      selectDatabaseCommand(ctx),
      showHistoryCommand(ctx),
      reopenQueryCommand(ctx),
      createTableFromPrefixCommand(ctx),
      // Drift between datasets runs in Athena, on the Athena area's service and database.
      compareDatasetsCommand(ctx),
    ],
  };
}
