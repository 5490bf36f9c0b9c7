// Which traceback frames the host will open: only file: URIs that the result itself provided in
// its frames, and that lie inside a workspace folder and exist. The webview only names a frame by
// its index; it never hands the host a path to open.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function isInside(folder: string, file: string, p: typeof path = path): boolean {
  const rel = p.relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !p.isAbsolute(rel);
}

/** The local path a frame may open, or a reason it may not. */
export function frameTarget(localUri: string | undefined, workspaceFolders: string[]): { file: string } | { reason: string } {
  if (!localUri) return { reason: 'This frame does not map to a local file.' };
  let file: string;
  try {
    const url = new URL(localUri);
    if (url.protocol !== 'file:') return { reason: `Only local files are opened (not ${url.protocol}).` };
    file = path.resolve(fileURLToPath(url));
  } catch {
    return { reason: 'The frame names no valid file URI.' };
  }
  if (!workspaceFolders.some((f) => isInside(path.resolve(f), file))) return { reason: 'The file is outside the workspace.' };
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return { reason: 'The file does not exist.' };
  return { file };
}
