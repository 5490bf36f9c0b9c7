// Uploads to, downloads from and deletes on a Unity Catalog volume, with progress and cancel, on
// the same plan, pool, progress and result shapes as the S3 transfers. A cancelled upload leaves no
// file behind (the body stops, and the service only keeps a complete one); a cancelled download
// leaves no partial file (it is written to a .ferry-part file that is only renamed once complete).
// Uploads never overwrite unless told: a file that exists comes back as a conflict, and the
// caller asks the user before sending it again with overwrite.
import path from 'node:path';
import { safeLocalPath } from '../aws/s3/keys';
import { DownloadOptions, downloadPlanned, planUpload, PlannedDownload, runPool, TransferProgress, TransferResult } from '../aws/s3/transfer';
import { isCancellation } from '../core/errors';
import { DatabricksError } from './errors';
import { isDirectoryNotEmpty, isNotFound, joinVolumePath, VolumeEntry, VolumeFilesService } from './volumeFiles';

export interface VolumeUploadItem {
  localPath: string;
  /** The full volume path the file goes to. */
  remotePath: string;
  size: number;
}

export interface VolumeTransferOptions {
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (p: TransferProgress) => void;
  /** For a download: asked for each local file it would replace; without it, existing files are kept. */
  confirmReplace?: DownloadOptions['confirmReplace'];
}

export interface VolumeUploadResult extends TransferResult {
  /** Files that already exist on the volume and were not sent (overwrite was off for them). */
  conflicts: VolumeUploadItem[];
}

/** The upload items for local files and folders (folders recursively, '/'-separated) under a volume directory. */
export function planVolumeUpload(localPaths: string[], targetDir: string, pathApi: typeof path = path): VolumeUploadItem[] {
  return planUpload(localPaths, '', pathApi).map((i) => ({ localPath: i.localPath, remotePath: joinVolumePath(targetDir, i.key), size: i.size }));
}

function reason(err: unknown): string {
  if (err instanceof DatabricksError) return err.serverMessage || err.message;
  return err instanceof Error ? err.message : String(err);
}

/** The Files API takes one file in one PUT of at most 5 GiB (reference §1.3). */
export const MAX_VOLUME_UPLOAD_BYTES = 5 * 1024 ** 3;

export async function uploadToVolume(
  files: VolumeFilesService,
  items: VolumeUploadItem[],
  opts: VolumeTransferOptions & { overwrite: boolean },
): Promise<VolumeUploadResult> {
  const result: VolumeUploadResult = { done: [], failed: [], refused: [], skipped: [], cancelled: false, conflicts: [] };
  // Refused before anything is sent, rather than after gigabytes went up for nothing.
  for (const i of items)
    if (i.size > MAX_VOLUME_UPLOAD_BYTES)
      result.refused.push({ name: i.localPath, reason: `larger than the 5 GiB a volume upload takes (${i.size.toLocaleString()} bytes)` });
  const sendable = items.filter((i) => i.size <= MAX_VOLUME_UPLOAD_BYTES);
  const progress: TransferProgress = { bytesDone: 0, bytesTotal: sendable.reduce((n, i) => n + i.size, 0), filesDone: 0, filesTotal: sendable.length };
  await runPool(sendable, opts.concurrency, opts.signal, async (item) => {
    let counted = 0;
    try {
      await files.uploadFile(item.localPath, item.remotePath, {
        overwrite: opts.overwrite,
        signal: opts.signal,
        onBytes: (sent) => {
          progress.bytesDone += sent - counted;
          counted = sent;
          opts.onProgress?.({ ...progress });
        },
      });
      result.done.push(item.remotePath);
      progress.filesDone++;
      opts.onProgress?.({ ...progress });
    } catch (err) {
      progress.bytesDone -= counted;
      if (isCancellation(err) || opts.signal?.aborted) result.cancelled = true;
      else if (!opts.overwrite && err instanceof DatabricksError && err.status === 409) result.conflicts.push(item);
      else result.failed.push({ name: item.remotePath, reason: reason(err) });
    }
  });
  if (opts.signal?.aborted) result.cancelled = true;
  return result;
}

/**
 * Downloads a file, or every file below a directory keeping its folders, into `targetDir`. Names
 * that would land outside the folder are refused and reported; the rest still download.
 */
export async function downloadFromVolume(
  files: VolumeFilesService,
  entry: { path: string; isDirectory: boolean; size?: number },
  targetDir: string,
  opts: VolumeTransferOptions,
): Promise<TransferResult> {
  const result: TransferResult = { done: [], failed: [], refused: [], skipped: [], cancelled: false };
  const base = entry.isDirectory ? `${entry.path.replace(/\/+$/, '')}/` : entry.path.slice(0, entry.path.lastIndexOf('/') + 1);
  // A folder keeps its own name in the target, as a folder download from S3 keeps its prefix's.
  const root = entry.isDirectory ? base.slice(0, base.slice(0, -1).lastIndexOf('/') + 1) : base;
  const sources: VolumeEntry[] = [];
  if (entry.isDirectory) {
    for await (const e of files.walk(entry.path, opts.signal)) if (!e.isDirectory) sources.push(e);
  } else sources.push({ path: entry.path, name: entry.path.slice(base.length), isDirectory: false, size: entry.size });
  const planned: Array<VolumeEntry & PlannedDownload> = [];
  for (const s of sources) {
    const safe = safeLocalPath(targetDir, root, s.path);
    if (safe.ok) planned.push({ ...s, name: s.path, target: safe.path });
    else result.refused.push({ name: s.path, reason: safe.reason });
  }
  return downloadPlanned(planned, targetDir, async (item, signal) => (await files.openRead(item.path, signal)).body, opts, result, reason);
}

/** What a delete would remove: the files and folders below a directory (or the one file). */
export async function planVolumeDelete(
  files: VolumeFilesService,
  entry: { path: string; isDirectory: boolean },
  signal?: AbortSignal,
): Promise<{ files: string[]; directories: string[] }> {
  if (!entry.isDirectory) return { files: [entry.path], directories: [] };
  const out = { files: [] as string[], directories: [entry.path] };
  for await (const e of files.walk(entry.path, signal)) (e.isDirectory ? out.directories : out.files).push(e.path);
  return out;
}

/**
 * Deletes the planned files, then the folders deepest first (the Files API removes empty folders
 * only). A file already gone counts as deleted; a folder that vanished with its last file (as on
 * GCS-backed volumes) too.
 */
export async function deleteFromVolume(
  files: VolumeFilesService,
  plan: { files: string[]; directories: string[] },
  opts: VolumeTransferOptions,
): Promise<TransferResult> {
  const result: TransferResult = { done: [], failed: [], refused: [], skipped: [], cancelled: false };
  const progress: TransferProgress = { bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: plan.files.length + plan.directories.length };
  const step = async (p: string, remove: (p: string) => Promise<void>): Promise<void> => {
    try {
      await remove(p);
      result.done.push(p);
    } catch (err) {
      if (isNotFound(err)) result.done.push(p);
      else if (isCancellation(err) || opts.signal?.aborted) result.cancelled = true;
      else result.failed.push({ name: p, reason: isDirectoryNotEmpty(err) ? 'the folder is not empty (something was added meanwhile)' : reason(err) });
    }
    progress.filesDone++;
    opts.onProgress?.({ ...progress });
  };
  await runPool(plan.files, opts.concurrency, opts.signal, (p) => step(p, (x) => files.deleteFile(x, opts.signal)));
  const dirs = [...plan.directories].sort((a, b) => b.split('/').length - a.split('/').length);
  for (const d of dirs) {
    if (opts.signal?.aborted) break;
    await step(d, (x) => files.deleteDirectory(x, opts.signal));
  }
  if (opts.signal?.aborted) result.cancelled = true;
  return result;
}
