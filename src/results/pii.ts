// The result viewer's use of the PII guard (src/core/pii): how many rows a table is sampled on
// before it is shown, and text masking with a small cache (a streamed output is re-sent up to four
// times a second; its earlier state is usually one of the last few asked for).
import { maskText } from '../core/pii/mask';
import type { PiiSpan } from '../core/pii/scan';

/** Rows of a held table the guard reads before the first view (the rest as windows are served). */
export const PII_SAMPLE_ROWS = 1_000;

const CACHE_SIZE = 16;
const cache = new Map<string, { text: string; spans: PiiSpan[] }>();

/** The text with its personal data masked, and the spans found. */
export function guardedText(text: string): { text: string; spans: PiiSpan[] } {
  const hit = cache.get(text);
  if (hit) return hit;
  const found = maskText(text);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(text, found);
  return found;
}
