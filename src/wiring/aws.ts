// Wires the AWS connection (profiles, region, endpoints) and the S3 explorer (owned by the S3 area).
import * as vscode from 'vscode';
import { AwsConnectionSource } from '../aws/connection';
import { EmptyTreeProvider } from '../views/emptyTreeProvider';
import { ResultsWiring } from './results';
import { AreaWiring, CoreServices } from './types';

export interface AwsWiring extends AreaWiring {
  connection?: AwsConnectionSource;
}

export function wireAws(core: CoreServices, _deps: { results: ResultsWiring }): AwsWiring {
  core.context.subscriptions.push(vscode.window.registerTreeDataProvider('ferry.s3', new EmptyTreeProvider()));
  return { commands: [] };
}
