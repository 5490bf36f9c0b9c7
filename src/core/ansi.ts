// Terminal escapes in text from a cluster (tracebacks, printed output, job logs): the one pattern
// for them. CSI sequences (colours, cursor moves) and OSC sequences (titles, hyperlinks).
// The result viewer turns the colour ones into styled segments (src/results/ansi.ts); everything
// else only needs them gone.

// eslint-disable-next-line no-control-regex
export const ANSI_ESCAPE = /\u001b\[([0-9;?]*)([A-Za-z])|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_ESCAPE, '');
}
