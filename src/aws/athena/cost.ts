// The facts shown above an Athena result: state, data scanned, the cost estimate (price per TB with
// a minimum billed per query, both settings), engine time and total time.
import type { QueryExecution } from '@aws-sdk/client-athena';
import type { ResultFacts } from '../../results/model';
import { formatBytes as formatBytesAs } from '../../core/text';

export interface CostSettings {
  costPerTerabyteUsd: number;
  minimumBilledMegabytes: number;
}

const TB = 1024 ** 4;
const MB = 1024 ** 2;

/** Athena bills scanned bytes rounded up to the minimum per query; DDL and failed-at-parse queries scan nothing and cost nothing. */
export function estimateCostUsd(scannedBytes: number, s: CostSettings): number {
  if (!scannedBytes || scannedBytes <= 0) return 0;
  const billed = Math.max(scannedBytes, s.minimumBilledMegabytes * MB);
  return (billed / TB) * s.costPerTerabyteUsd;
}

/** Data scanned, which is billed: three significant digits ("1.50 KB"). */
export function formatBytes(bytes: number): string {
  return formatBytesAs(bytes, 'precise');
}

export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  // Small queries cost fractions of a cent: keep two significant digits rather than "$0.00".
  return usd < 0.01 ? `$${usd.toFixed(Math.min(10, 1 - Math.floor(Math.log10(usd))))}` : `$${usd.toFixed(2)}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function queryFacts(q: QueryExecution, s: CostSettings, rowsNote?: string): ResultFacts {
  const stats = q.Statistics ?? {};
  const scanned = stats.DataScannedInBytes ?? 0;
  const facts: ResultFacts = [
    { label: 'State', value: q.Status?.State ?? 'UNKNOWN' },
    { label: 'Data scanned', value: formatBytes(scanned) },
    { label: 'Cost estimate', value: formatUsd(estimateCostUsd(scanned, s)) },
    { label: 'Engine time', value: formatDuration(stats.EngineExecutionTimeInMillis ?? 0) },
  ];
  if (stats.TotalExecutionTimeInMillis !== undefined) facts.push({ label: 'Total time', value: formatDuration(stats.TotalExecutionTimeInMillis) });
  if (q.QueryExecutionContext?.Database) facts.push({ label: 'Database', value: q.QueryExecutionContext.Database });
  if (rowsNote) facts.push({ label: 'Rows', value: rowsNote });
  if (q.QueryExecutionId) facts.push({ label: 'Query ID', value: q.QueryExecutionId });
  return facts;
}
