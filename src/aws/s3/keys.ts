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
  return relative.split(/[\\/]+/).filter((s) => s && s !== '.').join('/');
}

export type SafeLocalPath = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Where `key` (below `prefix`) lands under `targetDir`, or why it must not: a key that would escape
 * the folder (`../`, absolute paths, drive letters, UNC) is refused. `pathApi` lets tests check
 * Windows rules on Linux.
 */
export function safeLocalPath(targetDir: string, prefix: string, key: string, pathApi: typeof path = path): SafeLocalPath {
  const rel = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  if (!rel || rel.endsWith('/')) return { ok: false, reason: 'folder marker' };
  if (rel.includes('\0')) return { ok: false, reason: 'contains a NUL character' };
  const segments = rel.split('/');
  if (rel.startsWith('/') || /^[a-zA-Z]:/.test(rel) || rel.startsWith('\\')) return { ok: false, reason: 'absolute path' };
  for (const s of segments) {
    if (s === '..' || /[\\]/.test(s) && pathApi.sep === '\\') return { ok: false, reason: `unsafe segment "${s}"` };
    if (/^[a-zA-Z]:/.test(s)) return { ok: false, reason: 'drive letter' };
  }
  const clean = segments.filter((s) => s !== '' && s !== '.');
  if (!clean.length) return { ok: false, reason: 'empty name' };
  const target = pathApi.resolve(targetDir, ...clean);
  const root = pathApi.resolve(targetDir);
  const relToRoot = pathApi.relative(root, target);
  if (!relToRoot || relToRoot.startsWith('..') || pathApi.isAbsolute(relToRoot)) return { ok: false, reason: 'escapes the target folder' };
  return { ok: true, path: target };
}

export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

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
