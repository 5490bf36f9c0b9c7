// ferry.athena.reopenQuery: reopen a past query's result by its execution id, without running it again.
import * as vscode from 'vscode';
import type { FerryCommand } from '../types';
import { AthenaCommandContext } from './context';
import { reopenExecution } from './history';

export function reopenQueryCommand(ctx: AthenaCommandContext): FerryCommand {
  return {
    id: 'ferry.athena.reopenQuery',
    run: async (id?: unknown) => {
      const queryId = typeof id === 'string' ? id : await vscode.window.showInputBox({ title: 'Athena: Reopen Query Result', prompt: 'Query execution ID' });
      if (queryId) await reopenExecution(ctx, queryId.trim());
    },
  };
}
