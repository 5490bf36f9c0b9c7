// "Sync on save": pushes a saved file inside a workspace folder when the setting is on. Failures
// go to the log, not to toasts (a save must never nag). What .gitignore names is never pushed: the
// pusher applies the same PushRules to a saved file as Push Folder applies to a folder. The one
// question it may ask is the PII guard's, before a data file with personal data is sent; the
// answer holds for that file until the window closes, so saving it again does not ask again (a
// "no" keeps it from being pushed on save, which the log says each time).
import * as vscode from 'vscode';
import { isCancellation } from '../core/errors';
import { Logger } from '../core/logger';
import { PiiDataWarning } from '../editor/piiWarning';
import { SettingsService } from '../editor/settings';
import { RunController } from './runController';

export function watchSaves(controller: RunController, settings: SettingsService, logger: Logger, warning: PiiDataWarning): vscode.Disposable {
  const answered = new Map<string, boolean>();
  const confirm = async (files: string[], remoteRoot: string): Promise<boolean> => {
    const flagged = await warning.scan(files, { progress: false });
    if (!flagged.length) return true;
    const known = flagged.map((f) => answered.get(f.file));
    if (known.every((k) => k === true)) return true;
    if (known.some((k) => k === false)) return false;
    const ok = await warning.ask(flagged, { verb: 'Push', destination: remoteRoot });
    for (const f of flagged) answered.set(f.file, ok);
    return ok;
  };
  return vscode.workspace.onDidSaveTextDocument((doc) => {
    if (!settings.get('databricks.syncOnSave') || doc.uri.scheme !== 'file' || !vscode.workspace.getWorkspaceFolder(doc.uri)) return;
    controller.push([doc.uri], false, confirm).then(
      (r) => r.uploaded.length && logger.info(`sync on save: pushed ${r.uploaded.join(', ')}`),
      (err) =>
        isCancellation(err)
          ? logger.info(`sync on save: not pushing ${doc.uri.fsPath} (it holds personal data, and the push was declined)`)
          : logger.warn(`sync on save failed for ${doc.uri.fsPath}`, err),
    );
  });
}
