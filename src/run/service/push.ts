// Pushing local files to the Databricks workspace under the remote root, keeping the relative
// layout. One set of rules (PushRules: .gitignore files at every depth plus a few always-ignored
// folders) decides for every push, a folder's or a single file's (sync on save, Push File, a run).
// Only files whose content changed since the last push are sent (a content-hash cache per host and
// remote path). Pushes of one remote path run one after another, and each hashes exactly the bytes
// it sends, so two quick saves land in order. Text files go up with '\n' line endings. Nothing
// remote is ever deleted here.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ignore, { Ignore } from 'ignore';
import { CancelledError } from '../../core/errors';
import { Logger, silentLogger } from '../../core/logger';
import { DatabricksTransport } from '../../databricks/transport';
import { normalizeRemotePath, PathMapper, toWorkspaceApiPath } from './paths';
import { count } from '../../core/text';

/** Folders never pushed, whatever .gitignore says. */
export const ALWAYS_IGNORED = [
  '.git/',
  '.hg/',
  '.svn/',
  'node_modules/',
  '__pycache__/',
  '.venv/',
  'venv/',
  '.mypy_cache/',
  '.pytest_cache/',
  '.ipynb_checkpoints/',
  '.DS_Store',
  '.ferry/',
];
/** The Workspace API's import limit (10 MB of content). */
export const MAX_PUSH_BYTES = 10 * 1024 * 1024;
const TEXT_EXT = /\.(py|sql|scala|r|txt|md|json|ya?ml|toml|cfg|ini|csv|tsv|sh|ipynb)$/i;

export interface PlannedFile {
  local: string;
  /** Driver path (/Workspace/Users/...). */
  remote: string;
  hash: string;
  size: number;
  mtimeMs: number;
}

export interface PushPlan {
  upload: PlannedFile[];
  unchanged: number;
  /** Files left out: too large, or outside the folder. */
  skipped: Array<{ local: string; reason: string }>;
}

interface CacheEntry {
  hash: string;
  size: number;
  mtimeMs: number;
}

/** Which content was last pushed where. Persisted as JSON so a restart does not re-push everything. */
export class PushCache {
  private entries: Record<string, CacheEntry> = {};
  private dirty = false;

  constructor(private readonly file?: string) {
    if (file && fs.existsSync(file)) {
      try {
        const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { version: number; entries: Record<string, CacheEntry> };
        if (parsed.version === 1 && parsed.entries) this.entries = parsed.entries;
      } catch {
        this.entries = {};
      }
    }
  }

  private static key(host: string, remote: string): string {
    return `${host}|${remote}`;
  }

  get(host: string, remote: string): CacheEntry | undefined {
    return this.entries[PushCache.key(host, remote)];
  }

  set(host: string, remote: string, entry: CacheEntry): void {
    this.entries[PushCache.key(host, remote)] = entry;
    this.dirty = true;
  }

  /** Forgets one host's entries (e.g. "Push Folder (force)" or a remote that was wiped). */
  clear(host?: string): void {
    for (const k of Object.keys(this.entries)) if (!host || k.startsWith(`${host}|`)) delete this.entries[k];
    this.dirty = true;
  }

  save(): void {
    if (!this.file || !this.dirty) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ version: 1, entries: this.entries }));
    fs.renameSync(tmp, this.file);
    this.dirty = false;
  }
}

/** The bytes that go up for a local file: text files with '\n' line endings. */
export function contentForUpload(local: string, bytes: Buffer): Buffer {
  if (!TEXT_EXT.test(local) || !bytes.includes(13)) return bytes;
  return Buffer.from(bytes.toString('utf8').replace(/\r\n/g, '\n'), 'utf8');
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The ignore rules of one local folder: ALWAYS_IGNORED, then each .gitignore from the folder down
 * to a file's own folder, applied as git applies them (a file inside an ignored folder is ignored,
 * whatever a deeper .gitignore says). .gitignore files are read once per PushRules.
 */
export class PushRules {
  private readonly rulesByDir = new Map<string, Ignore | null>();
  private readonly always = ignore().add(ALWAYS_IGNORED);

  constructor(readonly root: string) {}

  private rulesIn(dir: string): Ignore | null {
    let rules = this.rulesByDir.get(dir);
    if (rules === undefined) {
      rules = null;
      try {
        rules = ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'));
      } catch {
        // No .gitignore here (or an unreadable one, treated as absent).
      }
      this.rulesByDir.set(dir, rules);
    }
    return rules;
  }

  /** Why `file` (or a folder, with `isDir`) is not pushed, or undefined when it is. Paths outside the root are not judged here. */
  ignoredReason(file: string, isDir = false): string | undefined {
    const rel = path.relative(this.root, file);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    const segments = rel.split(path.sep);
    for (let i = 0; i < segments.length; i++) {
      const dirEntry = i < segments.length - 1 || isDir;
      const relHere = segments.slice(0, i + 1).join('/');
      if (this.always.ignores(dirEntry ? `${relHere}/` : relHere)) return `always ignored (${segments[i]})`;
      // Every folder from the root down to this entry's parent may hold a .gitignore that names it.
      for (let j = 0; j <= i; j++) {
        const base = path.join(this.root, ...segments.slice(0, j));
        const rules = this.rulesIn(base);
        const relToBase = segments.slice(j, i + 1).join('/');
        if (rules?.ignores(dirEntry ? `${relToBase}/` : relToBase)) {
          const where = path.relative(this.root, path.join(base, '.gitignore')).split(path.sep).join('/');
          return `ignored by ${where}`;
        }
      }
    }
    return undefined;
  }
}

/** Lists the files of a folder that PushRules lets through, all of them, walking asynchronously. */
export async function listPushableFiles(root: string, rules = new PushRules(root)): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (!e.isDirectory() && !e.isFile()) continue;
      const full = path.join(dir, e.name);
      if (rules.ignoredReason(full, e.isDirectory())) continue;
      if (e.isDirectory()) await walk(full);
      else out.push(full);
    }
  };
  await walk(root);
  return out;
}

/** Decides which of `files` must be uploaded (changed content or never pushed to this host). */
export function planPush(files: string[], mapper: PathMapper, cache: PushCache, host: string, rules = new PushRules(mapper.localRoot)): PushPlan {
  const plan: PushPlan = { upload: [], unchanged: 0, skipped: [] };
  for (const local of files) {
    const remote = mapper.toRemote(local);
    if (!remote || remote === mapper.remoteRoot) {
      plan.skipped.push({ local, reason: 'outside the workspace folder' });
      continue;
    }
    const ignored = rules.ignoredReason(local);
    if (ignored) {
      plan.skipped.push({ local, reason: ignored });
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(local);
    } catch {
      plan.skipped.push({ local, reason: 'not readable' });
      continue;
    }
    if (stat.size > MAX_PUSH_BYTES) {
      plan.skipped.push({ local, reason: `larger than ${MAX_PUSH_BYTES / 1024 / 1024} MB (the workspace import limit)` });
      continue;
    }
    const cached = cache.get(host, remote);
    // Same size and mtime as the last push: trust the cached hash without reading the file.
    if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) {
      plan.unchanged++;
      continue;
    }
    const hash = sha256(contentForUpload(local, fs.readFileSync(local)));
    if (cached && cached.hash === hash) {
      cache.set(host, remote, { hash, size: stat.size, mtimeMs: stat.mtimeMs });
      plan.unchanged++;
      continue;
    }
    plan.upload.push({ local, remote, hash, size: stat.size, mtimeMs: stat.mtimeMs });
  }
  return plan;
}

export interface PushResult {
  uploaded: string[];
  unchanged: number;
  skipped: Array<{ local: string; reason: string }>;
}

export interface PushOptions {
  concurrency?: number;
  signal?: AbortSignal;
  /** Asked with the local files about to be sent (changed ones only); false cancels the push (the PII guard). */
  confirm?: (files: string[]) => Promise<boolean>;
  onProgress?: (done: number, total: number, remote: string) => void;
}

export class WorkspacePusher {
  /** Remote folders known to exist, so mkdirs is sent once per folder per session. */
  private readonly knownDirs = new Set<string>();
  /** The push of each remote path in progress: the next one for that path waits for it. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly transport: DatabricksTransport,
    private readonly cache: PushCache,
    private readonly logger: Logger = silentLogger,
  ) {}

  get host(): string {
    return this.transport.host;
  }

  async push(files: string[], mapper: PathMapper, opts: PushOptions = {}): Promise<PushResult> {
    const plan = planPush(files, mapper, this.cache, this.host);
    for (const s of plan.skipped) {
      // Ignored files are expected (sync on save of .env); the other reasons deserve a warning.
      if (/ignored/.test(s.reason)) this.logger.debug(`not pushed: ${s.local} (${s.reason})`);
      else this.logger.warn(`not pushed: ${s.local} (${s.reason})`);
    }
    if (opts.confirm && plan.upload.length && !(await opts.confirm(plan.upload.map((f) => f.local)))) throw new CancelledError();
    const uploaded: string[] = [];
    let unchanged = plan.unchanged;
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < plan.upload.length) {
        if (opts.signal?.aborted) throw Object.assign(new Error('Cancelled'), { name: 'AbortError' });
        const file = plan.upload[next++];
        if (await this.pushOne(file, opts.signal)) uploaded.push(file.remote);
        else unchanged++;
        opts.onProgress?.(++done, plan.upload.length, file.remote);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 4, plan.upload.length) }, worker));
    } finally {
      this.cache.save();
    }
    if (uploaded.length) this.logger.info(`pushed ${count(uploaded.length, 'file')} to ${mapper.remoteRoot} (${unchanged} unchanged)`);
    return { uploaded, unchanged, skipped: plan.skipped };
  }

  /**
   * Sends one file, after any push of the same remote path still in flight: the bytes are read and
   * hashed here, at upload time, so the cache records exactly what the workspace received. False
   * when the content turned out to be what was last pushed.
   */
  private pushOne(file: PlannedFile, signal?: AbortSignal): Promise<boolean> {
    const previous = this.inFlight.get(file.remote) ?? Promise.resolve();
    const mine = previous.then(async () => {
      // Stat before reading: a save in between leaves an older mtime in the cache, which only
      // makes the next push hash the file again, never skip a change.
      const stat = await fs.promises.stat(file.local);
      const bytes = contentForUpload(file.local, await fs.promises.readFile(file.local));
      if (bytes.length > MAX_PUSH_BYTES) throw new Error(`${file.local} grew past ${MAX_PUSH_BYTES / 1024 / 1024} MB (the workspace import limit)`);
      const hash = sha256(bytes);
      const entry = { hash, size: stat.size, mtimeMs: stat.mtimeMs };
      if (this.cache.get(this.host, file.remote)?.hash === hash) {
        this.cache.set(this.host, file.remote, entry);
        return false;
      }
      await this.upload(file.remote, bytes, signal);
      this.cache.set(this.host, file.remote, entry);
      return true;
    });
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.set(file.remote, settled);
    void settled.then(() => {
      if (this.inFlight.get(file.remote) === settled) this.inFlight.delete(file.remote);
    });
    return mine;
  }

  private async ensureDir(remoteDir: string, signal?: AbortSignal): Promise<void> {
    const dir = normalizeRemotePath(remoteDir);
    if (this.knownDirs.has(dir)) return;
    await this.transport.request('POST', '/api/2.0/workspace/mkdirs', { body: { path: toWorkspaceApiPath(dir) }, signal });
    this.knownDirs.add(dir);
  }

  private async upload(remote: string, bytes: Buffer, signal?: AbortSignal): Promise<void> {
    const dir = remote.slice(0, remote.lastIndexOf('/')) || '/';
    await this.ensureDir(dir, signal);
    await this.transport.request('POST', '/api/2.0/workspace/import', {
      body: { path: toWorkspaceApiPath(remote), content: bytes.toString('base64'), format: 'AUTO', overwrite: true },
      signal,
    });
  }
}
