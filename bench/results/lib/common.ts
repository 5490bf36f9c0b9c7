// Small helpers the result-viewer benchmarks share.
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
export const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN).toFixed(2);

/** The longest the event loop went without running a 1 ms timer, while `work` ran. */
export async function longestStall<T>(work: () => Promise<T> | T): Promise<{ value: T; stallMs: number; elapsedMs: number }> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  // Let the timer start ticking before the work begins.
  await new Promise((r) => setTimeout(r, 20));
  last = performance.now();
  worst = 0;
  const started = performance.now();
  const value = await work();
  const elapsedMs = performance.now() - started;
  // One more turn so a stall that ends with the work is seen.
  await new Promise((r) => setTimeout(r, 5));
  clearInterval(timer);
  worst = Math.max(worst, performance.now() - last);
  return { value, stallMs: worst, elapsedMs };
}
