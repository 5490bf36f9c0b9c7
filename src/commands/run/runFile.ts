// Databricks: Run File on Cluster (editor title run button, editor and explorer context menus,
// palette). The buffer's current text runs, saved or not; the folder's changed files are pushed
// first so sibling imports and reads work.
import { RunController } from '../../run/runController';
import { FerryCommand } from '../types';
import { requirePython, targetDocument } from './shared';

export function runFileCommand(controller: RunController): FerryCommand {
  return {
    id: 'ferry.databricks.runFile',
    run: async (uri?: unknown) => {
      const doc = await targetDocument(uri);
      requirePython(doc);
      return controller.runCode(doc, 'file', doc.getText(), { start: 0, end: Math.max(0, doc.lineCount - 1) });
    },
  };
}
