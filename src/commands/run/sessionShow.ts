// Session: Show — opens a DataFrame of the session in the result viewer (its first 10,000 rows;
// a Spark DataFrame's rows are read only now, on request), or a value's repr.
import { FerryError } from '../../core/errors';
import { RunController } from '../../run/runController';
import { isFrame, VariableNode } from '../../views/session/sessionTree';
import { FerryCommand } from '../types';

export function sessionShowCommand(controller: RunController): FerryCommand {
  return {
    id: 'ferry.databricks.session.show',
    run: async (node?: unknown) => {
      if (!(node instanceof VariableNode)) throw new FerryError('invalidInput', 'Choose a variable in the Session view to show.');
      const v = node.variable;
      const code = isFrame(v) ? `display(${v.name})` : `${v.name}`;
      return controller.runSnippet(node.uri, node.key, code, `Show ${v.name}`);
    },
  };
}
