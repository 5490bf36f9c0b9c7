// The Files API of the stand-in (/api/2.0/fs/files{path}, /api/2.0/fs/directories{path}) over the
// data directory: /Volumes/<catalog>/<schema>/<volume>/… in files/Volumes (the volume must exist in
// Unity Catalog), /Workspace/… in the workspace tree. Wire facts: docs/reference/services-2026.md §3
// and databricks-api.md §4. Downloads stream from disk and honour Range and If-Unmodified-Since;
// uploads stream to a temporary file that only replaces the target once the body is complete, so
// a cancelled upload leaves nothing. Bytes sent and received per path are counted for tests
// (GET /__admin/files; POST /__admin/reset clears them).
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { reply } from '../kernel';
import { ApiError, Params, invalidParam, raw } from './http';
import type { Route } from './routes';
import { segments, type Workspace } from './storage';
import type { UnityCatalog } from './unityCatalog';

const FILES = '/api/2.0/fs/files';
const DIRS = '/api/2.0/fs/directories';
/** One PUT carries at most 5 GiB (GO files/interface.go Upload); the real refusal's text is [unconfirmed]. */
const MAX_PUT_BYTES = 5 * 1024 ** 3;
/** page_size is capped at 1,000 and larger values are coerced (reference §3). */
const MAX_PAGE = 1000;

function isDir(f: string): boolean {
  try {
    return fs.statSync(f).isDirectory();
  } catch {
    return false;
  }
}

function notFound(message: string): ApiError {
  return new ApiError(404, 'NOT_FOUND', message);
}

export interface FileByteCounts {
  sent: Record<string, number>;
  received: Record<string, number>;
  totalSent: number;
  totalReceived: number;
}

export class FilesApi {
  private readonly root: string;
  private counts: FileByteCounts = { sent: {}, received: {}, totalSent: 0, totalReceived: 0 };
  private pages = 0;

  constructor(
    dataDir: string,
    private readonly workspace: Workspace,
    private readonly uc: UnityCatalog,
  ) {
    this.root = path.join(dataDir, 'files');
    fs.mkdirSync(path.join(this.root, 'Volumes'), { recursive: true });
  }

  private count(kind: 'sent' | 'received', remote: string, n: number): void {
    this.counts[kind][remote] = (this.counts[kind][remote] ?? 0) + n;
    if (kind === 'sent') this.counts.totalSent += n;
    else this.counts.totalReceived += n;
  }

  private counter(kind: 'sent' | 'received', remote: string): Transform {
    return new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        this.count(kind, remote, chunk.length);
        done(null, chunk);
      },
    });
  }

  /** The disk path of a Files API path; a /Volumes path must name an existing volume. */
  private disk(rest: string | undefined): { disk: string; remote: string; inWorkspace: boolean } {
    const remote = (rest ?? '')
      .split('/')
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          throw invalidParam(`Invalid path encoding: ${rest}`);
        }
      })
      .join('/');
    if (!remote || remote === '/') throw invalidParam('A path is required.');
    const segs = segments(remote);
    if (segs[0] === 'Workspace') return { disk: path.join(this.workspace.root, ...segs.slice(1)), remote, inWorkspace: true };
    if (segs[0] !== 'Volumes') throw invalidParam(`Path (${remote}) is not a volume path: paths start with /Volumes/<catalog>/<schema>/<volume>/.`);
    // The message for a volume that does not exist is [unconfirmed]; the status is a 404.
    if (!this.uc.volumeFor(segs.slice(1)))
      throw notFound(`The volume for the path ${remote} does not exist (Volumes/<catalog>/<schema>/<volume> must name a volume).`);
    return { disk: path.join(this.root, ...segs), remote, inWorkspace: false };
  }

  async upload(p: Params, rest: string | undefined, req: http.IncomingMessage): Promise<unknown> {
    const { disk, remote, inWorkspace } = this.disk(rest);
    if (p.str('action')) {
      // The multipart flow the Python SDK switches to at 50 MiB is not implemented here: refuse it
      // cleanly (how PY falls back depends on this answer: [unconfirmed], reference §1.3).
      throw new ApiError(501, 'NOT_IMPLEMENTED', `The Ferry stand-in does not implement action=${p.str('action')}; upload the file with a single PUT.`);
    }
    const overwrite = p.bool('overwrite') ?? true;
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > MAX_PUT_BYTES)
      throw new ApiError(413, 'REQUEST_ENTITY_TOO_LARGE', `The file is ${length} bytes; a single upload carries at most ${MAX_PUT_BYTES} bytes.`);
    if (isDir(disk)) throw new ApiError(409, 'ALREADY_EXISTS', `The given path points to an existing directory: ${remote}`);
    if (!overwrite && fs.existsSync(disk)) throw new ApiError(409, 'ALREADY_EXISTS', `File already exists at (${remote}).`);
    let cur = path.dirname(disk);
    while (cur.length > this.root.length && cur.length > this.workspace.root.length) {
      if (fs.existsSync(cur) && !isDir(cur)) throw new ApiError(409, 'ALREADY_EXISTS', `A parent of (${remote}) is a file.`);
      cur = path.dirname(cur);
    }
    // Parents are made on the way, as the real service seems to do (reference §3: [inferred]).
    fs.mkdirSync(path.dirname(disk), { recursive: true });
    const tmp = path.join(path.dirname(disk), `.${path.basename(disk)}.upload-${crypto.randomBytes(4).toString('hex')}`);
    try {
      await pipeline(req, this.counter('received', remote), fs.createWriteStream(tmp));
      if (!overwrite && fs.existsSync(disk)) throw new ApiError(409, 'ALREADY_EXISTS', `File already exists at (${remote}).`);
      fs.renameSync(tmp, disk);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    if (inWorkspace) this.workspace.markFile(disk);
    return raw(204, {});
  }

  download(rest: string | undefined, req: http.IncomingMessage, head: boolean): unknown {
    const { disk, remote } = this.disk(rest);
    if (!fs.existsSync(disk) || isDir(disk)) throw new ApiError(404, 'NOT_FOUND', 'file does not exist');
    const st = fs.statSync(disk);
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream', 'Last-Modified': st.mtime.toUTCString(), 'Accept-Ranges': 'bytes' };
    const ius = req.headers['if-unmodified-since'];
    if (ius && Date.parse(String(ius)) < Math.floor(st.mtimeMs / 1000) * 1000) {
      throw new ApiError(412, 'FAILED_PRECONDITION', 'The file was modified after the time given in If-Unmodified-Since.');
    }
    if (head) return raw(200, { ...headers, 'Content-Length': String(st.size) });
    const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
    let start = 0;
    let end = st.size - 1;
    let status = 200;
    if (range && (range[1] || range[2])) {
      start = range[1] ? Number(range[1]) : Math.max(0, st.size - Number(range[2]));
      end = range[1] && range[2] ? Math.min(Number(range[2]), st.size - 1) : st.size - 1;
      if (start >= st.size || start > end) return raw(416, { 'Content-Range': `bytes */${st.size}` });
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${end}/${st.size}`;
    }
    headers['Content-Length'] = String(st.size === 0 ? 0 : end - start + 1);
    if (st.size === 0) return raw(200, headers, Buffer.alloc(0));
    return reply(status, headers, fs.createReadStream(disk, { start, end }).pipe(this.counter('sent', remote)));
  }

  deleteFile(rest: string | undefined): unknown {
    const { disk } = this.disk(rest);
    if (!fs.existsSync(disk) || isDir(disk)) throw new ApiError(404, 'NOT_FOUND', 'file does not exist');
    fs.rmSync(disk);
    return raw(204, {});
  }

  mkdir(rest: string | undefined): unknown {
    const { disk, remote } = this.disk(rest);
    if (fs.existsSync(disk) && !isDir(disk)) throw new ApiError(409, 'ALREADY_EXISTS', `The given path points to an existing file: ${remote}`);
    try {
      fs.mkdirSync(disk, { recursive: true });
    } catch {
      throw new ApiError(409, 'ALREADY_EXISTS', `A parent of (${remote}) is a file.`);
    }
    return raw(204, {});
  }

  listDir(p: Params, rest: string | undefined): unknown {
    const { disk, remote } = this.disk(rest);
    if (!isDir(disk)) throw notFound(`The directory being accessed is not found: ${remote}`);
    const base = remote.replace(/\/+$/, '');
    const all = fs
      .readdirSync(disk)
      .filter((name) => !/^\..*\.upload-[0-9a-f]{8}$/.test(name))
      .sort()
      .map((name) => {
        const st = fs.statSync(path.join(disk, name));
        return st.isDirectory()
          ? { path: `${base}/${name}/`, name, is_directory: true, last_modified: Math.round(st.mtimeMs) }
          : { path: `${base}/${name}`, name, is_directory: false, file_size: st.size, last_modified: Math.round(st.mtimeMs) };
      });
    const asked = p.num('page_size');
    if (asked !== undefined && asked < 0) throw invalidParam(`page_size must not be negative, not ${asked}`);
    const size = Math.min(asked || MAX_PAGE, MAX_PAGE);
    const tok = p.str('page_token');
    let offset = 0;
    if (tok) {
      const m = /^d:(\d+)$/.exec(Buffer.from(tok, 'base64url').toString());
      if (!m) throw invalidParam(`Invalid page token: ${tok}`);
      offset = Number(m[1]);
    }
    const token = (n: number) => Buffer.from(`d:${n}`).toString('base64url');
    const out: Record<string, unknown> = { contents: all.slice(offset, offset + size) };
    if (offset + size < all.length) out.next_page_token = token(offset + size);
    // The Unity Catalog quirk applies here too: a page with no entries that still has a token.
    const every = this.uc.quirks.emptyPageEvery;
    if (out.next_page_token && every && ++this.pages % every === 0) {
      out.contents = [];
      out.next_page_token = token(offset);
    }
    if ((out.contents as unknown[]).length === 0) delete out.contents; // an absent `contents` means empty
    return out;
  }

  headDir(rest: string | undefined): unknown {
    const { disk } = this.disk(rest);
    return raw(isDir(disk) ? 200 : 404, {});
  }

  deleteDir(rest: string | undefined): unknown {
    const { disk, remote } = this.disk(rest);
    if (!isDir(disk)) throw notFound(`The directory being accessed is not found: ${remote}`);
    if (this.uc.volumeFor(segments(remote).slice(1)) && segments(remote).length === 4)
      throw invalidParam(`${remote} is the root of a volume; delete the volume instead.`);
    if (fs.readdirSync(disk).length) {
      throw new DirectoryNotEmpty(remote);
    }
    fs.rmdirSync(disk);
    return raw(204, {});
  }

  /** The routes under /api/2.0/fs/files and /api/2.0/fs/directories. */
  find(method: string, pathname: string): Route | undefined {
    if (pathname.startsWith(`${FILES}/`)) {
      const rest = pathname.slice(FILES.length);
      if (method === 'PUT') return { rawBody: true, handler: (p, x) => this.upload(p, rest, x.req) };
      // POST …?action=initiate-upload (and the rest of the multipart flow) is refused in upload().
      if (method === 'POST') {
        return {
          rawBody: true,
          handler: (p, x) => {
            if (!p.str('action')) throw new ApiError(404, 'ENDPOINT_NOT_FOUND', `No API found for 'POST ${pathname}'`);
            return this.upload(p, rest, x.req);
          },
        };
      }
      if (method === 'GET' || method === 'HEAD') return { handler: (_p, x) => this.download(rest, x.req, method === 'HEAD') };
      if (method === 'DELETE') return { handler: () => this.deleteFile(rest) };
    }
    if (pathname.startsWith(`${DIRS}/`)) {
      const rest = pathname.slice(DIRS.length);
      if (method === 'PUT') return { handler: () => this.mkdir(rest) };
      if (method === 'GET') return { handler: (p) => this.listDir(p, rest) };
      if (method === 'HEAD') return { handler: () => this.headDir(rest) };
      if (method === 'DELETE') return { handler: () => this.deleteDir(rest) };
    }
    return undefined;
  }

  admin(method: string, pathname: string): unknown {
    if (pathname === '/__admin/files' && method === 'GET') return this.counts;
    return undefined;
  }

  reset(): void {
    this.counts = { sent: {}, received: {}, totalSent: 0, totalReceived: 0 };
    this.pages = 0;
  }
}

/**
 * 400 with an ErrorInfo detail, as the service answers for a directory that still has entries
 * (reference §3); the reason is what clients match. The error_code beside it is [unconfirmed].
 */
class DirectoryNotEmpty extends ApiError {
  constructor(remote: string) {
    super(400, 'FAILED_PRECONDITION', `Cannot delete the directory ${remote} because it is not empty.`);
  }

  override body(): Record<string, unknown> {
    return {
      ...super.body(),
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'FILES_API_DIRECTORY_IS_NOT_EMPTY', domain: 'filesystem.databricks.com' }],
    };
  }
}
