// Local ↔ remote path mapping for a workspace folder and its remote root in the Databricks
// workspace. Local paths may be POSIX or Windows (drive letters, backslashes, UNC shares); remote
// paths are always '/'-separated. The flavour of a local path is decided by its shape, not by the
// OS we run on, so the Windows cases are testable everywhere and a Windows path never goes through
// path.posix (nor a remote path through path.join).
import path from 'node:path';

/** The prefix under which workspace files appear on the driver's file system. */
export const WORKSPACE_FS_PREFIX = '/Workspace';

export function isWindowsPath(p: string): boolean {
  return /^[a-zA-Z]:([\\/]|$)/.test(p) || /^\\\\[^\\]/.test(p) || (/^\/\/[^/]/.test(p) && p.includes('\\'));
}

function flavour(p: string): path.PlatformPath {
  return isWindowsPath(p) ? path.win32 : path.posix;
}

/** Makes a remote path canonical: '/'-separated, absolute, no '.', '..', empty or trailing segments. */
export function normalizeRemotePath(p: string): string {
  const segments: string[] = [];
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') throw new Error(`Remote paths may not contain "..": ${p}`);
    segments.push(seg);
  }
  return `/${segments.join('/')}`;
}

/** The driver file-system form (`/Workspace/Users/...`) of a workspace path. */
export function toDriverPath(remote: string): string {
  const p = normalizeRemotePath(remote);
  return p === WORKSPACE_FS_PREFIX || p.startsWith(`${WORKSPACE_FS_PREFIX}/`) ? p : `${WORKSPACE_FS_PREFIX}${p}`;
}

/** The Workspace API form (`/Users/...`) of a workspace path. */
export function toWorkspaceApiPath(remote: string): string {
  const p = normalizeRemotePath(remote);
  return p.startsWith(`${WORKSPACE_FS_PREFIX}/`) ? p.slice(WORKSPACE_FS_PREFIX.length) : p;
}

/** A folder name made safe as one workspace path segment (keeps spaces, drops separators). */
export function safeSegment(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'project' : cleaned;
}

/** The default remote root: /Workspace/Users/<user>/ferry/<workspace folder name>. */
export function defaultRemoteRoot(userName: string, folderName: string): string {
  return `${WORKSPACE_FS_PREFIX}/Users/${safeSegment(userName)}/ferry/${safeSegment(folderName)}`;
}

/** The remote root from the setting (absolute, '/'-separated), or the default when empty. */
export function resolveRemoteRoot(setting: string, userName: string, folderName: string): string {
  const trimmed = setting.trim();
  if (!trimmed) return defaultRemoteRoot(userName, folderName);
  if (!trimmed.startsWith('/') && !trimmed.startsWith('\\'))
    throw new Error(`ferry.databricks.remoteRoot must be an absolute workspace path (got "${setting}")`);
  return toDriverPath(trimmed);
}

/** The segments of `target` below `root`, or undefined when it is not inside it. */
function relativeSegments(root: string, target: string): string[] | undefined {
  const lib = flavour(root);
  const windows = lib === path.win32;
  const r = lib.resolve(root);
  const t = lib.resolve(target);
  const rel = lib.relative(r, t);
  if (rel === '') return [];
  if (rel.startsWith('..') || lib.isAbsolute(rel)) return undefined;
  // path.win32.relative compares case-insensitively, which is what Windows does too.
  return rel.split(windows ? /[\\/]/ : /\//).filter((s) => s !== '');
}

export class PathMapper {
  readonly remoteRoot: string;
  private readonly lib: path.PlatformPath;

  constructor(
    /** The workspace folder on disk (POSIX or Windows form). */
    readonly localRoot: string,
    remoteRoot: string,
  ) {
    this.remoteRoot = toDriverPath(remoteRoot);
    this.lib = flavour(localRoot);
  }

  /** The remote (driver) path of a local file inside the folder, or undefined for one outside it. */
  toRemote(localPath: string): string | undefined {
    const segments = relativeSegments(this.localRoot, localPath);
    if (segments === undefined) return undefined;
    return segments.length ? `${this.remoteRoot}/${segments.join('/')}` : this.remoteRoot;
  }

  /** The local path of a remote file under the remote root (with or without the /Workspace prefix). */
  toLocal(remotePath: string): string | undefined {
    let p: string;
    try {
      p = toDriverPath(remotePath);
    } catch {
      return undefined;
    }
    let rest: string[];
    if (p === this.remoteRoot || p.startsWith(`${this.remoteRoot}/`)) {
      rest = p
        .slice(this.remoteRoot.length)
        .split('/')
        .filter((s) => s !== '');
    } else {
      // A driver may mount the workspace under another prefix (a job run's copy, a local
      // stand-in's data folder): accept any path that contains the root's workspace form.
      const api = `${toWorkspaceApiPath(this.remoteRoot)}/`;
      const at = p.indexOf(api);
      if (at <= 0 || api === '/') return undefined;
      rest = p
        .slice(at + api.length)
        .split('/')
        .filter((s) => s !== '');
    }
    return rest.length ? this.lib.join(this.localRoot, ...rest) : this.lib.normalize(this.localRoot);
  }

  /** The remote path relative to the root ('pkg/mod.py'), for messages. */
  relative(localPath: string): string | undefined {
    const segments = relativeSegments(this.localRoot, localPath);
    return segments?.join('/');
  }
}

/** A file: URI string for a local path of either flavour, as vscode.Uri.file(...).toString() gives. */
export function localFileUri(fsPath: string): string {
  const enc = (segs: string[]) => segs.map((s) => encodeURIComponent(s)).join('/');
  if (isWindowsPath(fsPath)) {
    const p = fsPath.replace(/\//g, '\\');
    const unc = /^\\\\([^\\]+)\\(.*)$/.exec(p);
    if (unc) return `file://${unc[1].toLowerCase()}/${enc(unc[2].split('\\').filter(Boolean))}`;
    const drive = /^([a-zA-Z]):\\?(.*)$/.exec(p);
    if (drive) return `file:///${drive[1].toLowerCase()}%3A/${enc(drive[2].split('\\').filter(Boolean))}`;
  }
  return `file://${enc(fsPath.split('/')).replace(/^(?!\/)/, '/')}`;
}
