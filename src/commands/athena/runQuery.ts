// Athena: Run Query — the selection, else the statement under the cursor (from the palette or the
// CodeLens "Run" above each statement), else the whole .sql file (from the editor title or the
// Explorer), in the chosen database. Statements of a file run one after the other.
import * as vscode from 'vscode';
import { executableText, splitStatements, statementAt } from '../../aws/athena/statements';
import { FerryError } from '../../core/errors';
import type { FerryCommand } from '../types';
import { AthenaCommandContext } from './context';
import { executeAndShow } from './execute';

/** The statements a Run Query invocation means, from its arguments and the editor state. */
export async function statementsToRun(args: unknown[]): Promise<string[]> {
  const [first, start, end] = args;
  const uri = first instanceof vscode.Uri ? first : undefined;
  const active = vscode.window.activeTextEditor;
  const doc = uri ? (active?.document.uri.toString() === uri.toString() ? active.document : await vscode.workspace.openTextDocument(uri)) : active?.document;
  if (!doc) throw new FerryError('invalidInput', 'Open a .sql file or select SQL to run it on Athena.');
  const text = doc.getText();
  if (typeof start === 'number' && typeof end === 'number') return [executableText(text.slice(start, end))].filter(Boolean);
  const editor = active?.document === doc ? active : undefined;
  if (editor && !editor.selection.isEmpty)
    return splitStatements(doc.getText(editor.selection))
      .map((s) => executableText(s.text))
      .filter(Boolean);
  if (editor && !uri) {
    const s = statementAt(text, doc.offsetAt(editor.selection.active));
    return s ? [executableText(s.text)].filter(Boolean) : [];
  }
  return splitStatements(text)
    .map((s) => executableText(s.text))
    .filter(Boolean);
}

export function runQueryCommand(ctx: AthenaCommandContext): FerryCommand {
  return {
    id: 'ferry.athena.runQuery',
    run: async (...args: unknown[]) => {
      // A file whose engine is Databricks SQL is not run on Athena without the user's say.
      if (ctx.engines && !(await ctx.engines.gate(args, 'athena'))) return;
      const statements = await statementsToRun(args);
      if (!statements.length) throw new FerryError('invalidInput', 'There is no SQL statement to run here.');
      const database = await ctx.databases.require();
      for (const sql of statements) await executeAndShow(ctx, sql, { database });
    },
  };
}
