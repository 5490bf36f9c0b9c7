// ferry.databricks.signIn: stores a personal access token for a workspace URL and makes it active.
import * as vscode from 'vscode';
import { normalizeHost } from '../../databricks/client';
import { FerryCommand } from '../types';
import { askWorkspaceUrl, DatabricksCommandDeps } from './shared';
import { ui } from '../../editor/messages';
import { withCancellableProgress } from '../../editor/progress';

/** `ferry.databricks.signIn(host?, token?)`: asks for what is not given; the token goes to SecretStorage only. */
export function signInCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.signIn',
    run: async (hostArg?: unknown, tokenArg?: unknown) => {
      const host = await askWorkspaceUrl(deps, hostArg, 'Databricks: Sign In (1/2)', 'Workspace URL');
      if (!host) return;
      const token =
        typeof tokenArg === 'string' && tokenArg
          ? tokenArg
          : await vscode.window.showInputBox({
              title: 'Databricks: Sign In (2/2)',
              prompt: `Personal access token for ${normalizeHost(host)} (User Settings → Developer → Access tokens). It is kept in the editor's secret storage.`,
              password: true,
              ignoreFocusOut: true,
              validateInput: (v) => (v.trim() ? undefined : 'Enter a token'),
            });
      if (!token) return;
      const user = await withCancellableProgress({ title: `Signing in to ${normalizeHost(host)}…` }, (signal) => deps.connection.signIn(host, token, signal));
      void ui.info(`Signed in to ${normalizeHost(host)} as ${user}.`);
      return user;
    },
  };
}
