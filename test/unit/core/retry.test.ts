import assert from 'node:assert/strict';
import { backoffDelay, parseRetryAfter, withRetry } from '../../../src/core/retry';
import { isCancellation } from '../../../src/core/errors';

describe('withRetry', () => {
  const noSleep = async () => undefined;
  it('retries until success and reports each wait', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw new Error('busy');
        return 'ok';
      },
      { shouldRetry: () => ({ retry: true }), sleep: noSleep, random: () => 0, onRetry: (_e, _a, d) => waits.push(d) },
    );
    assert.equal(result, 'ok');
    assert.equal(calls, 3);
    assert.deepEqual(waits, [1000, 2000]);
  });
  it('honours the delay the server asked for', async () => {
    const waits: number[] = [];
    let calls = 0;
    await withRetry(
      async () => {
        if (++calls === 1) throw new Error('429');
        return 1;
      },
      { shouldRetry: () => ({ retry: true, afterMs: 3000 }), sleep: async (ms) => void waits.push(ms), random: () => 0 },
    );
    assert.deepEqual(waits, [3000]);
  });
  it('does not retry what the caller says is final', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new Error('400');
        },
        { shouldRetry: () => ({ retry: false }), sleep: noSleep },
      ),
      /400/,
    );
    assert.equal(calls, 1);
  });
  it('gives up after maxAttempts and after the overall cap', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new Error('x');
        },
        { shouldRetry: () => ({ retry: true }), sleep: noSleep, maxAttempts: 4 },
      ),
    );
    assert.equal(calls, 4);
    let t = 0;
    calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new Error('x');
        },
        { shouldRetry: () => ({ retry: true }), sleep: async (ms) => void (t += ms), now: () => t, random: () => 0, maxAttempts: 100, totalTimeoutMs: 5000 },
      ),
    );
    assert.equal(calls, 3, 'waits of 1 s and 2 s fit in 5 s; a third of 3 s does not');
  });
  it('stops at once when cancelled while waiting', async () => {
    const ctrl = new AbortController();
    const p = withRetry(
      async () => {
        throw new Error('x');
      },
      { shouldRetry: () => ({ retry: true, afterMs: 60_000 }), signal: ctrl.signal },
    );
    setTimeout(() => ctrl.abort(), 20);
    await assert.rejects(p, (e) => isCancellation(e));
  });
  it('caps linear backoff and adds bounded jitter', () => {
    assert.equal(backoffDelay(50, { retry: true }, { random: () => 0 }), 10_000);
    const d = backoffDelay(1, { retry: true }, { random: () => 0.999, jitterMs: 500 });
    assert.ok(d >= 1000 && d <= 1500);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('2'), 2000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4000), 6000);
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});
