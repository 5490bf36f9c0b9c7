// Every Ferry setting, its type and its default, in one place. package.json's schema mirrors this
// table (a unit test holds them together). The editor side reads the workspace configuration
// through readSettings(); services receive plain values and never read settings themselves.

export type ChecksumMode = 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';
export type SqlEngineDefault = 'ask' | 'athena' | 'databricks';
export type SqlDisposition = 'AUTO' | 'EXTERNAL_LINKS' | 'INLINE';
export type SqlCellsWithoutCluster = 'ask' | 'warehouse' | 'cluster';

export interface FerrySettings {
  'aws.profile': string;
  'aws.region': string;
  's3.endpoint': string;
  's3.forcePathStyle': boolean;
  's3.checksum': ChecksumMode;
  's3.pageSize': number;
  's3.presignExpirySeconds': number;
  's3.maxEditSizeMB': number;
  's3.transferConcurrency': number;
  's3.partSizeMB': number;
  'athena.endpoint': string;
  'athena.region': string;
  'athena.workgroup': string;
  'athena.outputLocation': string;
  'athena.catalog': string;
  'athena.costPerTerabyteUsd': number;
  'athena.minimumBilledMegabytes': number;
  'databricks.profile': string;
  'databricks.remoteRoot': string;
  'databricks.syncOnSave': boolean;
  'databricks.autoStartCluster': boolean;
  'databricks.pollIntervalCapMs': number;
  'databricks.serverlessEnvironmentVersion': string;
  'network.caFile': string;
  'pii.guard': boolean;
  'databricks.autoStartWarehouse': boolean;
  'databricks.sqlDisposition': SqlDisposition;
  'databricks.sqlCatalog': string;
  'databricks.sqlSchema': string;
  'databricks.sqlCellsWithoutCluster': SqlCellsWithoutCluster;
  'sql.defaultEngine': SqlEngineDefault;
  'mlflow.runsPageSize': number;
  'mlflow.keyMetrics': string[];
  'drift.psiThreshold': number;
}

export const SETTING_DEFAULTS: FerrySettings = {
  'aws.profile': '',
  'aws.region': 'us-east-1',
  's3.endpoint': '',
  's3.forcePathStyle': false,
  's3.checksum': 'WHEN_SUPPORTED',
  's3.pageSize': 1000,
  's3.presignExpirySeconds': 3600,
  's3.maxEditSizeMB': 10,
  's3.transferConcurrency': 4,
  's3.partSizeMB': 8,
  'athena.endpoint': '',
  'athena.region': '',
  'athena.workgroup': 'primary',
  'athena.outputLocation': '',
  'athena.catalog': 'AwsDataCatalog',
  'athena.costPerTerabyteUsd': 5,
  'athena.minimumBilledMegabytes': 10,
  'databricks.profile': '',
  'databricks.remoteRoot': '',
  'databricks.syncOnSave': false,
  'databricks.autoStartCluster': false,
  'databricks.pollIntervalCapMs': 1000,
  'databricks.serverlessEnvironmentVersion': '4',
  'network.caFile': '',
  'pii.guard': true,
  'databricks.autoStartWarehouse': false,
  'databricks.sqlDisposition': 'AUTO',
  'databricks.sqlCatalog': '',
  'databricks.sqlSchema': '',
  'databricks.sqlCellsWithoutCluster': 'ask',
  'sql.defaultEngine': 'ask',
  'mlflow.runsPageSize': 100,
  'mlflow.keyMetrics': [],
  'drift.psiThreshold': 0.2,
};

export type SettingKey = keyof FerrySettings;

/** The part of vscode.WorkspaceConfiguration that readSettings needs (structural, so tests can fake it). */
export interface ConfigurationLike {
  get<T>(section: string): T | undefined;
}

function sameType(value: unknown, fallback: unknown): boolean {
  return typeof value === typeof fallback;
}

/** Reads `ferry.*` settings, falling back to the default for a missing or mistyped value. */
export function readSettings(cfg: ConfigurationLike): FerrySettings {
  const out = { ...SETTING_DEFAULTS } as Record<string, unknown>;
  for (const key of Object.keys(SETTING_DEFAULTS) as SettingKey[]) {
    const value = cfg.get<unknown>(key);
    if (value !== undefined && value !== null && sameType(value, SETTING_DEFAULTS[key])) out[key] = value;
  }
  return out as unknown as FerrySettings;
}
