// The editor's toasts and quick picks, redacted: use `ui.info/warn/error/pick` instead of
// vscode.window.show*Message / showQuickPick (ESLint holds the line).
import * as vscode from 'vscode';
import { createMessages } from './messageGuard';

export const ui = createMessages(vscode.window);
