// Session: Refresh — reads the session's latest variables from the cluster through the reader
// session (works while a run holds the session), and redraws the Session view.
import { FerryError } from '../../core/errors';
import { RunController } from '../../run/runController';
import { SessionTreeProvider } from '../../views/session/sessionTree';
import { FerryCommand } from '../types';

export function sessionRefreshCommand(controller: RunController, tree: SessionTreeProvider): FerryCommand {
  return {
    id: 'ferry.databricks.session.refresh',
    run: async () => {
      const current = await controller.currentSession();
      const vars = await controller.variables();
      if (!current?.live || !vars) {
        tree.refresh();
        return undefined;
      }
      const ws = await controller.workspace();
      try {
        const listing = await vars.refresh(current.key, await ws.runService.budget(current.key.clusterId));
        tree.refresh();
        return listing;
      } catch (err) {
        tree.refresh(err instanceof Error ? err.message : String(err));
        throw err instanceof FerryError
          ? err
          : new FerryError('unknown', `Could not read the session's variables: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}
