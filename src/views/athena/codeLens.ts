// A "Run" CodeLens above each statement of a SQL file, running that statement on Athena.
import * as vscode from 'vscode';
import { executableText, splitStatements } from '../../aws/athena/statements';

export class AthenaCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    return splitStatements(doc.getText())
      .filter((s) => executableText(s.text))
      .map((s) => {
        const offset = s.start + (s.text.length - s.text.replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*/, '').length);
        const range = new vscode.Range(doc.positionAt(offset), doc.positionAt(offset));
        return new vscode.CodeLens(range, { title: '$(play) Run', tooltip: 'Run this statement on Athena', command: 'ferry.athena.runQuery', arguments: [doc.uri, s.start, s.end] });
      });
  }
}
