// Ferry: Show Sample Result — a synthetic table to try the viewer; arguments (rows, columns) for tests.
import type { ResultPresenter } from '../../results/model';
import { sampleTable } from '../../results/sample';
import type { FerryCommand } from '../types';
import { ui } from '../../editor/messages';

const SIZES = [
  { label: '1,000 rows × 20 columns', rows: 1_000 },
  { label: '100,000 rows × 20 columns', rows: 100_000 },
  { label: '1,000,000 rows × 20 columns', rows: 1_000_000 },
];

export function showSampleCommand(presenter: ResultPresenter): FerryCommand {
  return {
    id: 'ferry.results.showSample',
    run: async (rows?: unknown, columns?: unknown) => {
      let count = typeof rows === 'number' && rows >= 0 ? Math.min(rows, 5_000_000) : undefined;
      count ??= (await ui.pick(SIZES, { title: 'Show a sample result' }))?.rows;
      if (count === undefined) return;
      const cols = typeof columns === 'number' && columns > 0 ? Math.min(columns, 200) : 20;
      presenter.show({ source: 'sample', title: `Sample ${count.toLocaleString('en-US')} × ${cols}`, outputs: [sampleTable(count, cols)] });
    },
  };
}
