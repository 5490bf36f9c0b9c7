// The file a job command acts on: the argument (Explorer, editor title), else the active notebook
// or text editor. Python files and notebooks (.py, .ipynb) only; unsaved changes are saved first,
// since the job runs what is pushed.
import path from 'node:path';
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';

const JOB_FILE = /\.(py|ipynb)$/i;

export async function jobTargetFile(arg: unknown): Promise<vscode.Uri> {
  const uri = arg instanceof vscode.Uri ? arg : (vscode.window.activeNotebookEditor?.notebook.uri ?? vscode.window.activeTextEditor?.document.uri);
  if (!uri) throw new FerryError('invalidInput', 'Open a Python file or a notebook first, or run this from a .py or .ipynb file in the Explorer.');
  const name = path.basename(uri.fsPath || uri.path);
  if (!JOB_FILE.test(name)) throw new FerryError('invalidInput', `${name} is not a Python file or a notebook (.py, .ipynb), so it cannot run as a job.`);
  if (uri.scheme !== 'file') throw new FerryError('invalidInput', `${name} is not saved on disk yet: save it in the workspace folder first.`);
  const notebook = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === uri.toString());
  if (notebook?.isDirty) await notebook.save();
  const text = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (text?.isDirty) await text.save();
  return uri;
}
