// Athena in the extension host: a "Run" CodeLens above each statement of a SQL file, and which
// statements Run Query takes from the selection, the cursor, a CodeLens or the whole file.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { statementsToRun } from '../../../src/commands/athena/runQuery';

const EXTENSION_ID = 'ferry-dev.ferry';
const SQL = "-- first\nSELECT 1 AS a;\n\nSELECT ';' AS b\nFROM t;\n";

describe('athena (extension host)', () => {
  let doc: vscode.TextDocument;
  let editor: vscode.TextEditor;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    doc = await vscode.workspace.openTextDocument({ language: 'sql', content: SQL });
    editor = await vscode.window.showTextDocument(doc);
  });

  it('puts a Run CodeLens above each statement, on its first SQL line', async () => {
    let lenses: vscode.CodeLens[] = [];
    for (let i = 0; i < 40 && lenses.length < 2; i++) {
      lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
      lenses = lenses.filter((l) => l.command?.command === 'ferry.athena.runQuery');
      if (lenses.length < 2) await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(lenses.length, 2);
    assert.deepEqual(
      lenses.map((l) => l.range.start.line),
      [1, 3],
    );
    const [uri, start, end] = lenses[1].command!.arguments as [vscode.Uri, number, number];
    assert.equal(uri.toString(), doc.uri.toString());
    assert.deepEqual(await statementsToRun([uri, start, end]), ["SELECT ';' AS b\nFROM t"]);
  });

  it('takes the statement under the cursor, the selection, or every statement of the file', async () => {
    editor.selection = new vscode.Selection(4, 2, 4, 2);
    assert.deepEqual(await statementsToRun([]), ["SELECT ';' AS b\nFROM t"]);
    editor.selection = new vscode.Selection(1, 0, 1, 13);
    assert.deepEqual(await statementsToRun([]), ['SELECT 1 AS a']);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    assert.deepEqual(await statementsToRun([doc.uri]), ['SELECT 1 AS a', "SELECT ';' AS b\nFROM t"]);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
