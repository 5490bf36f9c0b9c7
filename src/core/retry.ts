// Retry with backoff, shared by every client. The decision (retry or not, and after how long the
// server asked us to wait) is the caller's; the schedule, the jitter, the overall cap and the
// cancellation are here.
import { CancelledError } from './errors';

export interface RetryDecision {
  retry: boolean;
  /** The delay the server asked for (Retry-After), in milliseconds. */
  afterMs?: number;
}

export interface RetryOptions {
  /** Decides from a failure whether to try again. */
  shouldRetry: (err: unknown, attempt: number) => RetryDecision;
  /** Most attempts in all (the first try included). */
  maxAttempts?: number;
  /** Delay before the second attempt; grows linearly with each further attempt. */
  baseDelayMs?: number;
  /** Cap for one delay. */
  maxDelayMs?: number;
  /** Upper bound of the random jitter added to each delay. */
  jitterMs?: number;
  /** Give up once this much time has passed since the first attempt. */
  totalTimeoutMs?: number;
  signal?: AbortSignal;
  /** Called before each wait, for logging. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The delay before attempt `attempt + 1`: the server's wish if any, else linear backoff; plus jitter. */
export function backoffDelay(attempt: number, decision: RetryDecision, opts: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'jitterMs' | 'random'>): number {
  const base = opts.baseDelayMs ?? 1000;
  const cap = opts.maxDelayMs ?? 10_000;
  const jitter = (opts.random ?? Math.random)() * (opts.jitterMs ?? 500);
  const planned = decision.afterMs !== undefined ? decision.afterMs : Math.min(cap, base * attempt);
  return Math.round(planned + jitter);
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const maxAttempts = opts.maxAttempts ?? 6;
  const now = opts.now ?? Date.now;
  const wait = opts.sleep ?? sleep;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    if (opts.signal?.aborted) throw new CancelledError();
    try {
      return await fn(attempt);
    } catch (err) {
      if (opts.signal?.aborted) throw new CancelledError();
      const decision = opts.shouldRetry(err, attempt);
      if (!decision.retry || attempt >= maxAttempts) throw err;
      const delay = backoffDelay(attempt, decision, opts);
      if (opts.totalTimeoutMs !== undefined && now() - started + delay > opts.totalTimeoutMs) throw err;
      opts.onRetry?.(err, attempt, delay);
      await wait(delay, opts.signal);
    }
  }
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | undefined | null, now = Date.now()): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  if (!Number.isNaN(date)) return Math.max(0, date - now);
  return undefined;
}
