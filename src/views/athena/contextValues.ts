// The one vocabulary of Athena tree contextValues; package.json menus match these with `viewItem`.
export const ATHENA_CONTEXT = {
  catalog: 'ferry:athena:catalog',
  database: 'ferry:athena:database',
  table: 'ferry:athena:table',
  column: 'ferry:athena:column',
  partitionColumn: 'ferry:athena:column:partition',
} as const;
