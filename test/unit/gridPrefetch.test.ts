// Which row windows the result grid asks the host for (webviews/gridPrefetch.ts): the windows in
// view first; while paging, the screens around the view; while the scrollbar thumb is dragged,
// where the next jumps of the same stride land, and nothing around the positions it passes.
import assert from 'node:assert/strict';
import { JUMPS_AHEAD, WINDOW, wantedWindows } from '../../webviews/gridPrefetch';

const ROWS = 1_000_000;
const SCREEN = 30;

describe('result grid: windows it asks for', () => {
  it('paging down: the windows in view, then the next screen and the previous one', () => {
    const want = wantedWindows(1000, SCREEN, ROWS, SCREEN);
    assert.equal(want[0], Math.floor(1000 / WINDOW));
    // Rows 1,000–1,029 sit in window 3; the next screen (to 1,059) is in window 4, a window further
    // on (1,285) in 5, and the previous screen (970) in window 3 again.
    assert.deepEqual(want, [3, 4, 5]);
    // Paging up from window 4: the previous screen and window (994, 768) are in window 3.
    assert.deepEqual(wantedWindows(1024, SCREEN, ROWS, -SCREEN), [4, 3]);
  });

  it('a thumb drag: the windows in view, then where the next jumps land, and not the screens around the view', () => {
    const stride = 20_000;
    const first = 100_000;
    const want = wantedWindows(first, SCREEN, ROWS, stride);
    const inView = Math.floor(first / WINDOW);
    assert.equal(want[0], inView);
    const jumps = Array.from({ length: JUMPS_AHEAD }, (_, j) => Math.floor((first + stride * (j + 1)) / WINDOW));
    assert.deepEqual(
      want.filter((w) => w !== inView),
      jumps,
      `asked for: ${want.join(', ')}`,
    );
    // The window after the view (what paging would want) is not asked for during a drag.
    assert.ok(!want.includes(inView + 1), `asked for: ${want.join(', ')}`);
  });

  it('a drag stops asking at the end of the result, and a view straddling two windows wants both', () => {
    const want = wantedWindows(ROWS - 50_000, SCREEN, ROWS, 20_000);
    assert.ok(want.every((w) => w * WINDOW < ROWS));
    // Rows 950,000–950,029 straddle windows 3710 and 3711; jumps land at 970,000 and 990,000, and the next is past the end.
    assert.deepEqual(want, [3710, 3711, 3789, 3867]);
    // Rows 250–279 straddle windows 0 and 1.
    assert.deepEqual(wantedWindows(250, SCREEN, ROWS, 0).slice(0, 2), [0, 1]);
  });
});
