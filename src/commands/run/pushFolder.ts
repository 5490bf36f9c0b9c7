// Databricks: Push Folder — a whole folder to the remote root, keeping the layout; only changed
// files are sent. Nothing remote is deleted.
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';
import { PiiDataWarning } from '../../editor/piiWarning';
import { RunController } from '../../run/runController';
import { FerryCommand } from '../types';
import { confirmPush, reportPush } from './push';

export function pushFolderCommand(controller: RunController, warning: PiiDataWarning): FerryCommand {
  return {
    id: 'ferry.databricks.pushFolder',
    run: async (uri?: unknown) => {
      const folder =
        uri instanceof vscode.Uri
          ? uri
          : vscode.window.activeTextEditor
            ? vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri)?.uri
            : vscode.workspace.workspaceFolders?.[0]?.uri;
      if (!folder || folder.scheme !== 'file') throw new FerryError('invalidInput', 'Open a folder to push.');
      const r = await controller.push([folder], true, confirmPush(warning));
      reportPush(r);
      return r;
    },
  };
}
