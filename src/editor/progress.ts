// Long work with a notification that has Cancel: the one way Ferry shows it. Cancel aborts the
// AbortSignal the work was given (src/core/cancellation.ts), and nothing is left listening after.
import * as vscode from 'vscode';
import { CancellableOptions, runCancellable } from '../core/cancellation';

export type ProgressReporter = vscode.Progress<{ message?: string; increment?: number }>;

export interface CancellableProgressOptions extends CancellableOptions {
  title: string;
  /** Where the progress shows; a notification unless said otherwise. */
  location?: vscode.ProgressLocation;
}

export function withCancellableProgress<T>(
  opts: CancellableProgressOptions,
  work: (signal: AbortSignal, progress: ProgressReporter) => PromiseLike<T> | T,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: opts.location ?? vscode.ProgressLocation.Notification, title: opts.title, cancellable: true },
    (progress, token) => runCancellable(token, (signal) => work(signal, progress), opts),
  );
}
