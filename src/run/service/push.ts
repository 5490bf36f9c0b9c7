// Pushing local files to the Databricks workspace under the remote root, keeping the relative
// layout. Folders honour .gitignore files (root and nested) plus a few always-ignored folders;
// only files whose content changed since the last push are sent (a content-hash cache per host
// and remote path). Text files go up with '\n' line endings. Nothing remote is ever deleted here.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ignore, { Ignore } from 'ignore';
import { Logger, silentLogger } from '../../core/logger';
import { DatabricksTransport } from '../../databricks/transport';
import { normalizeRemotePath, PathMapper, toWorkspaceApiPath } from './paths';
import { count } from '../../core/text';

/** Folders never pushed, whatever .gitignore says. */
export const ALWAYS_IGNORED = ['.git/', '.hg/', '.svn/', 'node_modules/', '__pycache__/', '.venv/', 'venv/', '.mypy_cache/', '.pytest_cache/', '.ipynb_checkpoints/', '.DS_Store', '.ferry/'];
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

/** Lists the files of a folder that are not ignored (.gitignore files at any depth apply below them). */
export function listPushableFiles(root: string, maxFiles = 5000): string[] {
  const out: string[] = [];
  const walk = (dir: string, rules: Array<{ base: string; ig: Ignore }>) => {
    let here = rules;
    const gi = path.join(dir, '.gitignore');
    if (fs.existsSync(gi)) {
      try {
        here = [...rules, { base: dir, ig: ignore().add(fs.readFileSync(gi, 'utf8')) }];
      } catch {
        // An unreadable .gitignore is treated as absent.
      }
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (out.length >= maxFiles) return;
      if (!e.isDirectory() && !e.isFile()) continue;
      const full = path.join(dir, e.name);
      const ignored = here.some(({ base, ig }) => {
        const rel = path.relative(base, full).split(path.sep).join('/');
        return ig.ignores(e.isDirectory() ? `${rel}/` : rel);
      });
      if (ignored) continue;
      if (e.isDirectory()) walk(full, here);
      else out.push(full);
    }
  };
  walk(root, [{ base: root, ig: ignore().add(ALWAYS_IGNORED) }]);
  return out;
}

/** Decides which of `files` must be uploaded (changed content or never pushed to this host). */
export function planPush(files: string[], mapper: PathMapper, cache: PushCache, host: string): PushPlan {
  const plan: PushPlan = { upload: [], unchanged: 0, skipped: [] };
  for (const local of files) {
    const remote = mapper.toRemote(local);
    if (!remote || remote === mapper.remoteRoot) {
      plan.skipped.push({ local, reason: 'outside the workspace folder' });
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
  onProgress?: (done: number, total: number, remote: string) => void;
}

export class WorkspacePusher {
  /** Remote folders known to exist, so mkdirs is sent once per folder per session. */
  private readonly knownDirs = new Set<string>();

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
    for (const s of plan.skipped) this.logger.warn(`not pushed: ${s.local} (${s.reason})`);
    const uploaded: string[] = [];
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < plan.upload.length) {
        const file = plan.upload[next++];
        await this.upload(file, opts.signal);
        uploaded.push(file.remote);
        this.cache.set(this.host, file.remote, { hash: file.hash, size: file.size, mtimeMs: file.mtimeMs });
        opts.onProgress?.(++done, plan.upload.length, file.remote);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 4, plan.upload.length) }, worker));
    } finally {
      this.cache.save();
    }
    if (uploaded.length) this.logger.info(`pushed ${count(uploaded.length, 'file')} to ${mapper.remoteRoot} (${plan.unchanged} unchanged)`);
    return { uploaded, unchanged: plan.unchanged, skipped: plan.skipped };
  }

  private async ensureDir(remoteDir: string, signal?: AbortSignal): Promise<void> {
    const dir = normalizeRemotePath(remoteDir);
    if (this.knownDirs.has(dir)) return;
    await this.transport.request('POST', '/api/2.0/workspace/mkdirs', { body: { path: toWorkspaceApiPath(dir) }, signal });
    this.knownDirs.add(dir);
  }

  private async upload(file: PlannedFile, signal?: AbortSignal): Promise<void> {
    const dir = file.remote.slice(0, file.remote.lastIndexOf('/')) || '/';
    await this.ensureDir(dir, signal);
    const content = contentForUpload(file.local, fs.readFileSync(file.local)).toString('base64');
    await this.transport.request('POST', '/api/2.0/workspace/import', {
      body: { path: toWorkspaceApiPath(file.remote), content, format: 'AUTO', overwrite: true },
      signal,
    });
  }
}
