// An `s3:` file system for text objects: s3://bucket/key opens in an editor; saving writes the
// object back. Objects above the size guard (ferry.s3.maxEditSizeMB) are refused with a clear message.
import * as vscode from 'vscode';
import { S3Service } from '../../aws/s3/s3Service';

export const S3_SCHEME = 's3';

export function s3Uri(bucket: string, key: string): vscode.Uri {
  return vscode.Uri.from({ scheme: S3_SCHEME, authority: bucket, path: `/${key}` });
}

export function fromS3Uri(uri: vscode.Uri): { bucket: string; key: string } {
  return { bucket: uri.authority, key: uri.path.replace(/^\//, '') };
}

function notFound(err: unknown, uri: vscode.Uri): unknown {
  const name = (err as { name?: string })?.name;
  if (name === 'NotFound' || name === 'NoSuchKey') return vscode.FileSystemError.FileNotFound(uri);
  if (name === 'AccessDenied' || name === 'Forbidden') return vscode.FileSystemError.NoPermissions(uri);
  return err;
}

export class S3FileSystemProvider implements vscode.FileSystemProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;

  constructor(
    private readonly s3: S3Service,
    private readonly maxEditBytes: () => number,
  ) {}

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { bucket, key } = fromS3Uri(uri);
    if (!key || key.endsWith('/')) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    try {
      const head = await this.s3.head(bucket, key);
      const mtime = head.lastModified?.getTime() ?? 0;
      return { type: vscode.FileType.File, ctime: mtime, mtime, size: head.size ?? 0 };
    } catch (err) {
      throw notFound(err, uri);
    }
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const { bucket, key } = fromS3Uri(uri);
    const prefix = key && !key.endsWith('/') ? `${key}/` : key;
    const page = await this.s3.listLevel(bucket, prefix, undefined, 1000);
    return [
      ...page.prefixes.map((p) => [p.slice(prefix.length).replace(/\/$/, ''), vscode.FileType.Directory] as [string, vscode.FileType]),
      ...page.objects.map((o) => [o.key.slice(prefix.length), vscode.FileType.File] as [string, vscode.FileType]),
    ];
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { bucket, key } = fromS3Uri(uri);
    try {
      const head = await this.s3.head(bucket, key);
      const limit = this.maxEditBytes();
      if ((head.size ?? 0) > limit) {
        throw vscode.FileSystemError.Unavailable(
          `s3://${bucket}/${key} is ${(head.size ?? 0).toLocaleString()} bytes, above the ${Math.round(limit / 1048576)} MB limit for editing (ferry.s3.maxEditSizeMB). Download it instead.`,
        );
      }
      return await this.s3.getBytes(bucket, key);
    } catch (err) {
      throw notFound(err, uri);
    }
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const { bucket, key } = fromS3Uri(uri);
    if (content.byteLength > this.maxEditBytes())
      throw vscode.FileSystemError.Unavailable(`Not saved: ${content.byteLength} bytes is above ferry.s3.maxEditSizeMB.`);
    await this.s3.putBytes(bucket, key, content);
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  createDirectory(uri: vscode.Uri): Promise<void> {
    const { bucket, key } = fromS3Uri(uri);
    return this.s3.createFolder(bucket, key);
  }

  async delete(uri: vscode.Uri): Promise<void> {
    const { bucket, key } = fromS3Uri(uri);
    await this.s3.deleteKeys(bucket, [key]);
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Renaming S3 objects is not supported here');
  }
}
