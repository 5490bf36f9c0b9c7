// Wires the AWS connection (profiles, region, endpoints) and the S3 explorer (owned by the S3 area).
import * as vscode from 'vscode';
import { AwsConnectionSettings, SettingsAwsConnectionSource } from '../aws/awsConnection';
import { AwsConnectionSource } from '../aws/connection';
import { AwsClients, S3ClientOptions } from '../aws/clients';
import { S3Service } from '../aws/s3/s3Service';
import { selectProfileCommand } from '../commands/aws/selectProfile';
import { selectRegionCommand } from '../commands/aws/selectRegion';
import { S3CommandContext } from '../commands/s3/context';
import { copyUriCommand } from '../commands/s3/copy';
import { copyPresignedUrlCommand } from '../commands/s3/copyPresignedUrl';
import { createFolderCommand } from '../commands/s3/createFolder';
import { deleteCommand } from '../commands/s3/delete';
import { downloadCommand } from '../commands/s3/download';
import { clearFilterCommand } from '../commands/s3/clearFilter';
import { filterCommand } from '../commands/s3/filter';
import { goToCommand } from '../commands/s3/goTo';
import { openCommand } from '../commands/s3/open';
import { openAsTextCommand } from '../commands/s3/openAsText';
import { refreshCommand } from '../commands/s3/tree';
import { loadMoreCommand } from '../commands/s3/loadMore';
import { uploadCommand, uploadTo } from '../commands/s3/upload';
import { FerrySettings, SettingKey } from '../core/config';
import { PiiDataWarning } from '../editor/piiWarning';
import { S3DragAndDropController } from '../views/s3/dragAndDrop';
import { S3TreeNode } from '../views/s3/nodes';
import { S3_SCHEME, S3FileSystemProvider } from '../views/s3/s3FileSystemProvider';
import { S3TreeProvider } from '../views/s3/s3TreeProvider';
import { ResultsWiring } from './results';
import { AreaWiring, CoreServices } from './types';

export interface AwsWiring extends AreaWiring {
  connection: AwsConnectionSource;
  /** The one AWS client factory (S3 and Athena), rebuilt on connection and network changes. */
  clients: AwsClients;
}

const CONNECTION_KEYS: SettingKey[] = ['aws.profile', 'aws.region', 's3.endpoint', 'athena.endpoint', 'athena.region'];
const CLIENT_KEYS: SettingKey[] = ['s3.checksum', 's3.forcePathStyle'];

export function connectionSettings(s: FerrySettings): AwsConnectionSettings {
  return {
    profile: s['aws.profile'],
    region: s['aws.region'],
    s3Endpoint: s['s3.endpoint'],
    athenaEndpoint: s['athena.endpoint'],
    athenaRegion: s['athena.region'],
  };
}

function clientOptions(s: FerrySettings): S3ClientOptions {
  return { checksum: s['s3.checksum'], forcePathStyle: s['s3.forcePathStyle'] };
}

export function wireAws(core: CoreServices, deps: { results: ResultsWiring }): AwsWiring {
  const { context, settings } = core;
  const logger = core.logger.scoped('s3');
  const connection = new SettingsAwsConnectionSource(connectionSettings(settings.value));
  const clients = new AwsClients(connection, clientOptions(settings.value), core.network);
  const s3 = new S3Service(clients);
  const tree = new S3TreeProvider(s3, connection, () => settings.get('s3.pageSize'), logger);

  const piiWarning = new PiiDataWarning(settings, context.workspaceState, core.logger.scoped('pii'));
  const ctx: S3CommandContext = { s3, tree, settings, presenter: deps.results.presenter, logger, connection, piiWarning };
  const view = vscode.window.createTreeView<S3TreeNode>('ferry.s3', {
    treeDataProvider: tree,
    showCollapseAll: true,
    canSelectMany: true,
    dragAndDropController: new S3DragAndDropController((target, files) => uploadTo(ctx, target, files)),
  });
  ctx.view = view;

  const status = vscode.window.createStatusBarItem('ferry.aws.profile', vscode.StatusBarAlignment.Left, 10);
  status.name = 'Ferry AWS Profile';
  status.command = 'ferry.aws.selectProfile';
  const showStatus = () => {
    status.text = `$(cloud) ${connection.describe()}`;
    status.tooltip = `Ferry AWS profile and region${connection.current().s3Endpoint ? `\nS3 endpoint: ${connection.current().s3Endpoint}` : ''}\nClick to choose a profile`;
    status.show();
  };
  showStatus();

  context.subscriptions.push(
    view,
    tree,
    status,
    { dispose: () => clients.dispose() },
    connection.onDidChange(showStatus),
    core.network.onDidChange(() => tree.refresh()),
    vscode.workspace.registerFileSystemProvider(S3_SCHEME, new S3FileSystemProvider(s3, () => settings.get('s3.maxEditSizeMB') * 1024 * 1024), {
      isCaseSensitive: true,
    }),
    settings.onDidChange((keys) => {
      if (keys.some((k) => CONNECTION_KEYS.includes(k))) connection.update(connectionSettings(settings.value)); // fires → clients cleared, tree refreshed
      if (keys.some((k) => CLIENT_KEYS.includes(k))) {
        clients.setOptions(clientOptions(settings.value));
        tree.refresh();
      }
      if (keys.includes('s3.pageSize')) tree.refresh();
    }),
  );

  return {
    connection,
    clients,
    commands: [
      selectProfileCommand(settings, connection),
      selectRegionCommand(settings),
      refreshCommand(ctx),
      loadMoreCommand(ctx),
      openCommand(ctx),
      openAsTextCommand(ctx),
      uploadCommand(ctx),
      downloadCommand(ctx),
      deleteCommand(ctx),
      createFolderCommand(ctx),
      copyUriCommand(ctx),
      copyPresignedUrlCommand(ctx),
      filterCommand(ctx),
      clearFilterCommand(ctx),
      goToCommand(ctx),
    ],
  };
}
