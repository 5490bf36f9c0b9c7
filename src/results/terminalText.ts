// Printed text as a terminal shows it, for output that arrives in pieces while code runs: a
// carriage return starts the current line over (tqdm and other progress bars redraw one line),
// `\r\n` is a plain newline. A line whose last character is `\r` keeps it as a marker (the next
// text replaces the line); `visibleText()` drops the marker for display. Pure, no editor API.

/** The line as shown: what follows its last carriage return, keeping a trailing one as a marker. */
function collapseLine(line: string): string {
  if (!line.includes('\r')) return line;
  const trailing = line.endsWith('\r');
  const body = trailing ? line.slice(0, -1) : line;
  const visible = body.slice(body.lastIndexOf('\r') + 1);
  return trailing ? `${visible}\r` : visible;
}

/** Appends a chunk to text already shown. Costs the length of the last line plus the chunk. */
export function appendTerminalText(shown: string, chunk: string): string {
  if (!chunk) return shown;
  const cut = shown.lastIndexOf('\n') + 1;
  const tail = (shown.slice(cut) + chunk).replace(/\r\n/g, '\n');
  if (!tail.includes('\r')) return shown.slice(0, cut) + tail;
  return shown.slice(0, cut) + tail.split('\n').map(collapseLine).join('\n');
}

/** Text for display: without the end-of-line markers appendTerminalText keeps. */
export function visibleText(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?=\n|$)/g, '') : text;
}
