// Workspace 2.0 and DBFS 2.0 of the stand-in (the Files API is in files.ts). Everything lives in
// directories on disk under dataDir (workspace/, dbfs/); which workspace files are notebooks (and
// their language) is kept in workspace.meta.json next to them. Remote paths are always '/'-separated;
// '..' segments and relative paths are refused.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, Params, alreadyExists, invalidParam, notFound, raw } from './http';

const NOTEBOOK_HEADERS: Record<string, string> = {
  PYTHON: '# Databricks notebook source',
  SQL: '-- Databricks notebook source',
  SCALA: '// Databricks notebook source',
  R: '# Databricks notebook source',
};
const EXT_LANG: Record<string, string> = { '.py': 'PYTHON', '.sql': 'SQL', '.scala': 'SCALA', '.r': 'R' };
const LANG_EXT: Record<string, string> = { PYTHON: 'py', SQL: 'sql', SCALA: 'scala', R: 'r' };
const MB = 1024 * 1024;

/** Splits an absolute remote path into safe segments, refusing traversal. */
export function segments(remote: string, what = 'Path'): string[] {
  if (!remote.startsWith('/')) throw invalidParam(`${what} (${remote}) is not absolute. Paths must start with '/'.`);
  const segs = remote.split('/').filter((s) => s !== '' && s !== '.');
  if (segs.some((s) => s === '..' || s.includes('\\') || s.includes('\0'))) throw invalidParam(`${what} (${remote}) is not a valid path.`);
  return segs;
}

function b64(s: unknown, field: string): Buffer {
  if (s === undefined || s === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(s)) return s;
  if (typeof s !== 'string') throw invalidParam(`Invalid value for ${field}: expected base64 text`);
  return Buffer.from(s, 'base64');
}

function isDir(f: string): boolean {
  try {
    return fs.statSync(f).isDirectory();
  } catch {
    return false;
  }
}

export class Workspace {
  readonly root: string;
  private readonly metaFile: string;
  private notebooks: Record<string, string>;

  constructor(dataDir: string, user: string) {
    this.root = path.join(dataDir, 'workspace');
    this.metaFile = path.join(dataDir, 'workspace.meta.json');
    for (const d of [`Users/${user}`, 'Shared', 'Repos']) fs.mkdirSync(path.join(this.root, d), { recursive: true });
    this.notebooks = fs.existsSync(this.metaFile)
      ? (JSON.parse(fs.readFileSync(this.metaFile, 'utf8')) as { notebooks: Record<string, string> }).notebooks
      : {};
  }

  private save(): void {
    fs.writeFileSync(this.metaFile, JSON.stringify({ notebooks: this.notebooks }));
  }

  /** Canonical path (without a /Workspace prefix) and whether the caller used the prefix. */
  canon(remote: string | undefined): { canon: string; prefixed: boolean; disk: string } {
    if (!remote) throw invalidParam('Missing required field: path');
    let segs = segments(remote);
    const prefixed = segs[0] === 'Workspace';
    if (prefixed) segs = segs.slice(1);
    return { canon: `/${segs.join('/')}`, prefixed, disk: path.join(this.root, ...segs) };
  }

  private shown(canon: string, prefixed: boolean): string {
    return prefixed ? `/Workspace${canon === '/' ? '' : canon}` : canon;
  }

  /** A workspace object for the job runner: its disk file and whether it is a notebook. */
  resolve(remote: string): { disk: string; notebookLanguage?: string } | undefined {
    const { canon, disk } = this.canon(remote);
    if (!fs.existsSync(disk) || isDir(disk)) return undefined;
    return { disk, notebookLanguage: this.notebooks[canon] };
  }

  info(canon: string, prefixed: boolean, disk: string): Record<string, unknown> {
    const st = fs.statSync(disk);
    const base = { path: this.shown(canon, prefixed), object_id: st.ino, resource_id: String(st.ino) };
    if (st.isDirectory()) return { object_type: 'DIRECTORY', ...base };
    const lang = this.notebooks[canon];
    if (lang)
      return { object_type: 'NOTEBOOK', language: lang, ...base, created_at: Math.round(st.birthtimeMs || st.ctimeMs), modified_at: Math.round(st.mtimeMs) };
    return { object_type: 'FILE', ...base, size: st.size, created_at: Math.round(st.birthtimeMs || st.ctimeMs), modified_at: Math.round(st.mtimeMs) };
  }

  getStatus(p: Params): Record<string, unknown> {
    const { canon, prefixed, disk } = this.canon(p.str('path'));
    if (!fs.existsSync(disk)) throw notFound(`Path (${p.str('path')}) doesn't exist.`);
    return this.info(canon, prefixed, disk);
  }

  list(p: Params): Record<string, unknown> {
    const { canon, prefixed, disk } = this.canon(p.str('path'));
    if (!fs.existsSync(disk)) throw notFound(`Path (${p.str('path')}) doesn't exist.`);
    if (!isDir(disk)) return { objects: [this.info(canon, prefixed, disk)] };
    const after = p.num('notebooks_modified_after');
    const objects = fs
      .readdirSync(disk)
      .sort()
      .map((name) => this.info(canon === '/' ? `/${name}` : `${canon}/${name}`, prefixed, path.join(disk, name)))
      .filter((o) => after === undefined || o.object_type !== 'NOTEBOOK' || Number(o.modified_at) > after);
    return objects.length ? { objects } : {};
  }

  mkdirs(p: Params): Record<string, unknown> {
    const { canon, disk } = this.canon(p.str('path'));
    const segs = canon.split('/').filter(Boolean);
    let cur = this.root;
    for (let i = 0; i < segs.length; i++) {
      cur = path.join(cur, segs[i]);
      if (fs.existsSync(cur) && !isDir(cur)) throw alreadyExists(`/${segs.slice(0, i + 1).join('/')} already exists and it is not a folder.`);
    }
    fs.mkdirSync(disk, { recursive: true });
    return {};
  }

  import(p: Params): Record<string, unknown> {
    const given = p.reqStr('path');
    let { canon, disk } = this.canon(given);
    const format = (p.str('format') ?? 'SOURCE').toUpperCase();
    const overwrite = p.bool('overwrite') ?? false;
    const content = b64(p.body.content ?? p.query.get('content') ?? undefined, 'content');
    if (content.length > 10 * MB)
      throw new ApiError(400, 'MAX_NOTEBOOK_SIZE_EXCEEDED', `File size imported is (${content.length} bytes), exceeded max size (10485760 bytes)`);
    let language = p.str('language')?.toUpperCase();
    let body = content;
    let notebook = false;
    const ext = path.posix.extname(canon).toLowerCase();
    if (format === 'SOURCE') {
      if (!language) throw invalidParam('The language must be specified when importing a file in SOURCE format.');
      if (!NOTEBOOK_HEADERS[language]) throw invalidParam(`Invalid language: ${language}`);
      notebook = true;
    } else if (format === 'AUTO') {
      // Extension plus header, as the CLI decides (libs/notebook/detect.go): the first line of the
      // first 32 bytes must be exactly the language's header; an .ipynb must be Jupyter JSON.
      const lang = EXT_LANG[ext];
      if (lang && firstLine(content) === NOTEBOOK_HEADERS[lang]) {
        notebook = true;
        language = lang;
      } else if (ext === '.ipynb') {
        notebook = true;
        language = jupyterLanguage(content);
      }
    } else if (format === 'JUPYTER') {
      notebook = true;
      language = jupyterLanguage(content);
      body = Buffer.from(jupyterToSource(content));
    } else if (format !== 'RAW') {
      throw invalidParam(`Import format ${format} is not supported by the Ferry Databricks stand-in (SOURCE, AUTO, JUPYTER, RAW).`);
    }
    if (notebook && format !== 'SOURCE' && ext) {
      // A notebook imported by AUTO/JUPYTER loses its extension.
      canon = canon.slice(0, -ext.length);
      disk = disk.slice(0, -ext.length);
      if (ext === '.ipynb') body = Buffer.from(jupyterToSource(content));
    }
    if (notebook && language) {
      const header = NOTEBOOK_HEADERS[language];
      const text = body.toString('utf8');
      if (text.startsWith(header)) body = Buffer.from(text.slice(header.length).replace(/^\r?\n/, ''));
    }
    const parent = path.dirname(disk);
    if (!isDir(parent)) throw notFound(`The parent folder (${path.posix.dirname(given)}) does not exist.`);
    if (fs.existsSync(disk)) {
      if (isDir(disk)) throw alreadyExists(`Path (${given}) already exists.`);
      if (!overwrite) throw alreadyExists(`Node named '${path.posix.basename(canon)}' already exists`);
    }
    fs.writeFileSync(disk, body);
    if (notebook && language) this.notebooks[canon] = language;
    else delete this.notebooks[canon];
    this.save();
    return {};
  }

  export(p: Params): unknown {
    const { canon, disk } = this.canon(p.str('path'));
    if (!fs.existsSync(disk)) throw notFound(`Path (${p.str('path')}) doesn't exist.`);
    if (isDir(disk)) throw invalidParam(`Path (${p.str('path')}) is a directory; export it as DBC, which the stand-in does not support.`);
    const format = (p.str('format') ?? 'SOURCE').toUpperCase();
    let content = fs.readFileSync(disk);
    const lang = this.notebooks[canon];
    let fileType = path.posix.extname(canon).slice(1);
    if (lang) {
      if (format === 'JUPYTER') {
        content = Buffer.from(sourceToJupyter(content.toString('utf8')));
        fileType = 'ipynb';
      } else if (format === 'SOURCE' || format === 'AUTO') {
        content = Buffer.concat([Buffer.from(`${NOTEBOOK_HEADERS[lang]}\n`), content]);
        fileType = LANG_EXT[lang];
      } else throw invalidParam(`Export format ${format} is not supported by the Ferry Databricks stand-in.`);
    }
    if (content.length > 10 * MB)
      throw new ApiError(400, 'MAX_NOTEBOOK_SIZE_EXCEEDED', `File size exported is (${content.length} bytes), exceeded max size (10485760 bytes)`);
    if (p.bool('direct_download')) return raw(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(content.length) }, content);
    return { content: content.toString('base64'), file_type: fileType };
  }

  delete(p: Params): Record<string, unknown> {
    const { canon, disk } = this.canon(p.str('path'));
    if (canon === '/') throw invalidParam('Cannot delete the workspace root.');
    if (!fs.existsSync(disk)) throw notFound(`Path (${p.str('path')}) doesn't exist.`);
    if (isDir(disk)) {
      if (fs.readdirSync(disk).length && !p.bool('recursive')) throw new ApiError(400, 'DIRECTORY_NOT_EMPTY', `Folder (${p.str('path')}) is not empty`);
      fs.rmSync(disk, { recursive: true, force: true });
      for (const k of Object.keys(this.notebooks)) if (k.startsWith(`${canon}/`)) delete this.notebooks[k];
    } else {
      fs.rmSync(disk);
      delete this.notebooks[canon];
    }
    this.save();
    return {};
  }

  /** Called when the Files API writes into /Workspace: the object becomes a plain file. */
  markFile(disk: string): void {
    const rel = path.relative(this.root, disk).split(path.sep).join('/');
    if (this.notebooks[`/${rel}`]) {
      delete this.notebooks[`/${rel}`];
      this.save();
    }
  }
}

/** The first line within the first 32 bytes, without its line ending (Go's bufio.Scanner). */
function firstLine(content: Buffer): string {
  const head = content.subarray(0, 32).toString('utf8');
  const nl = head.indexOf('\n');
  const line = nl >= 0 ? head.slice(0, nl) : head;
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

interface Jupyter {
  cells?: Array<{ cell_type?: string; source?: string | string[] }>;
  metadata?: Record<string, unknown> | null;
  nbformat?: unknown;
}

/**
 * Parses an .ipynb as the CLI checks it (detect_jupyter.go): JSON with cells and metadata and
 * nbformat ≥ 4. The import's error text for anything else is [unconfirmed]; the CLI says that such
 * an import "will always fail".
 */
function parseJupyter(content: Buffer): Jupyter {
  let nb: unknown;
  try {
    nb = JSON.parse(content.toString('utf8'));
  } catch {
    throw invalidParam('The notebook content is not valid Jupyter JSON.');
  }
  const o = nb && typeof nb === 'object' && !Array.isArray(nb) ? (nb as Jupyter) : undefined;
  if (!o || o.cells === undefined || !o.metadata || typeof o.metadata !== 'object')
    throw invalidParam('Invalid Jupyter notebook: cells and metadata are required.');
  if (typeof o.nbformat !== 'number' || o.nbformat < 4) throw invalidParam(`Unsupported Jupyter notebook version: ${String(o.nbformat)}.`);
  return o;
}

/** metadata["application/vnd.databricks.v1+notebook"].language, else PYTHON (what the workspace reports). */
function jupyterLanguage(content: Buffer): string {
  const meta = parseJupyter(content).metadata?.['application/vnd.databricks.v1+notebook'];
  const lang = meta && typeof meta === 'object' ? String((meta as Record<string, unknown>).language ?? '').toUpperCase() : '';
  return NOTEBOOK_HEADERS[lang] ? lang : 'PYTHON';
}

/**
 * An .ipynb as source cells: code cells as they are (a cell that starts with a %magic as MAGIC
 * lines, as the workspace shows magics in source form), markdown cells as %md MAGIC cells.
 */
function jupyterToSource(content: Buffer): string {
  const magic = (text: string) =>
    text
      .split('\n')
      .map((l) => (l ? `# MAGIC ${l}` : '# MAGIC'))
      .join('\n');
  return (parseJupyter(content).cells ?? [])
    .map((c) => {
      const text = Array.isArray(c.source) ? c.source.join('') : String(c.source ?? '');
      if (c.cell_type === 'markdown') return magic(`%md\n${text}`);
      if (c.cell_type !== 'code') return undefined;
      return /^\s*%/.test(text) ? magic(text.trimStart()) : text;
    })
    .filter((t): t is string => t !== undefined)
    .join('\n\n# COMMAND ----------\n\n');
}

function sourceToJupyter(source: string): string {
  const cells = source
    .split(/\n# COMMAND ----------\n/)
    .map((s) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: s.trim() }));
  return JSON.stringify({ cells, metadata: { language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 0 });
}

/** DBFS 2.0 (/api/2.0/dbfs/*): paths with or without a dbfs: prefix, stored under dbfs/. */
export class Dbfs {
  readonly root: string;
  private readonly handles = new Map<number, { disk: string; parts: Buffer[]; touched: number }>();
  private nextHandle = crypto.randomInt(1e9, 2e9);

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'dbfs');
    for (const d of ['FileStore', 'tmp']) fs.mkdirSync(path.join(this.root, d), { recursive: true });
  }

  disk(remote: string | undefined): { disk: string; remote: string } {
    if (!remote) throw invalidParam('Missing required field: path');
    const r = remote.replace(/^dbfs:/, '');
    return { disk: path.join(this.root, ...segments(r)), remote: r };
  }

  private info(remote: string, disk: string): Record<string, unknown> {
    const st = fs.statSync(disk);
    return { path: remote, is_dir: st.isDirectory(), file_size: st.isDirectory() ? 0 : st.size, modification_time: Math.round(st.mtimeMs) };
  }

  private writable(disk: string, remote: string, overwrite: boolean): void {
    if (isDir(disk)) throw alreadyExists(`A directory already exists at ${remote}`);
    if (fs.existsSync(disk) && !overwrite) throw alreadyExists(`A file or directory already exists at the input path ${remote}.`);
    try {
      fs.mkdirSync(path.dirname(disk), { recursive: true });
    } catch {
      throw alreadyExists(`A file exists on the parent path of ${remote}.`);
    }
  }

  put(p: Params): Record<string, unknown> {
    const { disk, remote } = this.disk(p.str('path'));
    const data = Buffer.isBuffer(p.body.file) ? p.body.file : Buffer.isBuffer(p.body.contents) ? p.body.contents : b64(p.body.contents, 'contents');
    if (!Buffer.isBuffer(p.body.file) && !Buffer.isBuffer(p.body.contents) && data.length > MB)
      throw new ApiError(400, 'MAX_BLOCK_SIZE_EXCEEDED', `The contents exceed the 1 MB limit of put (${data.length} bytes). Use create, add-block and close.`);
    this.writable(disk, remote, p.bool('overwrite') ?? false);
    fs.writeFileSync(disk, data);
    return {};
  }

  create(p: Params): Record<string, unknown> {
    const { disk, remote } = this.disk(p.str('path'));
    this.writable(disk, remote, p.bool('overwrite') ?? false);
    const handle = this.nextHandle++;
    this.handles.set(handle, { disk, parts: [], touched: Date.now() });
    return { handle };
  }

  private handle(p: Params): { disk: string; parts: Buffer[]; touched: number } {
    const h = this.handles.get(p.reqNum('handle'));
    if (!h || Date.now() - h.touched > 600_000) throw notFound(`Handle ${p.num('handle')} does not exist or has expired.`);
    h.touched = Date.now();
    return h;
  }

  addBlock(p: Params): Record<string, unknown> {
    const h = this.handle(p);
    const data = b64(p.body.data, 'data');
    if (data.length > MB) throw new ApiError(400, 'MAX_BLOCK_SIZE_EXCEEDED', `The block exceeds the 1 MB limit (${data.length} bytes).`);
    h.parts.push(data);
    return {};
  }

  close(p: Params): Record<string, unknown> {
    const h = this.handle(p);
    fs.writeFileSync(h.disk, Buffer.concat(h.parts));
    this.handles.delete(p.reqNum('handle'));
    return {};
  }

  read(p: Params): Record<string, unknown> {
    const { disk, remote } = this.disk(p.str('path'));
    if (!fs.existsSync(disk)) throw notFound(`No file or directory exists on path ${remote}.`);
    if (isDir(disk)) throw invalidParam(`The path ${remote} is a directory.`);
    const offset = p.num('offset') ?? 0;
    const length = p.num('length') ?? 512 * 1024;
    if (offset < 0 || length < 0) throw invalidParam('offset and length must be non-negative.');
    if (length > MB) throw new ApiError(400, 'MAX_READ_SIZE_EXCEEDED', `Cannot read more than 1 MB at a time (asked for ${length} bytes).`);
    const data = fs.readFileSync(disk).subarray(offset, offset + length);
    return { bytes_read: data.length, data: data.toString('base64') };
  }

  getStatus(p: Params): Record<string, unknown> {
    const { disk, remote } = this.disk(p.str('path'));
    if (!fs.existsSync(disk)) throw notFound(`No file or directory exists on path ${remote}.`);
    return this.info(remote, disk);
  }

  list(p: Params): Record<string, unknown> {
    const { disk, remote } = this.disk(p.str('path'));
    if (!fs.existsSync(disk)) throw notFound(`No file or directory exists on path ${remote}.`);
    if (!isDir(disk)) return { files: [this.info(remote, disk)] };
    const base = remote.replace(/\/+$/, '');
    const files = fs
      .readdirSync(disk)
      .sort()
      .map((n) => this.info(`${base}/${n}`, path.join(disk, n)));
    return files.length ? { files } : {};
  }

  mkdirs(p: Params): Record<string, unknown> {
    const { disk, remote } = this.disk(p.str('path'));
    if (fs.existsSync(disk) && !isDir(disk)) throw alreadyExists(`A file or directory already exists at the input path ${remote}.`);
    try {
      fs.mkdirSync(disk, { recursive: true });
    } catch {
      throw alreadyExists(`A file exists on the parent path of ${remote}.`);
    }
    return {};
  }

  delete(p: Params): Record<string, unknown> {
    const { disk, remote } = this.disk(p.str('path'));
    if (disk === this.root) throw invalidParam('Cannot delete the DBFS root.');
    if (!fs.existsSync(disk)) return {};
    if (isDir(disk) && fs.readdirSync(disk).length && !p.bool('recursive'))
      throw new ApiError(400, 'IO_ERROR', `Directory ${remote} is not empty. Use recursive delete or remove contents first.`);
    fs.rmSync(disk, { recursive: true, force: true });
    return {};
  }

  move(p: Params): Record<string, unknown> {
    const src = this.disk(p.reqStr('source_path'));
    const dst = this.disk(p.reqStr('destination_path'));
    if (!fs.existsSync(src.disk)) throw notFound(`No file or directory exists on path ${src.remote}.`);
    if (fs.existsSync(dst.disk)) throw alreadyExists(`A file or directory already exists at the input path ${dst.remote}.`);
    fs.mkdirSync(path.dirname(dst.disk), { recursive: true });
    fs.renameSync(src.disk, dst.disk);
    return {};
  }
}
