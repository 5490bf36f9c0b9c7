// Seeds for the kernel's seeded faults that make a test deterministic: which requests meet a fault
// is fixed by the seed (three draws per request; the second picks the kind), so a test can ask for
// "the first request only" without a fault switch of its own.
import { prng } from '../../../sandbox/kernel/faults';

/** A seed whose first request meets the fault at this rate and whose next `clean` requests do not. */
export function seedHittingOnlyTheFirst(rate: number, clean = 1): number {
  for (let seed = 1; ; seed++) {
    const r = prng(seed);
    const kinds = Array.from({ length: clean + 1 }, () => [r(), r(), r()][1]);
    if (kinds[0] < rate && kinds.slice(1).every((k) => k >= rate)) return seed;
  }
}
