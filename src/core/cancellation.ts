// The one bridge from the editor's CancellationToken to the AbortSignal every service takes. The
// listener is always disposed when the work ends (ten hand-written bridges before this one mostly
// never were), a token cancelled before the work starts aborts at once, and an outer signal (a
// result viewer's Cancel, a caller's own signal) can abort the same work.

/** What Ferry needs of a vscode.CancellationToken; structural, so this module needs no editor API. */
export interface CancellationLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => unknown): { dispose(): unknown };
}

export interface CancellableOptions {
  /** The controller to abort (when a caller also aborts it from elsewhere); a fresh one otherwise. */
  controller?: AbortController;
  /** Another signal that aborts the same work. */
  linked?: AbortSignal;
}

/** Runs `work` with a signal that aborts when `token` is cancelled or `linked` aborts; cleans up after. */
export async function runCancellable<T>(
  token: CancellationLike | undefined,
  work: (signal: AbortSignal) => PromiseLike<T> | T,
  opts: CancellableOptions = {},
): Promise<T> {
  const controller = opts.controller ?? new AbortController();
  const abort = (): void => controller.abort();
  const sub = token?.onCancellationRequested(abort);
  if (token?.isCancellationRequested) abort();
  const linked = opts.linked;
  if (linked?.aborted) abort();
  else linked?.addEventListener('abort', abort, { once: true });
  try {
    return await work(controller.signal);
  } finally {
    sub?.dispose();
    linked?.removeEventListener('abort', abort);
  }
}
