// The one vocabulary of Catalog view contextValues; package.json menus match these with `viewItem`.
export const CATALOG_CONTEXT = {
  catalog: 'ferry:uc:catalog',
  schema: 'ferry:uc:schema',
  /** The "Tables" and "Volumes" groups under a schema. */
  tables: 'ferry:uc:tables',
  volumes: 'ferry:uc:volumes',
  table: 'ferry:uc:table',
  /** VIEW, MATERIALIZED_VIEW and METRIC_VIEW: previewable like a table. */
  view: 'ferry:uc:table:view',
  column: 'ferry:uc:column',
  partitionColumn: 'ferry:uc:column:partition',
  /** A volume's root and the folders in it: targets for upload and new folders. */
  volume: 'ferry:uc:volume',
  folder: 'ferry:uc:folder',
  file: 'ferry:uc:file',
  /** A CSV, TSV, JSON-lines or Parquet file: opens as a table. */
  tableFile: 'ferry:uc:file:table',
} as const;
