// Python tracebacks as the cluster prints them, turned into frames that link to local files.
// Handles the plain CPython form (`File "/x.py", line 3, in f`) and the IPython form Databricks
// uses in error causes (`File /x.py:3, in f(...)`), with or without ANSI colour escapes.
import { TracebackFrame } from '../../results/model';
import { localFileUri, PathMapper } from './paths';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

const CPYTHON = /^\s*File "([^"]+)", line (\d+)(?:, in (.+))?\s*$/;
const IPYTHON = /^\s*File (\/[^:]+):(\d+)(?:, in ([^\s(]+))?/;

export function parseTraceback(text: string): TracebackFrame[] {
  const frames: TracebackFrame[] = [];
  for (const raw of stripAnsi(text).split(/\r?\n/)) {
    const m = CPYTHON.exec(raw) ?? IPYTHON.exec(raw);
    if (!m) continue;
    frames.push({ file: m[1], line: Number(m[2]), function: m[3]?.trim() });
  }
  return frames;
}

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

/** `ValueError: bad shape` from the last line of a traceback. */
export function summaryLine(text: string): string {
  const lines = stripAnsi(text).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? 'Error';
}

/** The HTML summary of a 1.2 error result as plain text. */
export function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}
