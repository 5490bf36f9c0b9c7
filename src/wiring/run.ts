// Wires push, run-on-cluster, cells, inline results and the notebook kernel (owned by the run area).
import { DatabricksWiring } from './databricks';
import { ResultsWiring } from './results';
import { AreaWiring, CoreServices } from './types';

export function wireRun(_core: CoreServices, _deps: { databricks: DatabricksWiring; results: ResultsWiring }): AreaWiring {
  return { commands: [] };
}
