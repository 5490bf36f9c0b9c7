// The same profiles as sql.ts computes in Athena, computed here from rows: what "pull both
// datasets to the laptop and compute locally" costs (bench/drift), and a cross-check of the SQL in
// the tests. Deciles are exact (linear interpolation between order statistics, numpy's default),
// distinct counts exact; Athena's are approximate.
import { BinSpec, ColumnProfile, DatasetProfile, DECILES, DriftColumn, numericBin, TOP_CATEGORIES, TOP_SHOWN } from './profile';

class Floats {
  data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  sorted(): Float64Array {
    return this.data.subarray(0, this.length).sort();
  }
}

export function quantiles(sorted: Float64Array, qs: number[]): number[] {
  return qs.map((q) => {
    const pos = (sorted.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  });
}

interface Acc {
  nonNull: number;
  sum: number;
  min: number;
  max: number;
  values?: Floats;
  distinct: Set<number | string>;
  counts?: Map<string, number>;
  bins?: number[];
}

export class LocalProfiler {
  private rows = 0;
  private readonly acc: Acc[];

  /** Without `specs` this profiles the baseline (its own deciles and categories). */
  constructor(
    private readonly columns: DriftColumn[],
    private readonly specs?: Record<string, BinSpec | undefined>,
  ) {
    this.acc = columns.map((c) => ({
      nonNull: 0,
      sum: 0,
      min: Infinity,
      max: -Infinity,
      distinct: new Set(),
      values: c.kind === 'numeric' && !specs ? new Floats() : undefined,
      counts: c.kind === 'categorical' ? new Map() : undefined,
      bins: specs?.[c.name]
        ? new Array((specs[c.name]!.kind === 'numeric' ? DECILES.length + 1 : (specs[c.name] as { categories: string[] }).categories.length + 1) + 1).fill(0)
        : undefined,
    }));
  }

  /** One row: the cells of the columns in order, as text (null or '' for a missing value). */
  add(cells: Array<string | null | undefined>): void {
    this.rows++;
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i];
      const a = this.acc[i];
      const raw = cells[i];
      if (c.kind === 'numeric') {
        const v = raw === null || raw === undefined || raw.trim() === '' ? NaN : Number(raw);
        if (Number.isNaN(v)) continue;
        a.nonNull++;
        a.sum += v;
        if (v < a.min) a.min = v;
        if (v > a.max) a.max = v;
        a.distinct.add(v);
        a.values?.push(v);
        const spec = this.specs?.[c.name];
        if (spec?.kind === 'numeric' && a.bins) a.bins[numericBin(v, spec.edges) - 1]++;
      } else if (c.kind === 'categorical') {
        if (raw === null || raw === undefined || raw === '') continue;
        a.nonNull++;
        a.counts!.set(raw, (a.counts!.get(raw) ?? 0) + 1);
        const spec = this.specs?.[c.name];
        if (spec?.kind === 'categorical' && a.bins) {
          const at = spec.categories.indexOf(raw);
          a.bins[at >= 0 ? at : spec.categories.length]++;
        }
      } else if (raw !== null && raw !== undefined && raw !== '') {
        a.nonNull++;
        a.distinct.add(raw);
      }
    }
  }

  finish(): { profile: DatasetProfile; specs: Record<string, BinSpec | undefined> } {
    const profile: DatasetProfile = { rows: this.rows, columns: {} };
    const specs: Record<string, BinSpec | undefined> = { ...this.specs };
    this.columns.forEach((c, i) => {
      const a = this.acc[i];
      const p: ColumnProfile = { nonNull: a.nonNull };
      if (c.kind === 'numeric') {
        p.distinct = a.distinct.size;
        if (a.nonNull) Object.assign(p, { mean: a.sum / a.nonNull, min: a.min, max: a.max });
        if (!this.specs && a.values && a.nonNull) {
          const sorted = a.values.sorted();
          const edges = quantiles(sorted, DECILES);
          specs[c.name] = { kind: 'numeric', edges };
          const bins = new Array<number>(DECILES.length + 2).fill(0);
          for (const v of sorted) bins[numericBin(v, edges) - 1]++;
          a.bins = bins;
        }
      } else if (c.kind === 'categorical') {
        const entries = [...a.counts!.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
        p.distinct = entries.length;
        p.top = entries.slice(0, TOP_SHOWN).map(([value, count]) => ({ value, count }));
        if (!this.specs && a.nonNull) {
          const top = entries.slice(0, TOP_CATEGORIES);
          specs[c.name] = { kind: 'categorical', categories: top.map(([v]) => v) };
          const counted = top.reduce((n, [, v]) => n + v, 0);
          a.bins = [...top.map(([, v]) => v), a.nonNull - counted, 0];
        }
      } else {
        p.distinct = a.distinct.size;
      }
      if (a.bins) {
        a.bins[a.bins.length - 1] = this.rows - a.nonNull;
        p.bins = a.bins;
      }
      profile.columns[c.name] = p;
    });
    return { profile, specs };
  }
}
