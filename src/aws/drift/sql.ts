// The SQL of Compare Datasets: one query per dataset, run in Athena, so that datasets of any size
// are profiled where they live and only a few hundred rows of counts come back.
//
// The baseline's query computes its deciles (approx_percentile, in a CTE) and, in the same
// statement, its counts in those bins; the comparison's query gets the baseline's edges and top
// categories as literals. Both make one pass over the rows with GROUPING SETS: the empty set holds
// each column's totals (count, approx_distinct, avg, min, max), one set per numeric column its bin
// counts, one per text column its value counts (cut to the most frequent by row_number), and, in
// the comparison, one per text column its counts over the baseline's categories.
//
// Written for Athena engine 3 (Trino) and DuckDB alike (the stand-in runs DuckDB behind Athena's
// protocol): it relies on WITH, CROSS JOIN, TRY_CAST, CASE, GROUPING SETS with grouping(),
// count/avg/min/max, approx_percentile(x, ARRAY[…]) with 1-based array subscripts,
// approx_distinct, row_number() OVER (PARTITION BY … ORDER BY …), CAST(… AS varchar|double),
// double literals in exponent form (1.25e+1) and "quoted" identifiers. Aliases are lower case
// (Athena lowercases result column names).
import { quoteIdent } from '../athena/tableDdl';
import type { ResultCell } from '../../results/model';
import { BinSpec, ColumnProfile, DatasetProfile, DECILES, DriftColumn, TOP_CATEGORIES, TOP_SHOWN } from './profile';

/** Where a dataset's rows are: a qualified table, and a filter (one object of a table's folder). */
export interface SqlSource {
  /** `"db"."table"`, quoted. */
  table: string;
  where?: string;
}

export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A double literal both engines read as a double (not Trino's DECIMAL). */
export function sqlDouble(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
  return v.toExponential();
}

const num = (i: number) => `TRY_CAST(x${i} AS double)`;

function srcCte(src: SqlSource, columns: DriftColumn[]): string {
  const cols = columns.map((c, i) => `${quoteIdent(c.name)} AS x${i}`).join(', ');
  return `src AS (SELECT ${cols} FROM ${src.table}${src.where ? ` WHERE ${src.where}` : ''})`;
}

function binCase(i: number, edge: (j: number) => string): string {
  const whens = DECILES.map((_, j) => `WHEN ${num(i)} < ${edge(j)} THEN ${j + 1}`).join(' ');
  return `CASE WHEN ${num(i)} IS NULL THEN NULL ${whens} ELSE ${DECILES.length + 1} END`;
}

interface Parts {
  /** Expressions of the binned CTE. */
  select: string[];
  /** Grouping columns (one grouping set each). */
  keys: string[];
  /** Aggregates of the grouped select. */
  aggregates: string[];
}

function totals(c: DriftColumn, i: number, parts: Parts): void {
  if (c.kind === 'numeric') {
    parts.select.push(`${num(i)} AS v${i}`);
    parts.aggregates.push(
      `count(v${i}) AS nn${i}`,
      `approx_distinct(v${i}) AS d${i}`,
      `avg(v${i}) AS mean${i}`,
      `min(v${i}) AS min${i}`,
      `max(v${i}) AS max${i}`,
    );
  } else if (c.kind === 'categorical') {
    parts.select.push(`CAST(x${i} AS varchar) AS c${i}`);
    parts.keys.push(`c${i}`);
    parts.aggregates.push(`count(c${i}) AS nn${i}`, `approx_distinct(c${i}) AS d${i}`);
  } else if (c.kind === 'temporal') {
    parts.select.push(`x${i} AS o${i}`);
    parts.aggregates.push(
      `count(o${i}) AS nn${i}`,
      `approx_distinct(o${i}) AS d${i}`,
      `CAST(min(o${i}) AS varchar) AS min${i}`,
      `CAST(max(o${i}) AS varchar) AS max${i}`,
    );
  } else {
    parts.select.push(`x${i} AS o${i}`);
    parts.aggregates.push(`count(o${i}) AS nn${i}`);
  }
}

function assemble(ctes: string[], from: string, parts: Parts): string {
  const label = parts.keys.length ? `CASE ${parts.keys.map((k) => `WHEN grouping(${k}) = 0 THEN '${k}'`).join(' ')} ELSE 'all' END` : `'all'`;
  const key = parts.keys.length ? `CASE ${parts.keys.map((k) => `WHEN grouping(${k}) = 0 THEN CAST(${k} AS varchar)`).join(' ')} END` : 'CAST(NULL AS varchar)';
  const sets = ['()', ...parts.keys.map((k) => `(${k})`)].join(', ');
  const grouped = `grouped AS (SELECT ${label} AS part, ${key} AS k, count(*) AS n, ${parts.aggregates.join(', ')} FROM binned GROUP BY GROUPING SETS (${sets}))`;
  // Value counts of text columns are cut to the most frequent; bins and totals are all kept.
  return [
    `WITH ${[...ctes, `binned AS (SELECT ${parts.select.join(', ')} FROM ${from})`, grouped].join(',\n')}`,
    `SELECT * FROM (SELECT grouped.*, row_number() OVER (PARTITION BY part ORDER BY n DESC, k) AS rn FROM grouped) ranked`,
    `WHERE part NOT LIKE 'c%' OR rn <= ${TOP_CATEGORIES}`,
    `ORDER BY part, k`,
  ].join('\n');
}

/** The baseline's query: its deciles and its counts in them, its totals, its most frequent texts. */
export function baselineSql(src: SqlSource, columns: DriftColumn[]): string {
  const parts: Parts = { select: [], keys: [], aggregates: [] };
  const numeric = columns.map((c, i) => ({ c, i })).filter(({ c }) => c.kind === 'numeric');
  columns.forEach((c, i) => {
    totals(c, i, parts);
    if (c.kind !== 'numeric') return;
    parts.select.push(`${binCase(i, (j) => `edges.e${i}[${j + 1}]`)} AS b${i}`);
    parts.keys.push(`b${i}`);
    for (let j = 0; j < DECILES.length; j++) {
      parts.select.push(`edges.e${i}[${j + 1}] AS e${i}_${j + 1}`);
      parts.aggregates.push(`min(e${i}_${j + 1}) AS e${i}_${j + 1}`);
    }
  });
  const ctes = [srcCte(src, columns)];
  let from = 'src';
  if (numeric.length) {
    const q = `ARRAY[${DECILES.join(', ')}]`;
    ctes.push(`edges AS (SELECT ${numeric.map(({ i }) => `approx_percentile(${num(i)}, ${q}) AS e${i}`).join(', ')} FROM src)`);
    from = 'src CROSS JOIN edges';
  }
  return assemble(ctes, from, parts);
}

/** The comparison's query: its totals and texts, and its counts over the baseline's bins (given as literals). */
export function comparisonSql(src: SqlSource, columns: DriftColumn[], specs: Record<string, BinSpec | undefined>): string {
  const parts: Parts = { select: [], keys: [], aggregates: [] };
  columns.forEach((c, i) => {
    totals(c, i, parts);
    const spec = specs[c.name];
    if (spec?.kind === 'numeric') {
      parts.select.push(`${binCase(i, (j) => sqlDouble(spec.edges[j]))} AS b${i}`);
      parts.keys.push(`b${i}`);
    } else if (spec?.kind === 'categorical') {
      const whens = spec.categories.map((cat, j) => `WHEN CAST(x${i} AS varchar) = ${sqlString(cat)} THEN ${j + 1}`).join(' ');
      parts.select.push(`CASE WHEN x${i} IS NULL THEN NULL ${whens} ELSE 0 END AS m${i}`);
      parts.keys.push(`m${i}`);
    }
  });
  return assemble([srcCte(src, columns)], 'src', parts);
}

type Row = Record<string, ResultCell>;

const asNumber = (v: ResultCell | undefined): number | undefined => {
  if (v === null || v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
};
const asText = (v: ResultCell | undefined): string | undefined => (v === null || v === undefined ? undefined : String(v));

/** Result rows (cells by column name) from a table of column names and cells. */
export function rowsByName(columns: string[], rows: ResultCell[][]): Row[] {
  const names = columns.map((c) => c.toLowerCase());
  return rows.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? null])));
}

/**
 * A dataset's profile from its query's rows; with `specs` (the comparison) its bins follow the
 * baseline's, else (the baseline) the specs are read from the rows and returned.
 */
export function parseProfile(
  rows: Row[],
  columns: DriftColumn[],
  specs?: Record<string, BinSpec | undefined>,
): { profile: DatasetProfile; specs: Record<string, BinSpec | undefined> } {
  const all = rows.find((r) => r.part === 'all');
  if (!all) throw new Error('The profile query returned no totals row');
  const total = asNumber(all.n) ?? 0;
  const byPart = new Map<string, Row[]>();
  for (const r of rows) {
    const p = String(r.part);
    if (!byPart.has(p)) byPart.set(p, []);
    byPart.get(p)!.push(r);
  }
  const out: DatasetProfile = { rows: total, columns: {} };
  const outSpecs: Record<string, BinSpec | undefined> = {};
  columns.forEach((c, i) => {
    const nonNull = asNumber(all[`nn${i}`]) ?? 0;
    const p: ColumnProfile = { nonNull, distinct: asNumber(all[`d${i}`]) };
    if (c.kind === 'numeric') {
      p.mean = asNumber(all[`mean${i}`]);
      p.min = asNumber(all[`min${i}`]);
      p.max = asNumber(all[`max${i}`]);
      const spec: BinSpec | undefined = specs ? specs[c.name] : edgesOf(all, i);
      outSpecs[c.name] = spec;
      if (spec?.kind === 'numeric') {
        const bins = new Array<number>(DECILES.length + 2).fill(0);
        for (const r of byPart.get(`b${i}`) ?? []) {
          const k = asNumber(r.k);
          if (k !== undefined && k >= 1 && k <= DECILES.length + 1) bins[k - 1] += asNumber(r.n) ?? 0;
        }
        bins[DECILES.length + 1] = total - nonNull;
        p.bins = bins;
      }
    } else if (c.kind === 'categorical') {
      const values = (byPart.get(`c${i}`) ?? []).filter((r) => r.k !== null).map((r) => ({ value: asText(r.k) ?? '', count: asNumber(r.n) ?? 0 }));
      values.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
      p.top = values.slice(0, TOP_SHOWN);
      if (specs) {
        const spec = specs[c.name];
        outSpecs[c.name] = spec;
        if (spec?.kind === 'categorical') {
          const bins = new Array<number>(spec.categories.length + 2).fill(0);
          for (const r of byPart.get(`m${i}`) ?? []) {
            const k = asNumber(r.k);
            if (k === undefined) continue;
            const n = asNumber(r.n) ?? 0;
            if (k === 0) bins[spec.categories.length] += n;
            else if (k >= 1 && k <= spec.categories.length) bins[k - 1] += n;
          }
          bins[spec.categories.length + 1] = total - nonNull;
          p.bins = bins;
        }
      } else if (nonNull > 0) {
        const categories = values.slice(0, TOP_CATEGORIES).map((v) => v.value);
        outSpecs[c.name] = { kind: 'categorical', categories };
        const counted = values.slice(0, TOP_CATEGORIES).reduce((n, v) => n + v.count, 0);
        p.bins = [...values.slice(0, TOP_CATEGORIES).map((v) => v.count), nonNull - counted, total - nonNull];
      }
    } else if (c.kind === 'temporal') {
      p.min = asText(all[`min${i}`]);
      p.max = asText(all[`max${i}`]);
    }
    out.columns[c.name] = p;
  });
  return { profile: out, specs: outSpecs };
}

function edgesOf(all: Row, i: number): BinSpec | undefined {
  const edges: number[] = [];
  for (let j = 1; j <= DECILES.length; j++) {
    const e = asNumber(all[`e${i}_${j}`]);
    if (e === undefined) return undefined;
    edges.push(e);
  }
  return { kind: 'numeric', edges };
}
