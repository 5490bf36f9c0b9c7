// Databricks: Run File as Job — saves and pushes the file (and its folder's changed files), then
// one runs/submit with an idempotency token on the folder's default compute (a cluster or
// serverless): a notebook (source .py or .ipynb) as a notebook_task, any other .py as a
// spark_python_task. The task run's output goes to the result viewer.
import { RunController } from '../../run/runController';
import { jobTargetFile } from '../databricks/jobTarget';
import { FerryCommand } from '../types';

export function runFileAsJobCommand(controller: RunController): FerryCommand {
  return {
    id: 'ferry.databricks.runFileAsJob',
    run: async (uri?: unknown) => controller.runAsJob(await jobTargetFile(uri)),
  };
}
