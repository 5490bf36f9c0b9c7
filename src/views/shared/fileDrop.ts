// The local files dropped on a tree (from the Explorer, an editor tab or the OS), for the views
// that upload what is dropped on them.
import * as vscode from 'vscode';

/** The dropped local files and folders, each once; anything that is not a file: URI is left out. */
export async function droppedFiles(dataTransfer: vscode.DataTransfer): Promise<vscode.Uri[]> {
  const uris: vscode.Uri[] = [];
  const list = dataTransfer.get('text/uri-list');
  if (list) {
    for (const line of (await list.asString()).split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed && !trimmed.startsWith('#')) uris.push(vscode.Uri.parse(trimmed));
    }
  }
  dataTransfer.forEach((item) => {
    const file = item.asFile();
    if (file?.uri && !uris.some((u) => u.toString() === file.uri?.toString())) uris.push(file.uri);
  });
  return uris.filter((u) => u.scheme === 'file');
}
