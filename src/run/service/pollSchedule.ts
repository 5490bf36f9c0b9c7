// The adaptive wait between status checks of a command or run: the first check comes almost at
// once (a trivial command finishes within one round trip), then the gaps grow geometrically to a
// cap, so a long run costs a request per second or two at most. Compare the official extension
// (1 s growing to 10 s: a 50 ms command waits at least a second) and Power Tools (300 ms, then 1 s).
import { sleep } from '../../core/retry';

export interface PollScheduleOptions {
  /** Delay before the first status check (default 10 ms). */
  firstMs?: number;
  /** Growth factor per check (default 2). */
  factor?: number;
  /** The longest delay (the `databricks.pollIntervalCapMs` setting; default 1000 ms). */
  capMs?: number;
}

export interface PollSchedule {
  /** The delay before check number `attempt` (0-based). */
  delay(attempt: number): number;
}

export function adaptiveSchedule(opts: PollScheduleOptions = {}): PollSchedule {
  const first = Math.max(0, opts.firstMs ?? 10);
  const factor = Math.max(1, opts.factor ?? 2);
  const cap = Math.max(first, opts.capMs ?? 1000);
  // Later checks grow from at least 50 ms, so a zero first delay still backs off: 100, 200, 400 …
  const base = Math.max(50, first);
  return { delay: (attempt) => (attempt === 0 ? first : Math.min(cap, base * factor ** attempt)) };
}

/** A fixed list of delays, the last one repeated (for simulating other tools' documented polling). */
export function fixedSchedule(delays: number[]): PollSchedule {
  return { delay: (attempt) => delays[Math.min(attempt, delays.length - 1)] };
}

/** The official Databricks extension: 1 s growing by 1 s per attempt up to 10 s (its SDK retry policy). */
export const officialExtensionSchedule: PollSchedule = { delay: (attempt) => Math.min(10_000, 1000 * (attempt + 1)) };

/** Databricks Power Tools: a first check after 300 ms, then every second. */
export const powerToolsSchedule: PollSchedule = fixedSchedule([300, 1000]);

/**
 * Calls `check` on the schedule until it returns a value (not undefined). Cancellation through the
 * signal rejects with CancelledError.
 */
export async function pollUntil<T>(
  check: (attempt: number) => Promise<T | undefined>,
  schedule: PollSchedule,
  signal?: AbortSignal,
  wait: (ms: number, signal?: AbortSignal) => Promise<void> = sleep,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const ms = schedule.delay(attempt);
    if (ms > 0) await wait(ms, signal);
    const result = await check(attempt);
    if (result !== undefined) return result;
  }
}
