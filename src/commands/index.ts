// Where every command is registered: the core commands are listed here, each area's wiring
// (src/wiring/<area>.ts) builds its own command modules and hands them in, and all of them are
// wrapped by the one error wrapper and registered together (an id registered twice stops
// activation; test/unit/packageJson.test.ts and the host suite check the ids against package.json).
import * as vscode from 'vscode';
import { wrapCommand } from '../core/commandWrapper';
import { Logger } from '../core/logger';
import { editorCommandUi } from '../editor/commandUi';
import { openSettingsCommand } from './core/openSettings';
import { showLogCommand } from './core/showLog';
import { FerryCommand, handlerOf } from './types';

export interface CommandDeps {
  extensionId: string;
  channel: vscode.LogOutputChannel;
  /** Commands built by the areas' wiring (S3, Athena, Databricks, results, run). */
  areaCommands: FerryCommand[];
}

export function buildCommandTable(deps: CommandDeps): FerryCommand[] {
  return [
    // core
    showLogCommand(deps.channel),
    openSettingsCommand(deps.extensionId),
    // areas
    ...deps.areaCommands,
  ];
}

export function registerCommands(table: FerryCommand[], logger: Logger): vscode.Disposable[] {
  const seen = new Set<string>();
  return table.map((command) => {
    if (seen.has(command.id)) throw new Error(`Command ${command.id} is registered twice`);
    seen.add(command.id);
    return vscode.commands.registerCommand(command.id, wrapCommand(command.id, handlerOf(command), logger, editorCommandUi));
  });
}
