// "Sync on save": pushes a saved file inside a workspace folder when the setting is on. Failures
// go to the log, not to toasts (a save must never nag). What .gitignore names is never pushed: the
// pusher applies the same PushRules to a saved file as Push Folder applies to a folder.
import * as vscode from 'vscode';
import { Logger } from '../core/logger';
import { SettingsService } from '../editor/settings';
import { RunController } from './runController';

export function watchSaves(controller: RunController, settings: SettingsService, logger: Logger): vscode.Disposable {
  return vscode.workspace.onDidSaveTextDocument((doc) => {
    if (!settings.get('databricks.syncOnSave') || doc.uri.scheme !== 'file' || !vscode.workspace.getWorkspaceFolder(doc.uri)) return;
    controller.push([doc.uri], false).then(
      (r) => r.uploaded.length && logger.info(`sync on save: pushed ${r.uploaded.join(', ')}`),
      (err) => logger.warn(`sync on save failed for ${doc.uri.fsPath}`, err),
    );
  });
}
