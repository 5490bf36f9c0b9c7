// What the UI tests ask of the result viewer: a viewer showing a run of a given title with its
// grid painted, a grid filled with rows holding a given text, and one column's visible values.
import type { Frame } from 'playwright-core';
import { editor } from './setup';

// Browser globals used by the page functions below (they run in the webview, not in Node).
interface El {
  textContent: string | null;
  style: { display: string };
  dataset: Record<string, string | undefined>;
  querySelector(s: string): El | null;
}
declare const document: { querySelector(s: string): El | null; querySelectorAll(s: string): ArrayLike<El> };

/** The viewer showing a run whose title holds `titlePart`, once its grid has rows and no cell waits for data; a screenshot (named after `shotPrefix`) if it never does. */
export async function paintedViewer(titlePart: string, shotPrefix: string, timeoutMs = 90_000): Promise<Frame> {
  return editor()
    .webviewFrame(
      async (f) =>
        f.evaluate((t) => {
          const title = document.querySelector('#ferry-results .run-title, #ferry-results .run-select option:checked');
          return (
            !!title &&
            (title.textContent ?? '').includes(t) &&
            document.querySelectorAll('.grid-row.data').length > 0 &&
            document.querySelectorAll('.grid-cell.pending').length === 0
          );
        }, titlePart),
      timeoutMs,
    )
    .catch(async (err: Error) => {
      await editor().screenshot(`${shotPrefix}-failed-${titlePart.replace(/\W+/g, '-').slice(0, 30)}`);
      throw err;
    });
}

/** Waits (up to `timeoutMs`) for at least `minRows` painted rows, no pending cell and `text` in the viewer; the caller's assertions say what is missing if it never comes. */
export async function waitForGridText(frame: Frame, minRows: number, text: string, timeoutMs = 30_000): Promise<void> {
  await frame
    .waitForFunction(
      ([n, t]) =>
        document.querySelectorAll('.grid-row.data').length >= (n as number) &&
        document.querySelectorAll('.grid-cell.pending').length === 0 &&
        (document.querySelector('#ferry-results')?.textContent ?? '').includes(t as string),
      [minRows, text] as const,
      { timeout: timeoutMs },
    )
    .catch(() => undefined);
}

/** The visible values of column `col`, in row order. */
export async function columnValues(frame: Frame, col: number): Promise<string[]> {
  return frame.evaluate((c) => {
    const rows = Array.from(document.querySelectorAll('.grid-row.data')).filter((r) => r.style.display !== 'none');
    rows.sort((a, b) => Number(a.dataset.row) - Number(b.dataset.row));
    return rows.map((r) => r.querySelector(`.grid-cell[data-col="${c}"]`)?.textContent ?? '?');
  }, col);
}
