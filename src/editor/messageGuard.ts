// Toasts and quick picks with every text redacted (src/core/redact.ts) before the editor shows
// it: the one way Ferry shows a message (an ESLint rule forbids calling vscode.window's show*
// functions anywhere else). Built over an injected window so that plain Node tests can check it;
// src/editor/messages.ts binds it to the real one.
import type * as vscode from 'vscode';
import { redact } from '../core/redact';

export type MessageWindow = Pick<typeof vscode.window, 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage' | 'showQuickPick'>;

type Show = (message: string, ...rest: unknown[]) => Thenable<unknown>;

/** Button labels are Ferry's own and are compared with the answer, so they are left as they are. */
function redactRest(rest: unknown[]): unknown[] {
  return rest.map((r) =>
    r && typeof r === 'object' && 'detail' in r && typeof (r as vscode.MessageOptions).detail === 'string'
      ? { ...r, detail: redact((r as vscode.MessageOptions).detail as string) }
      : r,
  );
}

function redactItem<T extends vscode.QuickPickItem | string>(item: T): T {
  if (typeof item === 'string') return redact(item) as T;
  const it = item as vscode.QuickPickItem;
  const shown: vscode.QuickPickItem = { ...it, label: redact(it.label) };
  if (it.description !== undefined) shown.description = redact(it.description);
  if (it.detail !== undefined) shown.detail = redact(it.detail);
  return shown as T;
}

export interface Messages {
  info<T extends string>(message: string, ...rest: Array<T | vscode.MessageOptions>): Thenable<T | undefined>;
  warn<T extends string>(message: string, ...rest: Array<T | vscode.MessageOptions>): Thenable<T | undefined>;
  error<T extends string>(message: string, ...rest: Array<T | vscode.MessageOptions>): Thenable<T | undefined>;
  /** showQuickPick with the labels, descriptions, details and prompts redacted; answers with the caller's own item. */
  pick<T extends vscode.QuickPickItem | string>(
    items: readonly T[] | Thenable<readonly T[]>,
    options?: vscode.QuickPickOptions,
    token?: vscode.CancellationToken,
  ): Promise<T | undefined>;
}

export function createMessages(win: MessageWindow): Messages {
  const show =
    (fn: Show) =>
    <T extends string>(message: string, ...rest: Array<T | vscode.MessageOptions>): Thenable<T | undefined> =>
      fn(redact(message), ...redactRest(rest)) as Thenable<T | undefined>;
  return {
    info: show(win.showInformationMessage as Show),
    warn: show(win.showWarningMessage as Show),
    error: show(win.showErrorMessage as Show),
    async pick<T extends vscode.QuickPickItem | string>(
      items: readonly T[] | Thenable<readonly T[]>,
      options?: vscode.QuickPickOptions,
      token?: vscode.CancellationToken,
    ): Promise<T | undefined> {
      const originals = await items;
      const shown = originals.map(redactItem);
      const opts = options && { ...options, title: options.title && redact(options.title), placeHolder: options.placeHolder && redact(options.placeHolder) };
      const picked = await (win.showQuickPick as (i: readonly T[], o?: vscode.QuickPickOptions, t?: vscode.CancellationToken) => Thenable<T | undefined>)(
        shown,
        opts,
        token,
      );
      const index = picked === undefined ? -1 : shown.indexOf(picked);
      return index >= 0 ? originals[index] : undefined;
    },
  };
}
