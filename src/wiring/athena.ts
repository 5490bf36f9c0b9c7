// Wires the Athena explorer, queries and history (owned by the Athena area). Clients are built
// lazily from the shared AWS connection and dropped when it changes; nothing touches the network here.
import * as vscode from 'vscode';
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { S3Client } from '@aws-sdk/client-s3';
import { SettingsAwsConnectionSource } from '../aws/awsConnection';
import { AwsConnectionSource } from '../aws/connection';
import { athenaClientFor, AthenaService, s3ClientFor } from '../aws/athena/service';
import { AthenaCommandContext, DatabaseSelection } from '../commands/athena/context';
import { createTableFromPrefixCommand } from '../commands/athena/createTableFromPrefix';
import { reopenQueryCommand, showHistoryCommand } from '../commands/athena/history';
import { runQueryCommand } from '../commands/athena/runQuery';
import { copyNameCommand, generateSelectCommand, loadMoreCommand, previewTableCommand, refreshCommand, selectDatabaseCommand, showDdlCommand } from '../commands/athena/treeActions';
import { AthenaTreeProvider } from '../views/athena/athenaTreeProvider';
import type { SqlEngineSelection } from '../editor/sqlEngine';
import { AthenaCodeLensProvider } from '../views/athena/codeLens';
import { AwsWiring } from './aws';
import { ResultsWiring } from './results';
import { AreaWiring, CoreServices } from './types';

const ATHENA_KEYS = ['athena.workgroup', 'athena.outputLocation', 'athena.catalog'];

export function wireAthena(core: CoreServices, deps: { aws: AwsWiring; results: ResultsWiring; engines?: SqlEngineSelection }): AreaWiring {
  const subs = core.context.subscriptions;
  const connection: AwsConnectionSource =
    deps.aws.connection ??
    new SettingsAwsConnectionSource({
      profile: core.settings.get('aws.profile'),
      region: core.settings.get('aws.region'),
      s3Endpoint: core.settings.get('s3.endpoint'),
      athenaEndpoint: core.settings.get('athena.endpoint'),
      athenaRegion: core.settings.get('athena.region'),
    });
  let clients: { athena: AthenaClient; s3: S3Client } | undefined;
  const getClients = () => {
    if (!clients) {
      const conn = connection.current();
      clients = { athena: athenaClientFor(conn), s3: s3ClientFor(conn) };
    }
    return clients;
  };
  const dropClients = () => {
    clients?.athena.destroy();
    clients?.s3.destroy();
    clients = undefined;
  };
  subs.push({ dispose: dropClients });

  const service = new AthenaService(getClients, () => ({
    workGroup: core.settings.get('athena.workgroup'),
    outputLocation: core.settings.get('athena.outputLocation'),
    catalog: core.settings.get('athena.catalog'),
  }));
  const tree = new AthenaTreeProvider(service);
  const view = vscode.window.createTreeView('ferry.athena', { treeDataProvider: tree, showCollapseAll: true });
  const databases = new DatabaseSelection(core.context.workspaceState, service, () => core.settings.get('athena.catalog'));
  const showDatabase = (e = vscode.window.activeTextEditor) => databases.updateVisibility(e, !e || deps.engines?.peek(e.document.uri, e.document.getText()) !== 'databricks');
  showDatabase();
  subs.push(
    tree,
    view,
    databases,
    vscode.window.onDidChangeActiveTextEditor((e) => showDatabase(e)),
    ...(deps.engines ? [deps.engines.onDidChange(() => showDatabase())] : []),
    vscode.languages.registerCodeLensProvider({ language: 'sql' }, new AthenaCodeLensProvider(deps.engines)),
    connection.onDidChange(() => {
      dropClients();
      tree.refresh();
    }),
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
    s3: () => getClients().s3,
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
    ],
  };
}
