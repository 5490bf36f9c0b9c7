// The one-line summary and the small hover preview of a run's outputs, shown at the end of the
// last line of a cell or selection. Pure functions (no editor API) so they are unit-tested.
import { stripAnsi } from '../core/ansi';
import { maskText } from '../core/pii/mask';
import { PiiTableGuard } from '../core/pii/tableGuard';
import { ResultOutput } from '../results/model';

/** With the PII guard on, personal data in the summary and the hover is masked (the viewer reveals it). */
const shownText = (text: string, guard: boolean) => (guard ? maskText(text).text : text);

export interface InlineOutcome {
  state: 'succeeded' | 'failed' | 'cancelled';
  durationMs: number;
  outputs: ResultOutput[];
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

export function describeOutput(o: ResultOutput, guard = false): string {
  switch (o.kind) {
    case 'table': {
      const rows = Array.isArray(o.rows) ? o.rows.length : (o.rows.rowCount() ?? 0);
      const total = o.truncationNote ? /of ([\d,]+)/.exec(o.truncationNote)?.[1] : undefined;
      return `DataFrame ${total ?? rows.toLocaleString('en-US')} × ${o.columns.length}`;
    }
    case 'image':
      return 'image';
    case 'error':
      return clip(shownText(o.summary, guard), 60);
    case 'text': {
      const lines = stripAnsi(o.text)
        .split('\n')
        .filter((l) => l.trim());
      return clip(shownText(lines[lines.length - 1] ?? '', guard), 50);
    }
  }
}

export function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** "✓ 0.8 s · DataFrame 1,000 × 5", "✗ ValueError: …", "■ cancelled after 3.1 s". */
export function inlineSummary(r: InlineOutcome, guard = false): string {
  const time = formatSeconds(r.durationMs);
  if (r.state === 'cancelled') return `■ cancelled after ${time}`;
  if (r.state === 'failed') {
    const err = r.outputs.find((o) => o.kind === 'error');
    return `✗ ${err ? describeOutput(err, guard) : 'failed'}`;
  }
  const main = [...r.outputs].reverse().find((o) => o.kind === 'table') ?? r.outputs.find((o) => o.kind === 'image') ?? r.outputs[r.outputs.length - 1];
  const extra = r.outputs.length > 1 ? ` (+${r.outputs.length - 1})` : '';
  return main ? `✓ ${time} · ${describeOutput(main, guard)}${extra}` : `✓ ${time}`;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

/** A Markdown preview of the outputs for the hover (a few lines, a few rows, the image). */
export function hoverMarkdown(r: InlineOutcome, maxLines = 12, guard = false): string {
  const parts: string[] = [`**${escapeMd(inlineSummary(r, guard))}**`];
  for (const o of r.outputs.slice(0, 4)) {
    if (o.kind === 'text') {
      const lines = shownText(stripAnsi(o.text), guard).split('\n');
      parts.push(`\`\`\`text\n${lines.slice(0, maxLines).join('\n').replace(/```/g, "'''")}${lines.length > maxLines ? '\n…' : ''}\n\`\`\``);
    } else if (o.kind === 'error') {
      const lines = shownText(stripAnsi(o.traceback), guard)
        .split('\n')
        .filter((l) => l.trim());
      parts.push(`\`\`\`text\n${lines.slice(-maxLines).join('\n').replace(/```/g, "'''")}\n\`\`\``);
    } else if (o.kind === 'table' && Array.isArray(o.rows)) {
      const cols = o.columns.slice(0, 8);
      const cell = (v: unknown) => (v === null ? '∅' : escapeMd(clip(String(v), 24)));
      const head = `| ${cols.map((c) => escapeMd(c.name)).join(' | ')} |\n|${cols.map(() => ' --- ').join('|')}|`;
      const first = o.rows.slice(0, 5);
      const shown = guard ? new PiiTableGuard(o.columns).rows(first) : first;
      const rows = shown.map((r) => `| ${r.slice(0, 8).map(cell).join(' | ')} |`);
      parts.push([head, ...rows].join('\n'));
    } else if (o.kind === 'image' && o.base64.length < 400_000) {
      parts.push(`![output](data:image/png;base64,${o.base64})`);
    }
  }
  if (r.outputs.length > 4) parts.push(`_… ${r.outputs.length - 4} more in the result viewer_`);
  return parts.join('\n\n');
}

/** Removes the common leading indentation of a selection (so an indented block runs). */
export function dedent(code: string): string {
  const lines = code.replace(/\r\n/g, '\n').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
  const n = indents.length ? Math.min(...indents) : 0;
  return n ? lines.map((l) => l.slice(Math.min(n, /^[ \t]*/.exec(l)![0].length))).join('\n') : lines.join('\n');
}
