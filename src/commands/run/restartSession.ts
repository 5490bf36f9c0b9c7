// Databricks: Restart Session — destroys the Python session of the current file's cluster and
// folder (all sessions when no file is open); the next run starts with no variables.
import * as vscode from 'vscode';
import { RunController } from '../../run/runController';
import { FerryCommand } from '../types';
import { ui } from '../../editor/messages';

export function restartSessionCommand(controller: RunController): FerryCommand {
  return {
    id: 'ferry.databricks.restartSession',
    run: async (uri?: unknown) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      const had = await controller.restartSession(target?.scheme === 'file' ? target : undefined);
      void ui.info(
        had ? 'Session restarted: the next run starts with a fresh Python state.' : 'There was no session to restart; the next run starts a new one.',
      );
      return had;
    },
  };
}
