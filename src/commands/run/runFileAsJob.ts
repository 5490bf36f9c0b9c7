// Databricks: Run File as Job — saves and pushes the file (and its folder's changed files), then
// one runs/submit with an idempotency token; the task run's output goes to the result viewer.
import { RunController } from '../../run/runController';
import { FerryCommand } from '../types';
import { requirePython, targetDocument } from './shared';

export function runFileAsJobCommand(controller: RunController): FerryCommand {
  return {
    id: 'ferry.databricks.runFileAsJob',
    run: async (uri?: unknown) => {
      const doc = await targetDocument(uri);
      requirePython(doc);
      if (doc.isDirty) await doc.save();
      return controller.runAsJob(doc.uri);
    },
  };
}
