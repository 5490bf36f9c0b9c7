// Drop local files and folders (from the Explorer, an editor tab or the OS) onto a volume, a folder
// on one, or a file in a folder, to upload them there.
import * as vscode from 'vscode';
import { droppedFiles } from '../shared/fileDrop';
import { CatalogTreeNode, FileNode, FolderNode } from './nodes';

export class CatalogDragAndDropController implements vscode.TreeDragAndDropController<CatalogTreeNode> {
  readonly dropMimeTypes = ['text/uri-list', 'files'];
  readonly dragMimeTypes: string[] = [];

  constructor(private readonly uploadTo: (folder: FolderNode, files: vscode.Uri[]) => Promise<unknown>) {}

  async handleDrop(target: CatalogTreeNode | undefined, dataTransfer: vscode.DataTransfer): Promise<void> {
    const folder = target instanceof FolderNode ? target : target instanceof FileNode ? target.parent : undefined;
    if (!folder) return;
    const local = await droppedFiles(dataTransfer);
    if (local.length) await this.uploadTo(folder, local);
  }
}
