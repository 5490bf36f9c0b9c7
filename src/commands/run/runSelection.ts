// Databricks: Run Selection or Line on Cluster (keybinding in Python files). An indented
// selection is dedented so a block from inside a function runs too.
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';
import { RunController } from '../../run/runController';
import { dedent } from '../../run/inlineSummary';
import { FerryCommand } from '../types';

export function runSelectionCommand(controller: RunController): FerryCommand {
  return {
    id: 'ferry.databricks.runSelection',
    run: async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) throw new FerryError('invalidInput', 'Open a Python file and select code to run.');
      const sel = editor.selection;
      const range = sel.isEmpty
        ? editor.document.lineAt(sel.active.line).range
        : new vscode.Range(
            sel.start.line,
            0,
            sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line - 1 : sel.end.line,
            Number.MAX_SAFE_INTEGER,
          );
      const full = editor.document.validateRange(range);
      const code = dedent(editor.document.getText(full));
      if (!code.trim()) return undefined;
      return controller.runCode(editor.document, 'selection', code, { start: full.start.line, end: full.end.line });
    },
  };
}
