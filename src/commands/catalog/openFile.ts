// ferry.catalog.openFile: a CSV, TSV, JSON-lines or Parquet file on a volume opens as a table in
// the result viewer from its first rows (text streamed and dropped early, Parquet read by range).
import { DEFAULT_PREVIEW_ROWS } from '../../aws/preview/table';
import { previewFormat } from '../../aws/s3/keys';
import { FerryError } from '../../core/errors';
import { previewVolumeFile } from '../../databricks/volumePreview';
import { FerryCommand } from '../types';
import { CatalogCommandContext, volumeItemOf } from './context';
import { withCancellableProgress } from '../../editor/progress';
import { commandAction } from '../../editor/commandArgs';

export function openFileCommand(ctx: CatalogCommandContext): FerryCommand {
  return {
    id: 'ferry.catalog.openFile',
    run: async (arg?: unknown) => {
      const item = volumeItemOf(ctx, arg, 'a file');
      const name = item.volumePath.slice(item.volumePath.lastIndexOf('/') + 1);
      if (item.isDirectory || !previewFormat(name))
        throw new FerryError('invalidInput', `${name} is not a CSV, TSV, JSON-lines or Parquet file; download it to open it.`, [
          commandAction('Download…', 'ferry.catalog.download', item),
        ]);
      const files = await ctx.files();
      const table = await withCancellableProgress({ title: `Reading ${name}…` }, (signal) =>
        previewVolumeFile(files, item.volumePath, { maxRows: DEFAULT_PREVIEW_ROWS, signal }),
      );
      const note = table.truncated
        ? `First ${table.rows.length.toLocaleString()} rows${table.totalRows !== undefined ? ` of ${table.totalRows.toLocaleString()}` : ''}`
        : undefined;
      ctx.presenter.show({
        source: 'catalog:preview',
        title: name,
        outputs: [{ kind: 'table', columns: table.columns, rows: table.rows, truncated: table.truncated, truncationNote: note }],
        facts: [
          { label: 'File', value: item.volumePath },
          { label: 'Format', value: table.format },
          { label: 'Rows shown', value: table.rows.length.toLocaleString() },
        ],
      });
    },
  };
}
