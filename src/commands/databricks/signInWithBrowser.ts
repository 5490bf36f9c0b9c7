// ferry.databricks.signInWithBrowser: OAuth U2M sign-in (PKCE, loopback redirect on localhost:8020…)
// in the system browser; the token set goes to SecretStorage only and is renewed automatically.
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

/** `ferry.databricks.signInWithBrowser(host?)`: asks for the host when not given, then signs in in the browser. */
export function signInWithBrowserCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.signInWithBrowser',
    run: async (hostArg?: unknown) => {
      let current: string | undefined;
      try {
        current = (await deps.connection.current()).host;
      } catch {
        current = process.env.DATABRICKS_HOST;
      }
      const input =
        typeof hostArg === 'string' && hostArg
          ? hostArg
          : await vscode.window.showInputBox({ title: 'Databricks: Sign In with Browser (OAuth)', prompt: 'Workspace URL. Your browser opens the workspace sign-in page; Ferry listens on http://localhost:8020 for the answer.', placeHolder: 'https://<workspace>.cloud.databricks.com', value: current, ignoreFocusOut: true, validateInput: hostProblem });
      if (!input) return;
      const host = normalizeHost(input);
      const user = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Signing in to ${host}: finish the sign-in in your browser…`, cancellable: true },
        (_p, ct) => {
          const abort = new AbortController();
          ct.onCancellationRequested(() => abort.abort());
          const open = async (url: string): Promise<void> => {
            const opened = await vscode.env.openExternal(vscode.Uri.parse(url, true));
            if (!opened) throw new DatabricksError({ errorCode: 'BROWSER_NOT_OPENED', message: 'The browser could not be opened for the Databricks sign-in. Sign in with a personal access token instead.', status: 0, kind: 'config', actions: [{ title: 'Sign In with Token', command: 'ferry.databricks.signIn' }] });
          };
          return deps.connection.signInWithBrowser(host, open, abort.signal);
        },
      );
      deps.logger.info(`Signed in to ${host} with OAuth as ${user}`);
      void vscode.window.showInformationMessage(`Signed in to ${host} as ${user} (OAuth). Ferry renews the sign-in by itself; use "Databricks: Sign Out" to forget it.`);
      return user;
    },
  };
}
