// What an interactive run (Run File, Run Cell, Run Selection, a notebook cell) says when the
// folder's compute is Serverless: those runs keep a Python session through the Command Execution
// API, which needs a cluster; the same file can run as a serverless job instead.
import { FerryError } from '../core/errors';
import { commandAction } from '../editor/commandArgs';
import type * as vscode from 'vscode';

export const RUN_AS_SERVERLESS_JOB = 'Run as Serverless Job';
export const CHOOSE_CLUSTER = 'Choose Cluster';

/** `fileName` is shown; `target` (the file's URI) goes to Run File as Job. */
export function interactiveNeedsCluster(fileName: string, target: vscode.Uri | undefined): FerryError {
  return new FerryError(
    'config',
    `The default compute for this folder is Serverless, which runs jobs only. Run File, Run Cell, Run Selection and notebook cells need a cluster (they keep a Python session through the Command Execution API). Run ${fileName} as a serverless job instead, or choose a cluster.`,
    [
      commandAction(RUN_AS_SERVERLESS_JOB, 'ferry.databricks.runFileAsJob', target),
      commandAction(CHOOSE_CLUSTER, 'ferry.databricks.selectDefaultCluster', target),
    ],
  );
}
