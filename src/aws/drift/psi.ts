// The population stability index, and the drift report built from two profiles.
//
// PSI = Σ over bins of (b − a) · ln(b / a), where a and b are the shares of the baseline's and the
// comparison's rows in each bin. Bins are the baseline's deciles for numbers (plus one for nulls)
// and its most frequent categories for text (plus "other" and nulls): a shifted null rate is a
// shift too. A bin empty in both datasets is left out (repeated decile edges make such bins); a
// share of 0 on one side is taken as PSI_EPSILON, the usual guard against ln(0).
import { binLabels, BinSpec, ColumnKind, ColumnProfile, DatasetProfile, DriftColumn, TOP_CATEGORIES } from './profile';

export const PSI_EPSILON = 1e-4;
/** A text column with more distinct values than this share of its rows is taken for an identifier. */
export const IDENTIFIER_SHARE = 0.5;

export function psi(baseline: number[], comparison: number[]): number | undefined {
  const na = baseline.reduce((s, v) => s + v, 0);
  const nb = comparison.reduce((s, v) => s + v, 0);
  if (!na || !nb || baseline.length !== comparison.length) return undefined;
  let sum = 0;
  for (let i = 0; i < baseline.length; i++) {
    if (!baseline[i] && !comparison[i]) continue;
    const a = Math.max(baseline[i] / na, PSI_EPSILON);
    const b = Math.max(comparison[i] / nb, PSI_EPSILON);
    sum += (b - a) * Math.log(b / a);
  }
  return sum;
}

export interface ColumnStats {
  rows: number;
  nullRate: number;
  distinct?: number;
  mean?: number;
  min?: number | string;
  max?: number | string;
  top?: Array<{ value: string; share: number }>;
}

export interface ColumnDrift {
  name: string;
  kind: ColumnKind;
  sqlType: string;
  /** Undefined when the column cannot be compared (no values in the baseline, a type without bins, an identifier). */
  psi?: number;
  /** Why there is no PSI, when there is a reason to give. */
  note?: string;
  drifted: boolean;
  a: ColumnStats;
  b: ColumnStats;
  /** Shares per bin in each dataset, for the column's chart. */
  bins: Array<{ label: string; a: number; b: number }>;
}

export interface DriftReport {
  threshold: number;
  rowsA: number;
  rowsB: number;
  /** Sorted by PSI, highest first; columns without one last. */
  columns: ColumnDrift[];
  /** Columns only one of the datasets has. */
  onlyInA: string[];
  onlyInB: string[];
}

function stats(p: ColumnProfile | undefined, rows: number): ColumnStats {
  if (!p) return { rows, nullRate: 1 };
  return {
    rows,
    nullRate: rows ? (rows - p.nonNull) / rows : 0,
    distinct: p.distinct,
    mean: p.mean,
    min: p.min,
    max: p.max,
    top: p.top?.map((t) => ({ value: t.value, share: p.nonNull ? t.count / p.nonNull : 0 })),
  };
}

export function driftReport(
  columns: DriftColumn[],
  a: DatasetProfile,
  b: DatasetProfile,
  specs: Record<string, BinSpec | undefined>,
  threshold: number,
  only: { a: string[]; b: string[] } = { a: [], b: [] },
): DriftReport {
  const out: ColumnDrift[] = columns.map((c) => {
    const pa = a.columns[c.name];
    const pb = b.columns[c.name];
    const spec = specs[c.name];
    // A text column whose values are almost all different (an id) has no distribution to compare.
    const identifier = c.kind === 'categorical' && !!pa && (pa.distinct ?? 0) > Math.max(TOP_CATEGORIES, pa.nonNull * IDENTIFIER_SHARE);
    const value = pa?.bins && pb?.bins && !identifier ? psi(pa.bins, pb.bins) : undefined;
    const bins: ColumnDrift['bins'] = [];
    if (spec && pa?.bins && pb?.bins && !identifier) {
      const labels = binLabels(spec);
      const sa = pa.bins.reduce((s, v) => s + v, 0) || 1;
      const sb = pb.bins.reduce((s, v) => s + v, 0) || 1;
      labels.forEach((label, i) => {
        if (pa.bins![i] || pb.bins![i]) bins.push({ label, a: pa.bins![i] / sa, b: pb.bins![i] / sb });
      });
    }
    const note = identifier
      ? 'an identifier (almost every value differs)'
      : value === undefined
        ? c.kind === 'temporal' || c.kind === 'other'
          ? `not binned (${c.sqlType})`
          : 'no values in A'
        : undefined;
    return {
      name: c.name,
      kind: c.kind,
      sqlType: c.sqlType,
      psi: value,
      note,
      drifted: value !== undefined && value > threshold,
      a: stats(pa, a.rows),
      b: stats(pb, b.rows),
      bins,
    };
  });
  out.sort((x, y) => (y.psi ?? -1) - (x.psi ?? -1) || x.name.localeCompare(y.name));
  return { threshold, rowsA: a.rows, rowsB: b.rows, columns: out, onlyInA: only.a, onlyInB: only.b };
}
