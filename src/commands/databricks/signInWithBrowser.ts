// ferry.databricks.signInWithBrowser: OAuth U2M sign-in (PKCE, loopback redirect on localhost:8020…)
// in the system browser; the token set goes to SecretStorage only and is renewed automatically.
import * as vscode from 'vscode';
import { normalizeHost } from '../../databricks/client';
import { DatabricksError } from '../../databricks/errors';
import { FerryCommand } from '../types';
import { askWorkspaceUrl, DatabricksCommandDeps } from './shared';
import { ui } from '../../editor/messages';
import { withCancellableProgress } from '../../editor/progress';

/** `ferry.databricks.signInWithBrowser(host?)`: asks for the host when not given, then signs in in the browser. */
export function signInWithBrowserCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.signInWithBrowser',
    run: async (hostArg?: unknown) => {
      const input = await askWorkspaceUrl(
        deps,
        hostArg,
        'Databricks: Sign In with Browser (OAuth)',
        'Workspace URL. Your browser opens the workspace sign-in page; Ferry listens on http://localhost:8020 for the answer.',
      );
      if (!input) return;
      const host = normalizeHost(input);
      const user = await withCancellableProgress({ title: `Signing in to ${host}: finish the sign-in in your browser…` }, (signal) => {
        const open = async (url: string): Promise<void> => {
          const opened = await vscode.env.openExternal(vscode.Uri.parse(url, true));
          if (!opened)
            throw new DatabricksError({
              errorCode: 'BROWSER_NOT_OPENED',
              message: 'The browser could not be opened for the Databricks sign-in. Sign in with a personal access token instead.',
              status: 0,
              kind: 'config',
              actions: [{ title: 'Sign In with Token', command: 'ferry.databricks.signIn' }],
            });
        };
        return deps.connection.signInWithBrowser(host, open, signal);
      });
      deps.logger.info(`Signed in to ${host} with OAuth as ${user}`);
      void ui.info(`Signed in to ${host} as ${user} (OAuth). Ferry renews the sign-in by itself; use "Databricks: Sign Out" to forget it.`);
      return user;
    },
  };
}
