// SQL: Choose Engine for This File… — Athena or Databricks SQL, remembered per file (status bar,
// CodeLens, palette).
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';
import { SqlEngineSelection } from '../../editor/sqlEngine';
import type { FerryCommand } from '../types';

export function selectEngineCommand(engines: SqlEngineSelection): FerryCommand {
  return {
    id: 'ferry.sql.selectEngine',
    run: async (uri?: unknown, engine?: unknown) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!target) throw new FerryError('invalidInput', 'Open a SQL file to choose its engine.');
      if (engine === 'athena' || engine === 'databricks') {
        await engines.set(target, engine);
        return engine;
      }
      return engines.ask(target);
    },
  };
}
