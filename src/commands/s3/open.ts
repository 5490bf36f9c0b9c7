// ferry.s3.open: a table file (CSV, TSV, JSON lines, Parquet) opens as a table in the result viewer
// from its first rows; anything else opens as text through the s3: file system.
import * as vscode from 'vscode';
import { formatS3Uri, previewFormat } from '../../aws/s3/keys';
import { previewS3Object } from '../../aws/preview/s3Preview';
import { DEFAULT_PREVIEW_ROWS } from '../../aws/preview/table';
import { FerryError } from '../../core/errors';
import { s3Uri } from '../../views/s3/s3FileSystemProvider';
import { FerryCommand } from '../types';
import { requireNode, S3CommandContext } from './context';
import { withCancellableProgress } from '../../editor/progress';

export async function previewAsTable(ctx: S3CommandContext, bucket: string, key: string): Promise<void> {
  const table = await withCancellableProgress({ title: `Reading ${key}…` }, (signal) =>
    previewS3Object(ctx.s3, bucket, key, { maxRows: DEFAULT_PREVIEW_ROWS, signal }),
  );
  // A limit that ended the read early says so itself; otherwise the row limit did.
  const note =
    table.truncationNote ??
    (table.truncated
      ? `First ${table.rows.length.toLocaleString()} rows${table.totalRows !== undefined ? ` of ${table.totalRows.toLocaleString()}` : ''}`
      : undefined);
  ctx.presenter.show({
    source: 's3:preview',
    title: key.split('/').pop() || key,
    outputs: [{ kind: 'table', columns: table.columns, rows: table.rows, truncated: table.truncated, truncationNote: note }],
    facts: [
      { label: 'Object', value: formatS3Uri(bucket, key) },
      { label: 'Format', value: table.format },
      { label: 'Rows shown', value: table.rows.length.toLocaleString() },
    ],
  });
}

export function openCommand(ctx: S3CommandContext): FerryCommand {
  return {
    id: 'ferry.s3.open',
    run: async (arg?: unknown) => {
      const node = requireNode(ctx, arg, 'an object');
      if (!node.key || node.key.endsWith('/')) throw new FerryError('invalidInput', 'Select an object, not a folder.');
      if (previewFormat(node.key)) return previewAsTable(ctx, node.bucket, node.key);
      await vscode.window.showTextDocument(s3Uri(node.bucket, node.key), { preview: true });
    },
  };
}
