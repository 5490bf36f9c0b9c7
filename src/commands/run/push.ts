// Databricks: Push File (Push Folder: pushFolder.ts) — to the remote root, keeping the layout; only changed
// files are sent. Nothing remote is deleted.
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';
import { RunController } from '../../run/runController';
import { PushResult } from '../../run/service/push';
import { FerryCommand } from '../types';
import { count } from '../../core/text';
import { ui } from '../../editor/messages';
import { PiiDataWarning } from '../../editor/piiWarning';

/** Says what a push did: sent, unchanged, skipped. */
export function reportPush(r: PushResult): void {
  const parts = [`Pushed ${count(r.uploaded.length, 'file')}`];
  if (r.unchanged) parts.push(`${r.unchanged} unchanged`);
  if (r.skipped.length) parts.push(`${r.skipped.length} skipped (see the log)`);
  void ui.info(r.uploaded.length === 0 && !r.skipped.length ? 'Up to date: nothing changed since the last push.' : `${parts.join(', ')}.`);
}

/** The PII guard's question before changed data files with personal data are pushed. */
export function confirmPush(warning: PiiDataWarning): (files: string[], remoteRoot: string) => Promise<boolean> {
  return (files, remoteRoot) => warning.confirm(files, { verb: 'Push', destination: remoteRoot });
}

export function pushFileCommand(controller: RunController, warning: PiiDataWarning): FerryCommand {
  return {
    id: 'ferry.databricks.pushFile',
    run: async (uri?: unknown, selected?: unknown) => {
      const many = Array.isArray(selected) ? selected.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : [];
      const target = many.length
        ? many
        : uri instanceof vscode.Uri
          ? [uri]
          : vscode.window.activeTextEditor
            ? [vscode.window.activeTextEditor.document.uri]
            : [];
      if (!target.length || target.some((u) => u.scheme !== 'file')) throw new FerryError('invalidInput', 'Choose a saved file to push.');
      for (const u of target) {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === u.toString());
        if (doc?.isDirty) await doc.save();
      }
      const r = await controller.push(target, false, confirmPush(warning));
      reportPush(r);
      return r;
    },
  };
}
