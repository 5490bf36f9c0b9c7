// Uploads and downloads with progress and cancel. Uploads go through @aws-sdk/lib-storage
// (multipart, parts in parallel); several files run in parallel too. A cancelled or failed
// multipart upload is aborted, and then swept: any upload still open for the key is aborted, so no
// parts are left behind to be billed.
import { AbortMultipartUploadCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
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
async function runPool<T>(items: T[], limit: number, signal: AbortSignal | undefined, work: (item: T) => Promise<void>): Promise<void> {
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

/** Aborts every multipart upload still open for `key` (lib-storage aborts in the background; this makes sure). */
export async function sweepMultipartUploads(client: S3Client, bucket: string, key: string): Promise<number> {
  let aborted = 0;
  try {
    const out = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }));
    for (const u of out.Uploads ?? []) {
      if (u.Key !== key || !u.UploadId) continue;
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: u.UploadId })).catch(() => undefined);
      aborted++;
    }
  } catch {
    // Servers without ListMultipartUploads (or no permission): lib-storage's own abort is all we have.
  }
  return aborted;
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
    try {
      await upload.done();
      result.done.push(item.key);
      progress.filesDone++;
      opts.onProgress?.({ ...progress });
    } catch (err) {
      if (item.size > partSize) await waitForSweep(client, bucket, item.key);
      if (isAbort(err) || opts.signal?.aborted) result.cancelled = true;
      else result.failed.push({ name: item.key, reason: err instanceof Error ? err.message : String(err) });
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
  await sweepMultipartUploads(client, bucket, key);
}

export interface DownloadItem {
  key: string;
  size: number;
}

/** Asks one question at a time and remembers "replace all" / "skip all". */
function replacePolicy(ask: DownloadOptions['confirmReplace']): (target: string, key: string) => Promise<'replace' | 'skip' | 'cancel'> {
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
async function staysInside(root: string, dir: string): Promise<boolean> {
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
export async function downloadKeys(s3: S3Service, bucket: string, prefix: string, items: DownloadItem[], targetDir: string, opts: DownloadOptions): Promise<TransferResult> {
  const result: TransferResult = { done: [], failed: [], refused: [], skipped: [], cancelled: false };
  const planned: Array<DownloadItem & { target: string }> = [];
  for (const item of items) {
    if (item.key.endsWith('/') && item.size === 0) continue; // folder markers
    const safe = safeLocalPath(targetDir, prefix, item.key);
    if (safe.ok) planned.push({ ...item, target: safe.path });
    else result.refused.push({ name: item.key, reason: safe.reason });
  }
  // "Cancel" in the replace prompt stops the whole download, as the progress's own Cancel does.
  const stopper = new AbortController();
  const onAbort = () => stopper.abort();
  if (opts.signal?.aborted) stopper.abort();
  opts.signal?.addEventListener('abort', onAbort);
  const signal = stopper.signal;
  const decide = replacePolicy(opts.confirmReplace);
  const progress: TransferProgress = { bytesDone: 0, bytesTotal: planned.reduce((n, i) => n + i.size, 0), filesDone: 0, filesTotal: planned.length };
  const settled = () => {
    progress.filesDone++;
    opts.onProgress?.({ ...progress });
  };
  await runPool(planned, opts.concurrency, signal, async (item) => {
    const partial = `${item.target}.ferry-part`;
    try {
      const existing = await fs.promises.lstat(item.target).catch(() => undefined);
      if (existing?.isDirectory()) {
        result.refused.push({ name: item.key, reason: 'a folder of that name is already there' });
        return;
      }
      if (existing) {
        const answer = await decide(item.target, item.key);
        if (answer === 'cancel') {
          stopper.abort();
          return;
        }
        if (answer === 'skip') {
          result.skipped.push({ name: item.key, reason: 'a local file of that name was kept' });
          progress.bytesDone += item.size;
          settled();
          return;
        }
      }
      await fs.promises.mkdir(path.dirname(item.target), { recursive: true });
      if (!(await staysInside(targetDir, path.dirname(item.target)))) {
        result.refused.push({ name: item.key, reason: 'its folder is a link that leads outside the target folder' });
        return;
      }
      const { body } = await s3.getStream(bucket, item.key, undefined, signal);
      body.on('data', (chunk: Buffer) => {
        progress.bytesDone += chunk.length;
        opts.onProgress?.({ ...progress });
      });
      await pipeline(body, fs.createWriteStream(partial), { signal });
      await fs.promises.rename(partial, item.target);
      result.done.push(item.key);
      settled();
    } catch (err) {
      await fs.promises.rm(partial, { force: true });
      if (isAbort(err) || signal.aborted) result.cancelled = true;
      else result.failed.push({ name: item.key, reason: err instanceof Error ? err.message : String(err) });
    }
  });
  opts.signal?.removeEventListener('abort', onAbort);
  if (signal.aborted) result.cancelled = true;
  return result;
}
