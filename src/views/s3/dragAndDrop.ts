// Drop local files and folders (from the Explorer or the OS) onto a bucket or prefix to upload them.
import * as vscode from 'vscode';
import { ContainerNode, S3TreeNode } from './nodes';

export type UploadTo = (target: { bucket: string; key: string }, files: vscode.Uri[]) => Promise<unknown>;

export class S3DragAndDropController implements vscode.TreeDragAndDropController<S3TreeNode> {
  readonly dropMimeTypes = ['text/uri-list', 'files'];
  readonly dragMimeTypes: string[] = [];

  constructor(private readonly uploadTo: UploadTo) {}

  async handleDrop(target: S3TreeNode | undefined, dataTransfer: vscode.DataTransfer): Promise<void> {
    if (!target) return;
    const container = target instanceof ContainerNode ? target : target.parent;
    if (!container) return;
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
    const local = uris.filter((u) => u.scheme === 'file');
    if (local.length) await this.uploadTo({ bucket: container.bucket, key: container.key }, local);
  }
}
