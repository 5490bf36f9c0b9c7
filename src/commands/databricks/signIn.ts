// ferry.databricks.signIn: stores a personal access token for a workspace URL and makes it active.
import * as vscode from 'vscode';
import { normalizeHost } from '../../databricks/client';
import { DatabricksError } from '../../databricks/errors';
import { FerryCommand } from '../types';
import { DatabricksCommandDeps } from './shared';

function hostProblem(value: string): string | undefined {
  if (!value.trim()) return 'Enter the workspace URL, for example https://adb-1234567890.12.azuredatabricks.net';
  try {
    normalizeHost(value);
    return undefined;
  } catch (err) {
    return err instanceof DatabricksError ? err.serverMessage : String(err);
  }
}

/** `ferry.databricks.signIn(host?, token?)`: asks for what is not given; the token goes to SecretStorage only. */
export function signInCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.signIn',
    run: async (hostArg?: unknown, tokenArg?: unknown) => {
      let current: string | undefined;
      try {
        current = (await deps.connection.current()).host;
      } catch {
        current = process.env.DATABRICKS_HOST;
      }
      const host =
        typeof hostArg === 'string' && hostArg
          ? hostArg
          : await vscode.window.showInputBox({ title: 'Databricks: Sign In (1/2)', prompt: 'Workspace URL', placeHolder: 'https://<workspace>.cloud.databricks.com', value: current, ignoreFocusOut: true, validateInput: hostProblem });
      if (!host) return;
      const token =
        typeof tokenArg === 'string' && tokenArg
          ? tokenArg
          : await vscode.window.showInputBox({ title: 'Databricks: Sign In (2/2)', prompt: `Personal access token for ${normalizeHost(host)} (User Settings → Developer → Access tokens). It is kept in the editor's secret storage.`, password: true, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Enter a token') });
      if (!token) return;
      const user = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Signing in to ${normalizeHost(host)}…`, cancellable: true }, (_p, ct) => {
        const abort = new AbortController();
        ct.onCancellationRequested(() => abort.abort());
        return deps.connection.signIn(host, token, abort.signal);
      });
      void vscode.window.showInformationMessage(`Signed in to ${normalizeHost(host)} as ${user}.`);
      return user;
    },
  };
}
