// ferry.databricks.signOut: removes a signed-in workspace's token from secret storage.
import * as vscode from 'vscode';
import { FerryCommand } from '../types';
import { DatabricksCommandDeps } from './shared';

export function signOutCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.signOut',
    run: async (hostArg?: unknown) => {
      const hosts = [...new Set([...deps.connection.signedInHosts(), ...deps.connection.oauthHosts()])];
      const host = typeof hostArg === 'string' ? hostArg : hosts.length === 1 ? hosts[0] : await vscode.window.showQuickPick(hosts, { placeHolder: 'Sign out of which workspace?' });
      if (!host) {
        if (hosts.length === 0) void vscode.window.showInformationMessage('No workspace is signed in with a stored token or OAuth. Profiles in ~/.databrickscfg are managed in that file.');
        return;
      }
      await deps.connection.signOut(host);
      void vscode.window.showInformationMessage(`Signed out of ${host}; its tokens were removed from secret storage.`);
    },
  };
}
