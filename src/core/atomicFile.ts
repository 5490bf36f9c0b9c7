// Writes a file whole or not at all: the bytes go to a temporary file beside the target (same
// folder, so the rename never crosses file systems), which replaces the target only once every
// chunk is written and flushed. A failure or a cancel removes the temporary file and leaves the
// target as it was: no truncated export that looks complete.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

function abortError(): Error {
  return Object.assign(new Error('Cancelled'), { name: 'AbortError' });
}

/** The temporary file's name beside `target` (hidden, and named so a user who sees one knows whose it is). */
export function temporaryPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.ferry-tmp`);
}

/** Writes `chunks` to `target` atomically; returns the bytes written. */
export async function writeFileAtomically(
  target: string,
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  signal?: AbortSignal,
): Promise<number> {
  const temp = temporaryPathFor(target);
  const handle = await fs.promises.open(temp, 'wx');
  let open = true;
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      if (signal?.aborted) throw abortError();
      const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      await handle.writeFile(data);
      bytes += data.byteLength;
    }
    if (signal?.aborted) throw abortError();
    await handle.sync();
    await handle.close();
    open = false;
    await fs.promises.rename(temp, target);
    return bytes;
  } catch (err) {
    if (open) await handle.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true });
    throw err;
  }
}
