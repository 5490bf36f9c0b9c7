// Small wording helpers for messages users read.

/** "1 file", "2 files", "1,000 objects": a count with its noun, in English. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;
}

/**
 * A size in bytes as people read it: "512 B", "1.5 KB", "50 MB". `precise` keeps three significant
 * digits ("1.50 KB", for data scanned, which is billed); the default is compact, for listings.
 */
export function formatBytes(n: number | undefined, style: 'compact' | 'precise' = 'compact'): string {
  if (n === undefined) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB', 'PB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  if (style === 'precise') return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[i]}`;
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
