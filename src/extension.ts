// The composition root: builds the services once, registers views and commands, and nothing else.
// No network at activation: clients connect lazily when a view or command first needs them.
import * as vscode from 'vscode';
import { buildCommandTable, registerCommands } from './commands';
import { FerryCommand } from './commands/types';
import { createLogger } from './core/logger';
import { SettingsService } from './editor/settings';
import { EmptyTreeProvider } from './views/emptyTreeProvider';
import { CoreServices } from './wiring/types';

export interface FerryApi {
  /** How long activate() took, in milliseconds (measured inside the editor). */
  activationMs: number;
}

const VIEW_IDS = ['ferry.s3', 'ferry.databricks.clusters', 'ferry.databricks.jobs', 'ferry.athena'];

export function activate(context: vscode.ExtensionContext): FerryApi {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('Ferry', { log: true });
  const logger = createLogger(channel);
  const settings = new SettingsService();
  context.subscriptions.push(channel, settings);
  const core: CoreServices = { context, logger, settings };

  const areaCommands: FerryCommand[] = [];
  for (const id of VIEW_IDS) {
    context.subscriptions.push(vscode.window.registerTreeDataProvider(id, new EmptyTreeProvider()));
  }

  const table = buildCommandTable({ extensionId: context.extension.id, channel, areaCommands });
  context.subscriptions.push(...registerCommands(table, logger));

  const activationMs = performance.now() - started;
  logger.info(`Ferry ${context.extension.packageJSON.version as string} activated in ${activationMs.toFixed(1)} ms (${table.length} commands)`);
  void core;
  return { activationMs };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
