// SQL: Run — the editor's run button and Ctrl+Alt+Enter in a SQL file: runs on the file's engine
// (Athena or a Databricks SQL warehouse), asking once which one when the file does not say.
import * as vscode from 'vscode';
import { FerryError } from '../../core/errors';
import { ENGINE_RUN_COMMAND, SqlEngineSelection, targetUri } from '../../editor/sqlEngine';
import type { FerryCommand } from '../types';

export function runSqlFileCommand(engines: SqlEngineSelection): FerryCommand {
  return {
    id: 'ferry.sql.run',
    run: async (...args: unknown[]) => {
      const uri = targetUri(args);
      if (!uri) throw new FerryError('invalidInput', 'Open a .sql file or select SQL to run it.');
      const doc = await vscode.workspace.openTextDocument(uri);
      const engine = await engines.resolve(doc);
      return vscode.commands.executeCommand(ENGINE_RUN_COMMAND[engine], ...args);
    },
  };
}
