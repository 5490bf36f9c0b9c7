// Wires the result viewer (owned by the result viewer area).
import { ResultPresenter } from '../results/model';
import { AreaWiring, CoreServices } from './types';

export interface ResultsWiring extends AreaWiring {
  presenter: ResultPresenter;
}

export function wireResults(_core: CoreServices): ResultsWiring {
  const presenter: ResultPresenter = {
    show: () => {
      throw new Error('The result viewer is not wired yet');
    },
  };
  return { commands: [], presenter };
}
