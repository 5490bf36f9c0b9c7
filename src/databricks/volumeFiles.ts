// The Files API on Unity Catalog volumes (/Volumes/<catalog>/<schema>/<volume>/…): directory pages,
// streamed downloads and range reads, streamed uploads, delete and mkdir. Wire facts: reference
// services-2026.md §3 and databricks-api.md §4. Paths are always '/'-separated; each segment is
// escaped on its own and the slashes are kept, as the SDKs do.
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { FerryError } from '../core/errors';
import { DatabricksError } from './errors';
import { DatabricksTransport, StreamResponse } from './transport';

export interface VolumeEntry {
  /** The full path, without a trailing '/'. */
  path: string;
  name: string;
  isDirectory: boolean;
  /** Bytes; absent for directories. */
  size?: number;
  /** Epoch milliseconds. */
  lastModified?: number;
}

export interface VolumePage {
  items: VolumeEntry[];
  nextToken?: string;
}

export interface VolumeFileInfo {
  size: number;
  lastModified?: string;
  contentType?: string;
}

const FILES = '/api/2.0/fs/files';
const DIRS = '/api/2.0/fs/directories';

/** Checks a volume path and returns its segments: /Volumes/<catalog>/<schema>/<volume>[/…], no '.' or '..'. */
export function volumeSegments(path: string): string[] {
  const segs = path.split('/').filter((s) => s !== '');
  if (!path.startsWith('/Volumes/') || segs.length < 4 || segs[0] !== 'Volumes')
    throw new FerryError('invalidInput', `${path} is not a volume path (/Volumes/<catalog>/<schema>/<volume>/…).`);
  if (segs.some((s) => s === '.' || s === '..')) throw new FerryError('invalidInput', `${path} has a "." or ".." segment; volume paths name files directly.`);
  return segs;
}

/** The API path for a volume path: every segment escaped on its own, the slashes kept. */
export function encodeVolumePath(path: string): string {
  return `/${volumeSegments(path).map(encodeURIComponent).join('/')}`;
}

export function joinVolumePath(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name.replace(/^\/+/, '')}`;
}

export function parentOf(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(0, trimmed.lastIndexOf('/')) || '/';
}

export function isNotFound(err: unknown): boolean {
  return err instanceof DatabricksError && err.status === 404;
}

/** A directory delete refused because it still has entries (a 400 whose detail says so). */
export function isDirectoryNotEmpty(err: unknown): boolean {
  return (
    err instanceof DatabricksError &&
    (err.status === 400 || err.status === 409) &&
    /not empty|DIRECTORY_IS_NOT_EMPTY|DIRECTORY_NOT_EMPTY/i.test(`${err.errorCode} ${err.serverMessage}`)
  );
}

export class VolumeFilesService {
  constructor(private readonly transport: DatabricksTransport) {}

  /** One page of a directory; an absent `contents` is an empty page, and only a missing token ends it. */
  async listDirectory(dir: string, token?: string, opts: { pageSize?: number; signal?: AbortSignal } = {}): Promise<VolumePage> {
    const out = await this.transport.request<{ contents?: Array<Record<string, unknown>>; next_page_token?: string }>(
      'GET',
      `${DIRS}${encodeVolumePath(dir)}`,
      {
        query: { page_size: opts.pageSize ?? 1000, page_token: token },
        signal: opts.signal,
      },
    );
    const items = (out.contents ?? []).map((c) => {
      const isDirectory = c.is_directory === true;
      const path = String(c.path ?? joinVolumePath(dir, String(c.name ?? ''))).replace(/\/+$/, '');
      return {
        path,
        name: typeof c.name === 'string' && c.name ? c.name : path.slice(path.lastIndexOf('/') + 1),
        isDirectory,
        size: isDirectory ? undefined : typeof c.file_size === 'number' ? c.file_size : Number(c.file_size ?? 0),
        lastModified: typeof c.last_modified === 'number' ? c.last_modified : undefined,
      } satisfies VolumeEntry;
    });
    return { items, nextToken: typeof out.next_page_token === 'string' && out.next_page_token ? out.next_page_token : undefined };
  }

  /** Every entry below `dir`, depth first (for downloads and deletes of a folder). */
  async *walk(dir: string, signal?: AbortSignal): AsyncGenerator<VolumeEntry> {
    let token: string | undefined;
    const subdirs: VolumeEntry[] = [];
    do {
      const page = await this.listDirectory(dir, token, { signal });
      for (const e of page.items) {
        if (e.isDirectory) subdirs.push(e);
        else yield e;
      }
      token = page.nextToken;
    } while (token);
    for (const d of subdirs) {
      yield d;
      yield* this.walk(d.path, signal);
    }
  }

  async head(path: string, signal?: AbortSignal): Promise<VolumeFileInfo> {
    const r = await this.transport.request<StreamResponse>('HEAD', `${FILES}${encodeVolumePath(path)}`, { responseType: 'stream', signal });
    r.body.destroy();
    return { size: Number(r.headers['content-length'] ?? 0), lastModified: r.headers['last-modified'], contentType: r.headers['content-type'] };
  }

  /** The file's bytes as a stream (the caller reads as much as it needs and destroys it). */
  async openRead(path: string, signal?: AbortSignal): Promise<{ body: Readable; size?: number }> {
    const r = await this.transport.request<StreamResponse>('GET', `${FILES}${encodeVolumePath(path)}`, { responseType: 'stream', signal });
    const length = r.headers['content-length'];
    return { body: r.body, size: length === undefined ? undefined : Number(length) };
  }

  /** Bytes [start, end) of a file by an HTTP Range request; never more than asked for. */
  async readRange(path: string, start: number, end: number, signal?: AbortSignal): Promise<Uint8Array> {
    if (end <= start) return new Uint8Array(0);
    const r = await this.transport.request<StreamResponse>('GET', `${FILES}${encodeVolumePath(path)}`, {
      responseType: 'stream',
      headers: { Range: `bytes=${start}-${end - 1}` },
      signal,
    });
    const want = end - start;
    // A server that ignores Range answers 200 with the whole file: skip to `start` and stop at `end`.
    let skip = r.status === 206 ? 0 : start;
    const chunks: Buffer[] = [];
    let got = 0;
    try {
      for await (const chunk of r.body) {
        let b = chunk as Buffer;
        if (skip) {
          if (b.length <= skip) {
            skip -= b.length;
            continue;
          }
          b = b.subarray(skip);
          skip = 0;
        }
        chunks.push(b.subarray(0, want - got));
        got += Math.min(b.length, want - got);
        if (got >= want) break;
      }
    } finally {
      r.body.destroy();
    }
    return Buffer.concat(chunks);
  }

  /**
   * Uploads a local file with one streamed PUT (the Files API takes up to 5 GiB that way).
   * `onBytes` is told each chunk sent; on a retry the count starts again from zero.
   */
  async uploadFile(localPath: string, remotePath: string, opts: { overwrite: boolean; signal?: AbortSignal; onBytes?: (sent: number) => void }): Promise<void> {
    const length = (await fs.promises.stat(localPath)).size;
    let sent = 0;
    let current: fs.ReadStream | undefined;
    try {
      await this.transport.request('PUT', `${FILES}${encodeVolumePath(remotePath)}`, {
        query: { overwrite: opts.overwrite },
        body: {
          length,
          open: () => {
            current?.destroy();
            sent = 0;
            opts.onBytes?.(0);
            current = fs.createReadStream(localPath, { highWaterMark: 1024 * 1024 });
            current.on('data', (chunk) => {
              sent += chunk.length;
              opts.onBytes?.(sent);
            });
            return current;
          },
        },
        signal: opts.signal,
        // A large body takes its time: allow a slow link (100 kB/s) on top of the usual minute.
        timeoutMs: 60_000 + Math.ceil(length / 100),
      });
    } finally {
      current?.destroy();
    }
  }

  async uploadBytes(remotePath: string, bytes: Uint8Array, opts: { overwrite: boolean; signal?: AbortSignal }): Promise<void> {
    await this.transport.request('PUT', `${FILES}${encodeVolumePath(remotePath)}`, { query: { overwrite: opts.overwrite }, body: bytes, signal: opts.signal });
  }

  async deleteFile(path: string, signal?: AbortSignal): Promise<void> {
    await this.transport.request('DELETE', `${FILES}${encodeVolumePath(path)}`, { signal });
  }

  /** mkdir -p; succeeds when the directory exists. */
  async createDirectory(path: string, signal?: AbortSignal): Promise<void> {
    await this.transport.request('PUT', `${DIRS}${encodeVolumePath(path)}`, { signal });
  }

  /** Removes an empty directory. */
  async deleteDirectory(path: string, signal?: AbortSignal): Promise<void> {
    await this.transport.request('DELETE', `${DIRS}${encodeVolumePath(path)}`, { signal });
  }

  async exists(path: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.head(path, signal);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }
}
