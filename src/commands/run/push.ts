// Databricks: Push File / Push Folder — to the remote root, keeping the layout; only changed
// files are sent. Nothing remote is deleted.
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';
import { RunController } from '../../run/runController';
import { PushResult } from '../../run/service/push';
import { FerryCommand } from '../types';
import { count } from '../../core/text';
import { ui } from '../../editor/messages';

function report(r: PushResult): void {
  const parts = [`Pushed ${count(r.uploaded.length, 'file')}`];
  if (r.unchanged) parts.push(`${r.unchanged} unchanged`);
  if (r.skipped.length) parts.push(`${r.skipped.length} skipped (see the log)`);
  void ui.info(r.uploaded.length === 0 && !r.skipped.length ? 'Up to date: nothing changed since the last push.' : `${parts.join(', ')}.`);
}

export function pushFileCommand(controller: RunController): FerryCommand {
  return {
    id: 'ferry.databricks.pushFile',
    run: async (uri?: unknown, selected?: unknown) => {
      const many = Array.isArray(selected) ? selected.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : [];
      const target = many.length ? many : uri instanceof vscode.Uri ? [uri] : vscode.window.activeTextEditor ? [vscode.window.activeTextEditor.document.uri] : [];
      if (!target.length || target.some((u) => u.scheme !== 'file')) throw new FerryError('invalidInput', 'Choose a saved file to push.');
      for (const u of target) {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === u.toString());
        if (doc?.isDirty) await doc.save();
      }
      const r = await controller.push(target, false);
      report(r);
      return r;
    },
  };
}

export function pushFolderCommand(controller: RunController): FerryCommand {
  return {
    id: 'ferry.databricks.pushFolder',
    run: async (uri?: unknown) => {
      const folder = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor ? vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri)?.uri : vscode.workspace.workspaceFolders?.[0]?.uri;
      if (!folder || folder.scheme !== 'file') throw new FerryError('invalidInput', 'Open a folder to push.');
      const r = await controller.push([folder], true);
      report(r);
      return r;
    },
  };
}
