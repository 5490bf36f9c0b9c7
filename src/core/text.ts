// Small wording helpers for messages users read.

/** "1 file", "2 files", "1,000 objects": a count with its noun, in English. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;
}
