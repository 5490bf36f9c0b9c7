// How many characters one command result may carry on a cluster. Real clusters cap a command's
// text result: 50,000 characters on Databricks Runtime 16.4 LTS and below unless the Spark conf
// `spark.databricks.driver.maxReplOutputLength` sets another cap; 10 MB (truncated) on 17.0+
// (docs.databricks.com, "Known limitations of Databricks notebooks"). Ferry keeps every result it
// reads under 45,000 characters whatever the runtime, and under the cluster's own cap when that is
// lower; a cap it cannot know (a custom runtime, no cluster details) is taken to be 50,000.

export const DEFAULT_TEXT_CAP = 50_000;
export const MAX_RESULT_CHARS = 45_000;
/** Room kept below the cap for what the REPL itself adds to a result. */
const MARGIN = 1_000;
const CONF = 'spark.databricks.driver.maxReplOutputLength';

export interface ClusterOutputFacts {
  spark_version?: string;
  spark_conf?: Record<string, unknown>;
}

/** The cluster's text-result cap as far as Ferry can tell. */
export function textCapOf(cluster: ClusterOutputFacts | undefined): number {
  const m = /^(\d+)\.\d+/.exec(cluster?.spark_version ?? '');
  if (!m) return DEFAULT_TEXT_CAP;
  const major = Number(m[1]);
  if (major >= 17) return 10 * 1024 * 1024;
  const set = Number(cluster?.spark_conf?.[CONF]);
  return Number.isFinite(set) && set > 0 && major >= 12 ? Math.floor(set) : DEFAULT_TEXT_CAP;
}

/** The characters Ferry lets one result carry on this cluster. */
export function resultBudget(cluster: ClusterOutputFacts | undefined): number {
  return Math.max(2_000, Math.min(MAX_RESULT_CHARS, textCapOf(cluster) - MARGIN));
}
