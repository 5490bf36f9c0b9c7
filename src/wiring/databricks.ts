// Wires the Databricks connection and the clusters and jobs explorers (owned by the Databricks area).
import * as vscode from 'vscode';
import { EmptyTreeProvider } from '../views/emptyTreeProvider';
import { ResultsWiring } from './results';
import { AreaWiring, CoreServices } from './types';

export type DatabricksWiring = AreaWiring;

export function wireDatabricks(core: CoreServices, _deps: { results: ResultsWiring }): DatabricksWiring {
  core.context.subscriptions.push(
    vscode.window.registerTreeDataProvider('ferry.databricks.clusters', new EmptyTreeProvider()),
    vscode.window.registerTreeDataProvider('ferry.databricks.jobs', new EmptyTreeProvider()),
  );
  return { commands: [] };
}
