// What Compare Datasets computes, independent of where: each column's profile in a dataset (rows,
// nulls, distinct values, mean/min/max of numbers, the most frequent texts) and its counts over
// the bins of the first (baseline) dataset — the baseline's deciles for numbers, its most frequent
// categories for text — from which the population stability index follows (psi.ts). The SQL that
// computes profiles in Athena is in sql.ts; local.ts computes the same from rows.

export type ColumnKind = 'numeric' | 'categorical' | 'temporal' | 'other';

export interface DriftColumn {
  name: string;
  kind: ColumnKind;
  /** The type as the table declares it (`bigint`, `varchar(10)`). */
  sqlType: string;
}

/** The baseline's bins of a column: decile edges (9, ascending, may repeat) or its top categories. */
export type BinSpec = { kind: 'numeric'; edges: number[] } | { kind: 'categorical'; categories: string[] };

export interface ColumnProfile {
  nonNull: number;
  distinct?: number;
  mean?: number;
  min?: number | string;
  max?: number | string;
  /** Counts per bin of the baseline's BinSpec; the last bin counts the nulls (categorical: the one before it is "other"). */
  bins?: number[];
  /** The most frequent values and their counts, most frequent first. */
  top?: Array<{ value: string; count: number }>;
}

export interface DatasetProfile {
  rows: number;
  columns: Record<string, ColumnProfile>;
}

/** Deciles: the 9 cut points of 10 bins. */
export const DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
/** Categories of the baseline that get their own bin (the rest share "other"). */
export const TOP_CATEGORIES = 20;
/** Most frequent values shown per text column. */
export const TOP_SHOWN = 5;

const NUMERIC = /^(tinyint|smallint|int|integer|bigint|float|real|double|decimal|numeric)\b/i;
const TEXT = /^(string|varchar|char|boolean)\b/i;
const TEMPORAL = /^(date|timestamp|time)\b/i;

export function columnKind(sqlType: string): ColumnKind {
  const t = sqlType.trim();
  if (NUMERIC.test(t)) return 'numeric';
  if (TEXT.test(t)) return 'categorical';
  if (TEMPORAL.test(t)) return 'temporal';
  return 'other';
}

/** The bin a numeric value falls in (1-based, as the SQL numbers them): values below edge i go to bin i. */
export function numericBin(value: number, edges: number[]): number {
  for (let i = 0; i < edges.length; i++) if (value < edges[i]) return i + 1;
  return edges.length + 1;
}

/** Bin labels for charts and tables, zero-padded so that they sort in bin order. */
export function binLabels(spec: BinSpec): string[] {
  if (spec.kind === 'categorical') return [...spec.categories, '(other)', '(null)'];
  const fmt = (v: number) => String(Number(v.toPrecision(4)));
  const labels: string[] = [];
  for (let i = 0; i <= spec.edges.length; i++) {
    const lo = i === 0 ? undefined : spec.edges[i - 1];
    const hi = i === spec.edges.length ? undefined : spec.edges[i];
    const range = lo === undefined ? `< ${fmt(hi!)}` : hi === undefined ? `≥ ${fmt(lo)}` : `${fmt(lo)} – ${fmt(hi)}`;
    labels.push(`${String(i + 1).padStart(2, '0')}  ${range}`);
  }
  labels.push(`${String(spec.edges.length + 2).padStart(2, '0')}  (null)`);
  return labels;
}
