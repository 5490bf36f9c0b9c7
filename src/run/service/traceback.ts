// Traceback frames of a run linked to the user's local files. Parsing the traceback itself is
// src/core/traceback.ts (re-exported here for the run area's callers).
import { TracebackFrame } from '../../results/model';
import { localFileUri, PathMapper } from './paths';

export { stripAnsi } from '../../core/ansi';
export { htmlToText, parseTraceback, summaryLine } from '../../core/traceback';

/** Adds localUri to every frame whose remote file lies under the project's remote root. */
export function mapFrames(frames: TracebackFrame[], mapper: PathMapper | undefined): TracebackFrame[] {
  if (!mapper) return frames;
  return frames.map((f) => {
    const local = mapper.toLocal(f.file);
    return local ? { ...f, localUri: localFileUri(local) } : f;
  });
}

/** The innermost frame in the user's own files (where an editor should point). */
export function userFrame(frames: TracebackFrame[]): TracebackFrame | undefined {
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i].localUri) return frames[i];
  return undefined;
}
