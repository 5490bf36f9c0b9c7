// Downloads a run's artifact (a file, or a folder with everything in it) into a local folder, on
// the same pool, progress and result shapes as the S3 and volume transfers. Each file streams from
// its signed URL into a .ferry-part file renamed only once complete, so a cancel or a failure
// leaves no partial file; names that would land outside the target folder are refused, and an
// existing local file is replaced only when `confirmReplace` says so (as the S3 download asks).
import { safeLocalPath } from '../../aws/s3/keys';
import { downloadPlanned, DownloadOptions, PlannedDownload, TransferProgress, TransferResult } from '../../aws/s3/transfer';
import type { HttpAgents } from '../../core/network';
import { ArtifactReader } from './artifactReader';
import { MlflowService } from './service';
import { ArtifactEntry } from './types';

export interface ArtifactDownloadOptions {
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (p: TransferProgress) => void;
  /** Asked for each local file the download would replace; without it, existing files are kept. */
  confirmReplace?: DownloadOptions['confirmReplace'];
}

export async function downloadArtifacts(
  service: MlflowService,
  agents: HttpAgents,
  runId: string,
  entry: ArtifactEntry,
  targetDir: string,
  opts: ArtifactDownloadOptions,
): Promise<TransferResult> {
  const result: TransferResult = { done: [], failed: [], refused: [], skipped: [], cancelled: false };
  const clean = entry.path.replace(/\/+$/, '');
  // A folder keeps its own name in the target folder; a file lands there by its name.
  const root = clean.includes('/') ? clean.slice(0, clean.lastIndexOf('/') + 1) : '';
  const sources = entry.isDir ? await service.listArtifactFiles(runId, clean, opts.signal) : [entry];
  const planned: Array<ArtifactEntry & PlannedDownload> = [];
  for (const s of sources) {
    const safe = safeLocalPath(targetDir, root, s.path);
    if (safe.ok) planned.push({ ...s, name: s.path, target: safe.path });
    else result.refused.push({ name: s.path, reason: safe.reason });
  }
  return downloadPlanned(
    planned,
    targetDir,
    (item, signal) => new ArtifactReader(service, agents, runId, item.path, { signal }, item.size).openStream(),
    opts,
    result,
  );
}
