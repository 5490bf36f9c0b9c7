// ferry.databricks.runOnCluster: Run File on Cluster under the shorter title the editor and
// Explorer context menus show ("Run on Cluster"); it does exactly what runFile.ts does.
import { RunController } from '../../run/runController';
import { FerryCommand } from '../types';
import { runFileCommand } from './runFile';

export function runOnClusterCommand(controller: RunController): FerryCommand {
  return { ...runFileCommand(controller), id: 'ferry.databricks.runOnCluster' };
}
