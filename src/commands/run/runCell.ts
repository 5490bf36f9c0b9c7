// Databricks: Run Cell on Cluster — from the CodeLens above a `# %%` / `# COMMAND ----------`
// cell (with the cell's index), or the cell at the cursor.
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';
import { RunController } from '../../run/runController';
import { cellAt, cellLanguage, magicCellCode, parseCells, stripMagic } from '../../run/service/cells';
import { sqlToPython } from '../../run/service/sqlCell';
import { FerryCommand } from '../types';
import { requirePython, targetDocument } from './shared';

export function runCellCommand(controller: RunController): FerryCommand {
  return {
    id: 'ferry.databricks.runCell',
    run: async (uri?: unknown, index?: unknown) => {
      const doc = await targetDocument(uri);
      requirePython(doc);
      const cells = parseCells(doc.getText());
      const editor = vscode.window.activeTextEditor;
      const cell = typeof index === 'number' ? cells[index] : editor && editor.document === doc ? cellAt(cells, editor.selection.active.line) : undefined;
      if (!cell) throw new FerryError('invalidInput', 'No cell here: mark cells with "# %%" or "# COMMAND ----------" lines.');
      const lang = cellLanguage(cell.code);
      if (lang === 'markdown') return undefined;
      if (lang === 'other') throw new FerryError('invalidInput', 'Only Python, %sql, %sh and %pip cells run on the cluster from a .py file.');
      let code: string;
      if (lang === 'sh' || lang === 'pip') code = magicCellCode(cell.code, lang);
      else {
        const stripped = /^\s*#\s*MAGIC/m.test(cell.code) ? stripMagic(cell.code) : cell.code;
        code = lang === 'sql' ? sqlToPython(stripped) : stripped;
      }
      return controller.runCode(doc, 'cell', code, { start: cell.startLine, end: Math.max(cell.startLine, cell.endLine) });
    },
  };
}
