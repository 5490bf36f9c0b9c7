// Wires the Athena explorer, queries and history (owned by the Athena area).
import * as vscode from 'vscode';
import { EmptyTreeProvider } from '../views/emptyTreeProvider';
import { AwsWiring } from './aws';
import { ResultsWiring } from './results';
import { AreaWiring, CoreServices } from './types';

export function wireAthena(core: CoreServices, _deps: { aws: AwsWiring; results: ResultsWiring }): AreaWiring {
  core.context.subscriptions.push(vscode.window.registerTreeDataProvider('ferry.athena', new EmptyTreeProvider()));
  return { commands: [] };
}
