// Pure helpers for S3 keys, URIs and the local paths they map to. Keys are always '/' separated,
// whatever the local OS.
import path from 'node:path';

export interface S3Location {
  bucket: string;
  key: string;
}

/** Parses `s3://bucket/key` (or `bucket/key`); the key keeps a trailing '/'. */
export function parseS3Uri(text: string): S3Location | undefined {
  const trimmed = text.trim().replace(/^s3:\/\//i, '');
  if (!trimmed) return undefined;
  const slash = trimmed.indexOf('/');
  const bucket = slash < 0 ? trimmed : trimmed.slice(0, slash);
  if (!/^[a-z0-9][a-z0-9.\-_]{1,254}$/i.test(bucket)) return undefined;
  return { bucket, key: slash < 0 ? '' : trimmed.slice(slash + 1) };
}

export function formatS3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** The last segment of a key or prefix ("a/b/" → "b/", "a/b.csv" → "b.csv"). */
export function keyLabel(key: string, parentPrefix: string): string {
  const rest = key.startsWith(parentPrefix) ? key.slice(parentPrefix.length) : key;
  return rest === '' ? '/' : rest;
}

export function joinKey(prefix: string, name: string): string {
  if (!prefix) return name;
  return prefix.endsWith('/') ? prefix + name : `${prefix}/${name}`;
}

/** A local relative path (any OS, e.g. `sub\\dir\\a.csv` from Windows) as a key suffix. */
export function localRelativeToKey(relative: string): string {
  return relative
    .split(/[\\/]+/)
    .filter((s) => s && s !== '.')
    .join('/');
}

export type SafeLocalPath = { ok: true; path: string } | { ok: false; reason: string };

// Characters HFS+ ignores when it compares names (so ".g\u200cit" is ".git" on a Mac), as git does.
const IGNORABLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\ufeff]/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])$/i;

/**
 * Why a download must not write below this folder name: a repository's `.git` (a planted
 * `config` or hook runs commands) or the editor's `.vscode` (tasks and settings run commands). A
 * name folds as the file systems fold it: case, trailing dots and spaces (Windows drops them),
 * HFS+'s ignorable characters, an NTFS stream suffix, and Windows' short name GIT~1.
 */
function protectedFolder(segment: string): string | undefined {
  const folded = segment
    .replace(IGNORABLE, '')
    .split(':')[0]
    .replace(/[. ]+$/, '')
    .toLowerCase();
  if (folded === '.git' || /^git~\d+$/.test(folded)) return "inside a .git folder (a repository's configuration and hooks)";
  if (folded === '.vscode') return 'inside a .vscode folder (editor tasks and settings)';
  return undefined;
}

/** Why Windows cannot hold this name as written, or undefined when it can. */
function windowsNameProblem(segment: string): string | undefined {
  if (segment.includes(':')) return `names an alternate data stream (":" in "${segment}")`;
  if (/[<>"|?*]/.test(segment) || [...segment].some((c) => c.charCodeAt(0) < 32)) return `contains a character Windows does not allow in names ("${segment}")`;
  if (WINDOWS_DEVICE.test(segment.replace(/\..*$/, '').replace(/ +$/, ''))) return `"${segment}" is a reserved device name on Windows`;
  if (/[. ]$/.test(segment)) return `"${segment}" ends with a dot or a space, which Windows drops`;
  return undefined;
}

/**
 * Where `key` (below `prefix`) lands under `targetDir`, or why it must not: a key that would escape
 * the folder (`../`, absolute paths, drive letters, UNC), or land in a `.git` or `.vscode` folder,
 * is refused; on Windows (a win32 `pathApi`) so are device names (`CON`, `nul.txt`), names ending in
 * a dot or a space, stream names (`a.txt:s`) and characters Windows forbids. Those Windows rules
 * apply only to Windows targets: elsewhere such names are ordinary files, and S3 keys often hold a
 * colon (`2026-12-01T10:00:00.json`). `pathApi` lets tests check Windows rules on Linux.
 */
export function safeLocalPath(targetDir: string, prefix: string, key: string, pathApi: typeof path = path): SafeLocalPath {
  const rel = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  if (!rel || rel.endsWith('/')) return { ok: false, reason: 'folder marker' };
  if (rel.includes('\0')) return { ok: false, reason: 'contains a NUL character' };
  const segments = rel.split('/');
  if (rel.startsWith('/') || /^[a-zA-Z]:/.test(rel) || rel.startsWith('\\')) return { ok: false, reason: 'absolute path' };
  for (const s of segments) {
    if (s === '..' || (/[\\]/.test(s) && pathApi.sep === '\\')) return { ok: false, reason: `unsafe segment "${s}"` };
    if (/^[a-zA-Z]:/.test(s)) return { ok: false, reason: 'drive letter' };
  }
  const clean = segments.filter((s) => s !== '' && s !== '.');
  if (!clean.length) return { ok: false, reason: 'empty name' };
  const windows = pathApi.sep === '\\';
  for (const s of clean) {
    const problem = protectedFolder(s) ?? (windows ? windowsNameProblem(s) : undefined);
    if (problem) return { ok: false, reason: problem };
  }
  const target = pathApi.resolve(targetDir, ...clean);
  const root = pathApi.resolve(targetDir);
  const relToRoot = pathApi.relative(root, target);
  if (!relToRoot || relToRoot.startsWith('..') || pathApi.isAbsolute(relToRoot)) return { ok: false, reason: 'escapes the target folder' };
  return { ok: true, path: target };
}

export { formatBytes } from '../../core/text';

export type PreviewFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

/** Which table reader fits a key (compressed variants are not previewed as tables). */
export function previewFormat(key: string): PreviewFormat | undefined {
  const k = key.toLowerCase();
  if (k.endsWith('.csv')) return 'csv';
  if (k.endsWith('.tsv') || k.endsWith('.tab')) return 'tsv';
  if (k.endsWith('.jsonl') || k.endsWith('.ndjson')) return 'jsonl';
  if (k.endsWith('.parquet') || k.endsWith('.parq')) return 'parquet';
  return undefined;
}
