import assert from 'node:assert/strict';
import { CancellationLike, runCancellable } from '../../../src/core/cancellation';

/** A token like the editor's: listeners, a flag, and a count of listeners still attached. */
class Token implements CancellationLike {
  isCancellationRequested = false;
  readonly listeners = new Set<() => unknown>();
  onCancellationRequested(listener: () => unknown): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  cancel(): void {
    this.isCancellationRequested = true;
    for (const l of [...this.listeners]) l();
  }
}

describe('runCancellable: the one CancellationToken → AbortSignal bridge', () => {
  it('aborts the signal when the token is cancelled, and leaves no listener after the work ends', async () => {
    const token = new Token();
    let seen: AbortSignal | undefined;
    const done = runCancellable(token, (signal) => {
      seen = signal;
      return new Promise<string>((resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    });
    assert.equal(token.listeners.size, 1);
    token.cancel();
    await assert.rejects(done, /aborted/);
    assert.equal(seen?.aborted, true);
    assert.equal(token.listeners.size, 0, 'the listener was disposed');
  });

  it('disposes the listener when the work succeeds or throws', async () => {
    const token = new Token();
    assert.equal(await runCancellable(token, () => 42), 42);
    await assert.rejects(
      runCancellable(token, () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(token.listeners.size, 0);
  });

  it('starts aborted when the token was cancelled before the work started', async () => {
    const token = new Token();
    token.cancel();
    assert.equal(await runCancellable(token, (signal) => signal.aborted), true);
  });

  it("aborts the caller's controller on a linked signal, and drops its listener after", async () => {
    const outer = new AbortController();
    const controller = new AbortController();
    let aborts = 0;
    const work = runCancellable(
      new Token(),
      (signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            aborts++;
            resolve();
          }),
        ),
      { controller, linked: outer.signal },
    );
    outer.abort();
    await work;
    assert.equal(controller.signal.aborted, true);
    assert.equal(aborts, 1);
    // Aborting the outer signal again after the work reaches nothing (the listener is gone).
    const later = new AbortController();
    await runCancellable(undefined, () => undefined, { linked: later.signal });
    assert.equal(later.signal.aborted, false);
  });
});
