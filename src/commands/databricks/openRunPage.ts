// ferry.databricks.openRunPage: a run's page in the workspace UI.
import * as vscode from 'vscode';
import { RunNode } from '../../views/databricks/jobsTree';
import { FerryCommand } from '../types';
import { DatabricksCommandDeps } from './shared';

export function openRunPageCommand(deps: DatabricksCommandDeps): FerryCommand {
  return {
    id: 'ferry.databricks.openRunPage',
    run: async (arg?: unknown) => {
      if (!(arg instanceof RunNode)) return;
      const host = (await deps.connection.current()).host;
      const url = arg.run.run_page_url || `${host}/#job/${arg.job.job.job_id}/run/${arg.run.run_id}`;
      await vscode.env.openExternal(vscode.Uri.parse(url));
    },
  };
}
