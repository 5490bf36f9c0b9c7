// "Run Cell" CodeLens above each `# %%` / `# COMMAND ----------` cell of a Python file.
import * as vscode from 'vscode';
import { cellLanguage, parseCells } from './service/cells';

export class CellCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (doc.lineCount > 20_000) return [];
    const cells = parseCells(doc.getText());
    return cells
      .filter((c) => c.code.trim() !== '' && ['python', 'sh', 'pip'].includes(cellLanguage(c.code)))
      .map((c) => new vscode.CodeLens(new vscode.Range(c.markerLine, 0, c.markerLine, 0), { title: '$(play) Run Cell on Cluster', command: 'ferry.databricks.runCell', arguments: [doc.uri, c.index] }));
  }
}
