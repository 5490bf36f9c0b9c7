// The little of the Workspace API that the jobs explorer needs: who am I (for the default remote
// folder), mkdirs and import a file. Remote paths are always '/'-separated, whatever the local OS.
import { DatabricksTransport } from './transport';

export interface CurrentUser {
  userName: string;
  displayName?: string;
}

export async function currentUser(transport: DatabricksTransport, signal?: AbortSignal): Promise<CurrentUser> {
  return transport.request<CurrentUser>('GET', '/api/2.0/preview/scim/v2/Me', { signal });
}

/** Joins remote path segments with '/', dropping empty segments and duplicate slashes. */
export function remoteJoin(...parts: string[]): string {
  const joined = parts.map((p) => p.replace(/\\/g, '/')).join('/');
  return `/${joined.split('/').filter(Boolean).join('/')}`;
}

/** The parent folder of a remote path. */
export function remoteDirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** Uploads a file to the workspace as a workspace FILE (format AUTO keeps the .py a file, not a notebook). */
export async function importFile(transport: DatabricksTransport, remotePath: string, content: Uint8Array, signal?: AbortSignal): Promise<void> {
  await transport.request('POST', '/api/2.0/workspace/mkdirs', { body: { path: remoteDirname(remotePath) }, signal });
  await transport.request('POST', '/api/2.0/workspace/import', {
    body: { path: remotePath, content: Buffer.from(content).toString('base64'), format: 'AUTO', overwrite: true },
    signal,
  });
}

/**
 * Where a local file goes in the workspace: `<remoteRoot>/<relative path>`, with the default root
 * `/Workspace/Users/<user>/ferry/<workspace folder name>`. `relativePath` may use '\' (Windows).
 */
export function remotePathFor(opts: { remoteRoot?: string; userName: string; folderName?: string; relativePath: string }): string {
  const root = opts.remoteRoot?.trim() || remoteJoin('Workspace', 'Users', opts.userName, 'ferry', opts.folderName ?? 'files');
  return remoteJoin(root, opts.relativePath);
}
