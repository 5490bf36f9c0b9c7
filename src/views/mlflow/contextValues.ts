// The one vocabulary of Experiments view contextValues; package.json menus match these with `viewItem`.
export const MLFLOW_CONTEXT = {
  experiment: 'ferry:mlflow:experiment',
  /** An experiment whose runs are filtered (Clear Filter applies). */
  filteredExperiment: 'ferry:mlflow:experiment:filtered',
  /** Followed by the status in lower case: ferry:mlflow:run:finished, …:running, …:failed. */
  runPrefix: 'ferry:mlflow:run:',
  params: 'ferry:mlflow:group:params',
  metrics: 'ferry:mlflow:group:metrics',
  tags: 'ferry:mlflow:group:tags',
  param: 'ferry:mlflow:param',
  tag: 'ferry:mlflow:tag',
  metric: 'ferry:mlflow:metric',
  /** The artifact root of a run, and the folders in it. */
  artifactFolder: 'ferry:mlflow:artifact:folder',
  /** Followed by how the file opens: table (CSV, TSV, JSON lines, Parquet), image, text or other. */
  artifactFilePrefix: 'ferry:mlflow:artifact:file:',
} as const;
