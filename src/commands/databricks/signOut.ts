// ferry.databricks.signOut: removes a signed-in workspace's token from secret storage.
import { FerryCommand } from '../types';
import { DatabricksCommandDeps } from './shared';
import { ui } from '../../editor/messages';

export function signOutCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.signOut',
    run: async (hostArg?: unknown) => {
      const hosts = [...new Set([...deps.connection.signedInHosts(), ...deps.connection.oauthHosts()])];
      const host =
        typeof hostArg === 'string' ? hostArg : hosts.length === 1 ? hosts[0] : await ui.pick(hosts, { placeHolder: 'Sign out of which workspace?' });
      if (!host) {
        if (hosts.length === 0) void ui.info('No workspace is signed in with a stored token or OAuth. Profiles in ~/.databrickscfg are managed in that file.');
        return;
      }
      await deps.connection.signOut(host);
      void ui.info(`Signed out of ${host}; its tokens were removed from secret storage.`);
    },
  };
}
