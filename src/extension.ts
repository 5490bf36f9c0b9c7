// The composition root: builds the services once, registers views and commands, and nothing else.
// No network at activation: clients connect lazily when a view or command first needs them.
import * as vscode from 'vscode';
import { buildCommandTable, registerCommands } from './commands';
import { createLogger } from './core/logger';
import { EditorNetworkSource } from './editor/network';
import { SettingsService } from './editor/settings';
import { wireAthena } from './wiring/athena';
import { wireAws } from './wiring/aws';
import { wireCatalog } from './wiring/catalog';
import { wireDatabricks } from './wiring/databricks';
import { wireDatabricksSql } from './wiring/databricksSql';
import { wireMlflow } from './wiring/mlflow';
import { wireResults } from './wiring/results';
import { wireRun } from './wiring/run';
import { CoreServices } from './wiring/types';
import type { ResultPresenter } from './results/model';

export interface FerryApi {
  /** How long activate() took, in milliseconds (measured inside the editor). */
  activationMs: number;
  /** The result viewer's presenter (editor tests show results through it). */
  results: ResultPresenter;
  /** The inline preview texts shown in a document (editor tests read them; decorations have no read API). */
  inlineSummaries(uri: vscode.Uri): string[];
}

export function activate(context: vscode.ExtensionContext): FerryApi {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('Ferry', { log: true });
  const logger = createLogger(channel);
  const settings = new SettingsService();
  const network = new EditorNetworkSource(settings, logger);
  context.subscriptions.push(channel, settings, network);
  const core: CoreServices = { context, logger, settings, network };

  const results = wireResults(core);
  const aws = wireAws(core, { results });
  const databricks = wireDatabricks(core, { results });
  const sql = wireDatabricksSql(core, { databricks, results });
  const athena = wireAthena(core, { aws, results, engines: sql.engines });
  const run = wireRun(core, { databricks, results, sqlCells: sql.sqlCells });
  const catalog = wireCatalog(core, { databricks, results, sql: sql.api });
  const mlflow = wireMlflow(core, { databricks, results });

  const areaCommands = [results, aws, athena, databricks, sql, run, catalog, mlflow].flatMap((area) => area.commands);
  const table = buildCommandTable({ extensionId: context.extension.id, channel, areaCommands });
  context.subscriptions.push(...registerCommands(table, logger));

  const activationMs = performance.now() - started;
  logger.info(`Ferry ${context.extension.packageJSON.version as string} activated in ${activationMs.toFixed(1)} ms (${table.length} commands)`);
  return { activationMs, results: results.presenter, inlineSummaries: (uri) => run.controller.inline.summaries(uri) };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
