// Turns text with ANSI SGR escapes into segments with CSS classes; the webview renders each
// segment as a span with textContent, so escapes never reach the DOM as markup.
import type { TextSegment } from './protocol';

const NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
import { ANSI_ESCAPE } from '../core/ansi';

// CSI sequences (colours, cursor moves) and OSC sequences (titles, hyperlinks): the one pattern.
const ESCAPE = new RegExp(ANSI_ESCAPE.source, 'g');

interface Style {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
}

function classesOf(style: Style): string[] {
  const out: string[] = [];
  if (style.fg) out.push(`fg-${style.fg}`);
  if (style.bg) out.push(`bg-${style.bg}`);
  if (style.bold) out.push('bold');
  if (style.dim) out.push('dim');
  if (style.italic) out.push('italic');
  if (style.underline) out.push('underline');
  return out;
}

function applySgr(style: Style, params: string): Style {
  const codes = params === '' ? [0] : params.split(';').map((p) => Number(p) || 0);
  let next: Style = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code === 0) next = {};
    else if (code === 1) next.bold = true;
    else if (code === 2) next.dim = true;
    else if (code === 3) next.italic = true;
    else if (code === 4) next.underline = true;
    else if (code === 22) next.bold = next.dim = false;
    else if (code === 23) next.italic = false;
    else if (code === 24) next.underline = false;
    else if (code >= 30 && code <= 37) next.fg = NAMES[code - 30];
    else if (code >= 90 && code <= 97) next.fg = `bright-${NAMES[code - 90]}`;
    else if (code === 39) next.fg = undefined;
    else if (code >= 40 && code <= 47) next.bg = NAMES[code - 40];
    else if (code >= 100 && code <= 107) next.bg = `bright-${NAMES[code - 100]}`;
    else if (code === 49) next.bg = undefined;
    else if (code === 38 || code === 48) {
      // 256-colour and true-colour: map to the nearest of the 8 theme colours we style.
      const mode = codes[i + 1];
      const target = code === 38 ? 'fg' : 'bg';
      if (mode === 5) {
        const n = codes[i + 2] ?? 0;
        next[target] = n < 8 ? NAMES[n] : n < 16 ? `bright-${NAMES[n - 8]}` : undefined;
        i += 2;
      } else if (mode === 2) {
        const [r, g, b] = [codes[i + 2] ?? 0, codes[i + 3] ?? 0, codes[i + 4] ?? 0];
        next[target] = NAMES[(r > 127 ? 1 : 0) + (g > 127 ? 2 : 0) + (b > 127 ? 4 : 0)];
        i += 4;
      }
    }
  }
  return next;
}

export function ansiToSegments(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let style: Style = {};
  let last = 0;
  const push = (s: string) => {
    if (!s) return;
    const classes = classesOf(style);
    const prev = segments[segments.length - 1];
    if (prev && prev.classes.join(' ') === classes.join(' ')) prev.text += s;
    else segments.push({ text: s, classes });
  };
  for (const m of text.matchAll(ESCAPE)) {
    push(text.slice(last, m.index));
    last = (m.index ?? 0) + m[0].length;
    if (m[2] === 'm') style = applySgr(style, m[1] ?? '');
  }
  push(text.slice(last));
  return segments;
}
