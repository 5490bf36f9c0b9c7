// A "Run" CodeLens above each statement of a SQL file, running that statement on Athena. A file
// whose engine is Databricks SQL gets none; one whose engine is not chosen yet reads "Run on Athena"
// (beside "Run on Databricks SQL"), so a click is the choice.
import * as vscode from 'vscode';
import { executableText, splitStatements } from '../../aws/athena/statements';
import { commandCall } from '../../editor/commandArgs';

export interface EngineLookup {
  peek(uri: vscode.Uri, text?: string): 'athena' | 'databricks' | undefined;
  onDidChange: vscode.Event<unknown>;
}

/** Where a statement's lens goes: its first line of code, after leading comments. */
export function lensRange(doc: vscode.TextDocument, s: { start: number; text: string }): vscode.Range {
  const offset = s.start + (s.text.length - s.text.replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*/, '').length);
  return new vscode.Range(doc.positionAt(offset), doc.positionAt(offset));
}

export class AthenaCodeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses?: vscode.Event<void>;

  constructor(private readonly engines?: EngineLookup) {
    if (engines)
      this.onDidChangeCodeLenses = (listener, thisArg, disposables) => engines.onDidChange(() => listener.call(thisArg, undefined), undefined, disposables);
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const engine = this.engines?.peek(doc.uri, doc.getText()) ?? 'athena';
    if (engine === 'databricks') return [];
    const title = engine === 'athena' ? '$(play) Run' : '$(play) Run on Athena';
    return splitStatements(doc.getText())
      .filter((s) => executableText(s.text))
      .map(
        (s) =>
          new vscode.CodeLens(lensRange(doc, s), {
            ...commandCall('ferry.athena.runQuery', title, doc.uri, s.start, s.end),
            tooltip: 'Run this statement on Athena',
          }),
      );
  }
}
