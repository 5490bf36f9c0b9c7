// ferry.mlflow.openArtifact (the download: downloadArtifact.ts). A CSV, TSV, JSON-lines or Parquet
// artifact opens as a table through the preview code S3 and volumes use (text streamed and dropped
// after the first rows, Parquet read by range); text and images are fetched into the extension's
// storage and opened there.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as vscode from 'vscode';
import { previewFromSource } from '../../aws/preview/byteSource';
import { DEFAULT_PREVIEW_ROWS } from '../../aws/preview/table';
import { formatBytes, previewFormat } from '../../aws/s3/keys';
import { FerryError } from '../../core/errors';
import { artifactKind, MAX_OPEN_BYTES } from '../../databricks/mlflow/artifactKinds';
import { ArtifactReader } from '../../databricks/mlflow/artifactReader';
import { ArtifactFileNode } from '../../views/mlflow/nodes';
import { FerryCommand } from '../types';
import { MlflowCommandContext, picked } from './context';
import { withCancellableProgress } from '../../editor/progress';
import { commandAction } from '../../editor/commandArgs';

export function fileOf(ctx: MlflowCommandContext, arg: unknown): ArtifactFileNode {
  const node = picked(ctx, arg);
  if (node instanceof ArtifactFileNode) return node;
  throw new FerryError('invalidInput', 'Choose an artifact file of a run in the Experiments view.');
}

/** A cache path for one run's artifact that cannot leave the cache folder, whatever its name. */
export function cachePath(cacheDir: string, runId: string, artifactPath: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = artifactPath.split('/').map((s) => (s === '..' || s === '.' || s === '' ? '_' : s.replace(/[<>:"\\|?*\u0000-\u001f]/g, '_')));
  return path.join(cacheDir, 'mlflow-artifacts', runId, ...safe);
}

export function openArtifactCommand(ctx: MlflowCommandContext): FerryCommand {
  return {
    id: 'ferry.mlflow.openArtifact',
    run: async (arg?: unknown) => {
      const file = fileOf(ctx, arg);
      const { entry, runNode } = file;
      const kind = artifactKind(entry.path);
      const download = commandAction('Download…', 'ferry.mlflow.downloadArtifact', file);
      if (kind === 'other')
        throw new FerryError('invalidInput', `Ferry does not open ${file.name} here; download it to open it with another program.`, [download]);
      const mlflow = await ctx.mlflow();
      if (kind === 'table') {
        const format = previewFormat(file.name)!;
        const table = await withCancellableProgress({ title: `Reading ${file.name}…` }, (signal) =>
          previewFromSource(new ArtifactReader(mlflow, ctx.agents(), runNode.run.id, entry.path, { signal }, entry.size), format, {
            maxRows: DEFAULT_PREVIEW_ROWS,
            signal,
          }),
        );
        const note = table.truncated
          ? `First ${table.rows.length.toLocaleString()} rows${table.totalRows !== undefined ? ` of ${table.totalRows.toLocaleString()}` : ''}`
          : undefined;
        ctx.presenter.show({
          source: 'mlflow:artifact',
          title: file.name,
          outputs: [{ kind: 'table', columns: table.columns, rows: table.rows, truncated: table.truncated, truncationNote: note }],
          facts: [
            { label: 'Run', value: runNode.run.name },
            { label: 'Artifact', value: entry.path },
            { label: 'Format', value: table.format },
            { label: 'Rows shown', value: table.rows.length.toLocaleString() },
          ],
        });
        return;
      }
      if (entry.size !== undefined && entry.size > MAX_OPEN_BYTES)
        throw new FerryError(
          'invalidInput',
          `${file.name} is ${formatBytes(entry.size)}, more than Ferry opens in an editor (${formatBytes(MAX_OPEN_BYTES)}); download it instead.`,
          [download],
        );
      const target = cachePath(ctx.cacheDir, runNode.run.id, entry.path);
      await withCancellableProgress({ title: `Fetching ${file.name}…` }, async (signal) => {
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        const partial = `${target}.ferry-part`;
        try {
          const body = await new ArtifactReader(mlflow, ctx.agents(), runNode.run.id, entry.path, { signal }, entry.size).openStream();
          await pipeline(body, fs.createWriteStream(partial), { signal });
          await fs.promises.rename(partial, target);
        } finally {
          await fs.promises.rm(partial, { force: true });
        }
      });
      const uri = vscode.Uri.file(target);
      // Text opens in an editor (a copy: edits stay local); images in VS Code's own preview.
      await vscode.commands.executeCommand('vscode.open', uri, { preview: true, viewColumn: vscode.ViewColumn.Active });
    },
  };
}
