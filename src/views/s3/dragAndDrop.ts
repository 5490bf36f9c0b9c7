// Drop local files and folders (from the Explorer or the OS) onto a bucket or prefix to upload them.
import * as vscode from 'vscode';
import { droppedFiles } from '../shared/fileDrop';
import { ContainerNode, S3TreeNode } from './nodes';

export type UploadTo = (target: { bucket: string; key: string }, files: vscode.Uri[]) => Promise<unknown>;

export class S3DragAndDropController implements vscode.TreeDragAndDropController<S3TreeNode> {
  readonly dropMimeTypes = ['text/uri-list', 'files'];
  readonly dragMimeTypes: string[] = [];

  constructor(private readonly uploadTo: UploadTo) {}

  async handleDrop(target: S3TreeNode | undefined, dataTransfer: vscode.DataTransfer): Promise<void> {
    if (!target) return;
    const container = target instanceof ContainerNode ? target : target.parent instanceof ContainerNode ? target.parent : undefined;
    if (!container) return;
    const local = await droppedFiles(dataTransfer);
    if (local.length) await this.uploadTo({ bucket: container.bucket, key: container.key }, local);
  }
}
