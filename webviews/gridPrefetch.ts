// Which row windows the grid wants, most wanted first: those in view, then the ones ahead of the
// scroll. Pure (no messages), so that the choice is unit-tested apart from the webview.

/** Rows per window the host sends. */
export const WINDOW = 256;
/** Jumps of a scrollbar drag prefetched ahead. */
export const JUMPS_AHEAD = 8;

/** Windows to have, most wanted first: those in view, then those around it (paging) or where a drag lands next. */
export function wantedWindows(first: number, count: number, rows: number, velocity: number): number[] {
  const out: number[] = [];
  const add = (row: number) => {
    const w = Math.floor(row / WINDOW);
    if (row >= 0 && row < rows && !out.includes(w)) out.push(w);
  };
  const last = first + Math.max(count, 1) - 1;
  for (let r = first; r <= last; r += WINDOW) add(r);
  add(last);
  // A drag of the thumb moves by about the same stride each frame: be where it lands next, and
  // only there. The screens around a position the drag passes through are never shown, and asking
  // for them too doubled the windows the host had to answer during a drag, so that the ones
  // wanted arrived late (results/editor: replies queued up to half a second).
  if (Math.abs(velocity) > count * 2) {
    for (let j = 1; j <= JUMPS_AHEAD; j++) {
      const at = Math.round(first + velocity * j);
      if (at < 0 || at >= rows) break;
      add(at);
      add(at + count - 1);
    }
    return out;
  }
  const ahead = velocity < 0 ? -1 : 1;
  // The next screens in the direction of travel, then the previous ones.
  add(ahead > 0 ? last + count : first - count);
  add(ahead > 0 ? last + WINDOW : first - WINDOW);
  add(ahead > 0 ? first - count : last + count);
  return out;
}
