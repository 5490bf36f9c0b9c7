// ferry.drift.compareDatasets: two S3 objects or prefixes, or two Athena tables (selected
// together, or one picked and the other typed), profiled in Athena with one query each; the result
// viewer shows every column sorted by drift (PSI, flagged over ferry.drift.psiThreshold) and a
// chart of each column's distribution in both. The first dataset is the baseline.
import * as vscode from 'vscode';
import { compareDatasets, DatasetRef, datasetLabel, parseDatasetRef } from '../../aws/drift/compare';
import { driftFacts, driftOutputs } from '../../aws/drift/outputs';
import { CancelledError, FerryError } from '../../core/errors';
import { ui } from '../../editor/messages';
import { isS3Item } from '../../views/s3/nodes';
import { TableNode } from '../../views/athena/nodes';
import { AthenaCommandContext } from '../athena/context';
import { FerryCommand } from '../types';
import { withCancellableProgress } from '../../editor/progress';

function refOf(node: unknown): DatasetRef | undefined {
  if (node instanceof TableNode) return { kind: 'table', catalog: node.catalog, database: node.database, table: node.name };
  if (isS3Item(node) && node.bucket && node.key) return { kind: 's3', bucket: node.bucket, key: node.key };
  return undefined;
}

async function askFor(which: string, hint: string | undefined): Promise<DatasetRef> {
  const text = await vscode.window.showInputBox({
    title: `Compare Datasets: ${which}`,
    prompt: 'An S3 object or prefix (s3://bucket/key, a prefix ends with /) or an Athena table (database.table)',
    value: hint,
    ignoreFocusOut: true,
    validateInput: (v) => (parseDatasetRef(v) ? undefined : 'Enter s3://bucket/key, s3://bucket/prefix/ or database.table'),
  });
  if (!text) throw new CancelledError();
  return parseDatasetRef(text)!;
}

export function compareDatasetsCommand(ctx: AthenaCommandContext): FerryCommand {
  return {
    id: 'ferry.drift.compareDatasets',
    run: async (arg?: unknown, all?: unknown) => {
      const picked = (Array.isArray(all) && all.length ? all : arg !== undefined ? [arg] : []).map(refOf).filter((r): r is DatasetRef => !!r);
      if (arg !== undefined && !refOf(arg) && !picked.length)
        throw new FerryError('invalidInput', 'Compare Datasets works on S3 objects or prefixes and on Athena tables.');
      let [a, b] = picked;
      if (picked.length > 2) throw new FerryError('invalidInput', `Select two datasets to compare, not ${picked.length}.`);
      if (a && b) {
        // Which one is the baseline matters: its deciles and categories are the bins.
        const first = datasetLabel(a);
        const second = datasetLabel(b);
        const pick = await ui.pick(
          [
            { label: first, description: 'as the baseline', swap: false },
            { label: second, description: 'as the baseline', swap: true },
          ],
          { title: 'Compare Datasets: which is the baseline (the “before”)?' },
        );
        if (!pick) throw new CancelledError();
        if (pick.swap) [a, b] = [b, a];
      } else if (a) {
        const folder = a.kind === 's3' ? `s3://${a.bucket}/${a.key.slice(0, a.key.replace(/\/$/, '').lastIndexOf('/') + 1)}` : `${a.database}.`;
        b = await askFor(`compare ${datasetLabel(a)} with…`, folder);
      } else {
        a = await askFor('the baseline (the “before”)', 's3://');
        b = await askFor(`compare ${datasetLabel(a)} with…`, a.kind === 's3' ? `s3://${a.bucket}/` : `${a.database}.`);
      }
      const database = await ctx.databases.require();
      const settings = ctx.settings();
      const threshold = Number.isFinite(settings['drift.psiThreshold']) && settings['drift.psiThreshold'] >= 0 ? settings['drift.psiThreshold'] : 0.2;
      const result = await withCancellableProgress({ title: `Comparing ${datasetLabel(a)} with ${datasetLabel(b)} in Athena` }, (signal, progress) =>
        compareDatasets({ athena: ctx.service, s3: ctx.s3, database, catalog: settings['athena.catalog'], logger: ctx.logger }, a, b, {
          threshold,
          signal,
          onProgress: (message) => progress.report({ message }),
        }),
      );
      ctx.presenter.show({
        source: 'drift',
        title: `Drift: ${datasetLabel(a)} → ${datasetLabel(b)}`,
        outputs: driftOutputs(result.report, result.labels),
        facts: driftFacts(result.report, result.labels, result.scannedBytes),
      });
    },
  };
}
