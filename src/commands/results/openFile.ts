// Ferry: Open File in Result Viewer — a local .json or .csv file (the active editor's by default).
import * as vscode from 'vscode';
import { resultFromFile } from '../../results/fileResult';
import type { ResultPresenter } from '../../results/model';
import type { FerryCommand } from '../types';
import { ui } from '../../editor/messages';

export function openFileCommand(presenter: ResultPresenter): FerryCommand {
  return {
    id: 'ferry.results.openFile',
    run: async (uri?: unknown) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!target) {
        void ui.info('Open a .json or .csv file first.');
        return;
      }
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
      const name = target.path.split('/').pop() ?? target.path;
      const result = resultFromFile(name, text);
      presenter.show({ source: `file:${target.toString()}`, title: result.title, outputs: result.outputs });
    },
  };
}
