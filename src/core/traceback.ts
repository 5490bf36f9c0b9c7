// Python tracebacks as a cluster prints them, for every place that shows one (a run's error, a
// job run's error_trace): the plain CPython form (`File "/x.py", line 3, in f`) and the IPython
// form Databricks uses (`File /x.py:3, in f(...)`), with or without ANSI colour escapes. Mapping
// the frames to local files is the run area's (src/run/service/traceback.ts).
import type { TracebackFrame } from '../results/model';
import { stripAnsi } from './ansi';

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

/** `ValueError: bad shape` from the last line of a traceback. */
export function summaryLine(text: string): string {
  const lines = stripAnsi(text)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines[lines.length - 1] ?? 'Error';
}

/** HTML as plain text: a 1.2 error result's summary, a gateway's error page (tags dropped, entities decoded). */
export function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}
