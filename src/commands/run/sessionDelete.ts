// Session: Delete — removes a variable from the session (after asking), as `del name` would.
import { ui } from '../../editor/messages';
import { FerryError } from '../../core/errors';
import { RunController } from '../../run/runController';
import { VariableNode } from '../../views/session/sessionTree';
import { FerryCommand } from '../types';

export function sessionDeleteCommand(controller: RunController): FerryCommand {
  return {
    id: 'ferry.databricks.session.delete',
    run: async (node?: unknown, confirmed?: unknown) => {
      if (!(node instanceof VariableNode)) throw new FerryError('invalidInput', 'Choose a variable in the Session view to delete.');
      const name = node.variable.name;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new FerryError('invalidInput', `${name} is not a plain variable name.`);
      if (confirmed !== true) {
        const yes = 'Delete';
        const pick = await ui.warn(
          `Delete ${name} from the session on the cluster?`,
          { modal: true, detail: 'Code that uses it will fail until it is set again.' },
          yes,
        );
        if (pick !== yes) return undefined;
      }
      return controller.runSnippet(node.uri, node.key, `del ${name}`, `Delete ${name}`);
    },
  };
}
