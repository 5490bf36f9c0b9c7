// "Run Cell" CodeLens above each `# %%` / `# COMMAND ----------` cell of a Python file.
import * as vscode from 'vscode';
import { cellLanguage, parseCells } from './service/cells';
import { commandCall } from '../editor/commandArgs';

export class CellCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (doc.lineCount > 20_000) return [];
    const cells = parseCells(doc.getText());
    return cells
      .filter((c) => c.code.trim() !== '' && ['python', 'sh', 'pip'].includes(cellLanguage(c.code)))
      .map(
        (c) =>
          new vscode.CodeLens(
            new vscode.Range(c.markerLine, 0, c.markerLine, 0),
            commandCall('ferry.databricks.runCell', '$(play) Run Cell on Cluster', doc.uri, c.index),
          ),
      );
  }
}
