// The output caps a real cluster applies to Command Execution 1.2 results, so that the stand-in is
// never kinder than the service (docs/reference/services-2026.md §1.1, "NBLIM": the Databricks
// page "Known limitations of Databricks notebooks"):
// - text results: 50,000 characters on DBR 16.4 LTS and below, unless the cluster's Spark conf
//   `spark.databricks.driver.maxReplOutputLength` sets another cap (DBR 12.2+, up to 20 MB);
//   10 MB on DBR 17.0 and above (truncated, not failed);
// - table results: 10,000 rows or 2 MB, whichever comes first, with `truncated: true`.
// How the real service marks a cut text result on the 1.2 wire: older runtimes put an inline line
// `*** WARNING: skipped N bytes of output ***` in `data` [observed, mrchristine/db-migration#14];
// that it keeps the head and drops the rest, and the DBR 17 marker text, are [unconfirmed] — the
// stand-in keeps the head and appends the older marker for every runtime.

export const LTS_TEXT_CAP = 50_000;
export const DBR17_TEXT_CAP = 10 * 1024 * 1024;
export const MAX_CONF_TEXT_CAP = 20 * 1024 * 1024;
export const TABLE_ROW_CAP = 10_000;
export const TABLE_BYTE_CAP = 2 * 1024 * 1024;
export const OUTPUT_LENGTH_CONF = 'spark.databricks.driver.maxReplOutputLength';

/** The major runtime version of a `spark_version` key (`14.3.x-scala2.12` → 14), or undefined. */
export function runtimeMajor(sparkVersion: unknown): number | undefined {
  const m = /^(\d+)\.\d+/.exec(String(sparkVersion ?? ''));
  return m ? Number(m[1]) : undefined;
}

/** The text-result cap of a cluster, from its `spark_version` and `spark_conf`. */
export function textCapOf(details: { spark_version?: unknown; spark_conf?: unknown }): number {
  const major = runtimeMajor(details.spark_version);
  if (major !== undefined && major >= 17) return DBR17_TEXT_CAP;
  const conf = (details.spark_conf ?? {}) as Record<string, unknown>;
  const set = Number(conf[OUTPUT_LENGTH_CONF]);
  if (Number.isFinite(set) && set > 0 && (major === undefined || major >= 12)) return Math.min(Math.floor(set), MAX_CONF_TEXT_CAP);
  return LTS_TEXT_CAP;
}

export function skippedMarker(skippedBytes: number): string {
  return `\n*** WARNING: skipped ${skippedBytes} bytes of output ***\n`;
}

/** Applies the caps to one finished command's results (a new object; the input is not changed). */
export function capResults(results: Record<string, unknown>, textCap: number): Record<string, unknown> {
  if (results.resultType === 'text' && typeof results.data === 'string' && results.data.length > textCap) {
    const data = results.data;
    const kept = data.slice(0, textCap);
    return { ...results, data: kept + skippedMarker(Buffer.byteLength(data.slice(textCap), 'utf8')) };
  }
  if (results.resultType === 'table' && Array.isArray(results.data)) {
    let rows = results.data as unknown[];
    let truncated = results.truncated === true;
    if (rows.length > TABLE_ROW_CAP) {
      rows = rows.slice(0, TABLE_ROW_CAP);
      truncated = true;
    }
    let bytes = 2;
    for (let i = 0; i < rows.length; i++) {
      bytes += Buffer.byteLength(JSON.stringify(rows[i]), 'utf8') + 1;
      if (bytes > TABLE_BYTE_CAP) {
        rows = rows.slice(0, i);
        truncated = true;
        break;
      }
    }
    return { ...results, data: rows, truncated };
  }
  return results;
}

/** Characters of a result as Ferry reads it: the text, or the JSON of a table's rows (for the request log). */
export function resultChars(results: Record<string, unknown> | undefined): number {
  if (!results) return 0;
  if (typeof results.data === 'string') return results.data.length;
  if (results.data !== undefined) return JSON.stringify(results.data).length;
  return JSON.stringify(results).length;
}
