// What the run commands share: the controller, and finding the document a command acts on.
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';

/** The document of `uri` (explorer, editor title) or of the active editor. */
export async function targetDocument(uri: unknown): Promise<vscode.TextDocument> {
  if (uri instanceof vscode.Uri) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return open ?? (await vscode.workspace.openTextDocument(uri));
  }
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc) throw new FerryError('invalidInput', 'Open a Python file first.');
  return doc;
}

export function requirePython(doc: vscode.TextDocument): void {
  if (doc.languageId !== 'python' && !doc.uri.path.endsWith('.py')) {
    throw new FerryError('invalidInput', `${doc.uri.path.split('/').pop()} is not a Python file; Ferry runs Python on the cluster.`);
  }
}
