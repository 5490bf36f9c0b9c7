// Uploads and downloads with progress and cancel. Uploads go through @aws-sdk/lib-storage
// (multipart, parts in parallel); several files run in parallel too. A cancelled or failed
// multipart upload is aborted, and then swept: any upload still open for the key is aborted, so no
// parts are left behind to be billed.
import { AbortMultipartUploadCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { classifyError } from '../../core/errors';
import { joinKey, localRelativeToKey, safeLocalPath } from './keys';
import { S3Service } from './s3Service';

export interface TransferProgress {
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
}

export interface TransferOptions {
  concurrency: number;
  partSizeBytes: number;
  signal?: AbortSignal;
  onProgress?: (p: TransferProgress) => void;
}

/** What to do with a local file a download would replace. */
export type ReplaceAnswer = 'replace' | 'skip' | 'replaceAll' | 'skipAll' | 'cancel';

export interface DownloadOptions extends TransferOptions {
  confirmReplace?: (target: string, key: string) => Promise<ReplaceAnswer | undefined>;
}

export interface UploadItem {
  localPath: string;
  key: string;
  size: number;
}

export interface TransferFailure {
  name: string;
  reason: string;
}

export interface TransferResult {
  done: string[];
  failed: TransferFailure[];
  refused: TransferFailure[];
  /** Left alone on purpose (an existing local file the user chose to keep). */
  skipped: TransferFailure[];
  cancelled: boolean;
}

const MIN_PART = 5 * 1024 * 1024;

/** The upload items for local files and folders (folders recursively) under a target prefix. */
export function planUpload(localPaths: string[], prefix: string, pathApi: typeof path = path): UploadItem[] {
  const items: UploadItem[] = [];
  for (const local of localPaths) {
    const stat = fs.statSync(local);
    if (stat.isDirectory()) {
      const base = pathApi.basename(local);
      for (const entry of walk(local)) {
        const rel = pathApi.relative(local, entry.path);
        items.push({ localPath: entry.path, key: joinKey(prefix, `${base}/${localRelativeToKey(rel)}`), size: entry.size });
      }
    } else {
      items.push({ localPath: local, key: joinKey(prefix, pathApi.basename(local)), size: stat.size });
    }
  }
  return items;
}

function* walk(dir: string): Generator<{ path: string; size: number }> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield { path: full, size: fs.statSync(full).size };
  }
}

/** Runs `work` over items with at most `limit` at a time; stops starting new ones once aborted. */
export async function runPool<T>(items: T[], limit: number, signal: AbortSignal | undefined, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++];
      await work(item);
    }
  });
  await Promise.all(workers);
}

function isAbort(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === 'AbortError' || name === 'CanceledError';
}

/** Attempts at a download whose body keeps being cut off mid-way. */
const CUT_ATTEMPTS = 3;

/** A body that ended early: the connection was reset or closed before the last byte. */
function isCutOff(err: unknown): boolean {
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  return (
    e?.code === 'ECONNRESET' ||
    e?.code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    e?.cause?.code === 'ECONNRESET' ||
    /^(aborted|premature close|socket hang up|terminated)$/i.test(e?.message ?? '')
  );
}

/**
 * Aborts every multipart upload still open for `key` (lib-storage aborts in the background; this
 * makes sure). With `initiatedSince`, only those begun since then: after a successful upload, the
 * ones S3 opened for a CreateMultipartUpload whose answer was lost (the SDK asked again, and the
 * file went up under the second id), which nothing else would ever close. Returns how many it
 * aborted, and whether it is sure none is left (false when S3 could not be asked or an abort failed).
 */
export async function sweepMultipartUploads(
  client: S3Client,
  bucket: string,
  key: string,
  initiatedSince?: Date,
): Promise<{ aborted: number; settled: boolean }> {
  let aborted = 0;
  let settled = true;
  try {
    const out = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }));
    for (const u of out.Uploads ?? []) {
      if (u.Key !== key || !u.UploadId) continue;
      if (initiatedSince && u.Initiated && u.Initiated < initiatedSince) continue;
      try {
        await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: u.UploadId }));
        aborted++;
      } catch (err) {
        // NoSuchUpload: it is gone already (an abort whose answer was lost, asked again).
        if ((err as { name?: string }).name !== 'NoSuchUpload') settled = false;
      }
    }
  } catch (err) {
    // A server without ListMultipartUploads (or no permission): lib-storage's own abort is all we
    // have, and asking again will not change that. Anything else (S3 unreachable, a cut answer) may.
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    settled = status === 403 || status === 405 || status === 501;
  }
  return { aborted, settled };
}

/** When a sweep after a failed upload could not finish, it is tried again this much later (ms), in the background. */
const SWEEP_RETRY_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000];

/**
 * After a failed multipart upload: sweep what it may have left open, and when S3 cannot be reached
 * (it went away mid-upload, so lib-storage's own abort failed too) keep trying in the background
 * for about a minute, so an upload S3 still holds is closed once S3 answers again.
 */
export async function sweepAfterFailure(client: S3Client, bucket: string, key: string, retryMs: readonly number[] = SWEEP_RETRY_MS): Promise<void> {
  const attempt = async (n: number): Promise<void> => {
    const { settled } = await sweepMultipartUploads(client, bucket, key);
    if (settled || n >= retryMs.length) return;
    const timer = setTimeout(() => void attempt(n + 1), retryMs[n]);
    timer.unref?.();
  };
  await attempt(0);
}

export async function uploadFiles(s3: S3Service, bucket: string, items: UploadItem[], opts: TransferOptions): Promise<TransferResult> {
  const client = await s3.clients.forBucket(bucket);
  const result: TransferResult = { done: [], failed: [], refused: [], skipped: [], cancelled: false };
  const progress: TransferProgress = { bytesDone: 0, bytesTotal: items.reduce((n, i) => n + i.size, 0), filesDone: 0, filesTotal: items.length };
  const partSize = Math.max(MIN_PART, opts.partSizeBytes);
  // Files in parallel, and parts within a file in parallel: share the budget between them.
  const fileConcurrency = Math.max(1, Math.min(opts.concurrency, items.length));
  const queueSize = Math.max(1, Math.ceil(opts.concurrency / fileConcurrency));
  await runPool(items, fileConcurrency, opts.signal, async (item) => {
    let counted = 0;
    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: item.key, Body: fs.createReadStream(item.localPath), ContentLength: item.size },
      queueSize,
      partSize,
      leavePartsOnError: false,
    });
    upload.on('httpUploadProgress', (p) => {
      const loaded = p.loaded ?? 0;
      progress.bytesDone += loaded - counted;
      counted = loaded;
      opts.onProgress?.({ ...progress });
    });
    const onAbort = () => void upload.abort();
    opts.signal?.addEventListener('abort', onAbort);
    // S3's clock and ours may differ a little; an upload of this key begun by someone else within
    // that minute is the only one this could close, and it would race ours for the key anyway.
    const since = new Date(Date.now() - 60_000);
    try {
      await upload.done();
      if (item.size > partSize) await sweepMultipartUploads(client, bucket, item.key, since);
      result.done.push(item.key);
      progress.filesDone++;
      opts.onProgress?.({ ...progress });
    } catch (err) {
      if (item.size > partSize) await waitForSweep(client, bucket, item.key);
      if (isAbort(err) || opts.signal?.aborted) result.cancelled = true;
      else result.failed.push({ name: item.key, reason: classifyError(err).message });
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  });
  if (opts.signal?.aborted) result.cancelled = true;
  return result;
}

/** lib-storage's abort runs after done() rejects; give it a moment, then sweep what is left. */
async function waitForSweep(client: S3Client, bucket: string, key: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
  await sweepAfterFailure(client, bucket, key);
}

export interface DownloadItem {
  key: string;
  size: number;
}

/** Asks one question at a time and remembers "replace all" / "skip all" (every download's policy). */
export function replacePolicy(ask: DownloadOptions['confirmReplace']): (target: string, key: string) => Promise<'replace' | 'skip' | 'cancel'> {
  let always: 'replace' | 'skip' | undefined = ask ? undefined : 'skip';
  let queue: Promise<unknown> = Promise.resolve();
  return (target, key) => {
    const turn = queue.then(async (): Promise<'replace' | 'skip' | 'cancel'> => {
      if (always || !ask) return always ?? 'skip';
      const answer = await ask(target, key);
      if (answer === 'replaceAll') always = 'replace';
      if (answer === 'skipAll') always = 'skip';
      if (always) return always;
      return answer === 'replace' || answer === 'skip' ? answer : 'cancel';
    });
    queue = turn.catch(() => undefined);
    return turn;
  };
}

/** True when `dir`, after following links, is still `root` or inside it. */
export async function staysInside(root: string, dir: string): Promise<boolean> {
  const [realRoot, realDir] = await Promise.all([fs.promises.realpath(root), fs.promises.realpath(dir)]);
  const rel = path.relative(realRoot, realDir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Downloads one object or every object under a prefix into `targetDir`, keeping the key's folders.
 * Keys that would land outside `targetDir`, in a `.git` or `.vscode` folder, or (on Windows) on a
 * name Windows reserves, are refused and reported; the rest still download. An existing local file
 * is replaced only when `confirmReplace` says so (without it, existing files are kept and reported).
 * Each file is written beside its target and renamed when complete, so a failure leaves no half file.
 */
export async function downloadKeys(
  s3: S3Service,
  bucket: string,
  prefix: string,
  items: DownloadItem[],
  targetDir: string,
  opts: DownloadOptions,
): Promise<TransferResult> {
  const result: TransferResult = { done: [], failed: [], refused: [], skipped: [], cancelled: false };
  const planned: Array<DownloadItem & PlannedDownload> = [];
  for (const item of items) {
    if (item.key.endsWith('/') && item.size === 0) continue; // folder markers
    const safe = safeLocalPath(targetDir, prefix, item.key);
    if (safe.ok) planned.push({ ...item, name: item.key, target: safe.path });
    else result.refused.push({ name: item.key, reason: safe.reason });
  }
  return downloadPlanned(planned, targetDir, async (item, signal) => (await s3.getStream(bucket, item.key, undefined, signal)).body, opts, result);
}

/** One planned file of a download: what the messages call it, where it lands, its size when known. */
export interface PlannedDownload {
  name: string;
  target: string;
  size?: number;
}

export interface PlannedDownloadOptions {
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (p: TransferProgress) => void;
  confirmReplace?: DownloadOptions['confirmReplace'];
}

/**
 * The one download loop (S3 objects, volume files, MLflow artifacts): an existing local file is
 * replaced only when `confirmReplace` says so (without it, it is kept and reported); a folder of
 * the same name, or a folder that is a link leading out of `targetDir`, is refused; each file is
 * written beside its target and renamed when complete, so a failure leaves no half file; a body
 * cut off mid-way is fetched again from the start (a GET changes nothing).
 */
export async function downloadPlanned<T extends PlannedDownload>(
  planned: T[],
  targetDir: string,
  open: (item: T, signal: AbortSignal) => Promise<NodeJS.ReadableStream>,
  opts: PlannedDownloadOptions,
  result: TransferResult,
  describe: (err: unknown) => string = (err) => classifyError(err).message,
): Promise<TransferResult> {
  // "Cancel" in the replace prompt stops the whole download, as the progress's own Cancel does.
  const stopper = new AbortController();
  const onAbort = () => stopper.abort();
  if (opts.signal?.aborted) stopper.abort();
  opts.signal?.addEventListener('abort', onAbort);
  const signal = stopper.signal;
  const decide = replacePolicy(opts.confirmReplace);
  const progress: TransferProgress = { bytesDone: 0, bytesTotal: planned.reduce((n, i) => n + (i.size ?? 0), 0), filesDone: 0, filesTotal: planned.length };
  const settled = () => {
    progress.filesDone++;
    opts.onProgress?.({ ...progress });
  };
  await runPool(planned, opts.concurrency, signal, async (item) => {
    const partial = `${item.target}.ferry-part`;
    try {
      const existing = await fs.promises.lstat(item.target).catch(() => undefined);
      if (existing?.isDirectory()) {
        result.refused.push({ name: item.name, reason: 'a folder of that name is already there' });
        return;
      }
      if (existing) {
        const answer = await decide(item.target, item.name);
        if (answer === 'cancel') {
          stopper.abort();
          return;
        }
        if (answer === 'skip') {
          result.skipped.push({ name: item.name, reason: 'a local file of that name was kept' });
          progress.bytesDone += item.size ?? 0;
          settled();
          return;
        }
      }
      await fs.promises.mkdir(path.dirname(item.target), { recursive: true });
      if (!(await staysInside(targetDir, path.dirname(item.target)))) {
        result.refused.push({ name: item.name, reason: 'its folder is a link that leads outside the target folder' });
        return;
      }
      // A body cut off mid-way is fetched again from the start (a GET changes nothing, and the part
      // file is written afresh); other failures are the user's to see at once.
      for (let attempt = 1; ; attempt++) {
        let got = 0;
        try {
          const body = await open(item, signal);
          body.on('data', (chunk: Buffer) => {
            got += chunk.length;
            progress.bytesDone += chunk.length;
            opts.onProgress?.({ ...progress });
          });
          await pipeline(body, fs.createWriteStream(partial), { signal });
          break;
        } catch (err) {
          progress.bytesDone -= got;
          if (attempt >= CUT_ATTEMPTS || signal.aborted || !isCutOff(err)) throw err;
          await new Promise((r) => setTimeout(r, 200 * attempt));
        }
      }
      await fs.promises.rename(partial, item.target);
      result.done.push(item.name);
      settled();
    } catch (err) {
      await fs.promises.rm(partial, { force: true });
      if (isAbort(err) || signal.aborted) result.cancelled = true;
      else result.failed.push({ name: item.name, reason: describe(err) });
    }
  });
  opts.signal?.removeEventListener('abort', onAbort);
  if (signal.aborted) result.cancelled = true;
  return result;
}
