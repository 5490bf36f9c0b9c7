// Compare Datasets without servers: the PSI formula on counts worked out by hand, the bins of a
// value, the SQL's shape (one pass per dataset, what each query names), the parsing of a profile
// query's rows, and the local profiler (bench/drift's peer) on the sandbox's two customer files.
import assert from 'node:assert/strict';
import { LocalProfiler, quantiles } from '../../../src/aws/drift/local';
import { binLabels, columnKind, DriftColumn, numericBin } from '../../../src/aws/drift/profile';
import { driftReport, psi, PSI_EPSILON } from '../../../src/aws/drift/psi';
import { baselineSql, comparisonSql, parseProfile, sqlDouble } from '../../../src/aws/drift/sql';
import { customersCsv, generateCustomers, generateShiftedCustomers, RAW_COLUMNS } from '../../../sandbox/demo/data';

const COLUMNS: DriftColumn[] = [
  { name: 'tenure_months', kind: 'numeric', sqlType: 'bigint' },
  { name: 'plan', kind: 'categorical', sqlType: 'string' },
];

describe('drift: PSI and bins', () => {
  it('PSI of two distributions, checked by hand', () => {
    // shares a = .5 .3 .2, b = .2 .3 .5: (.2-.5)ln(.2/.5) + 0 + (.5-.2)ln(.5/.2) = 0.6 ln 2.5
    assert.ok(Math.abs(psi([50, 30, 20], [20, 30, 50])! - 0.6 * Math.log(2.5)) < 1e-12);
    assert.equal(psi([10, 10], [10, 10]), 0);
    // A bin empty in both is skipped; empty on one side counts as PSI_EPSILON.
    const one = psi([10, 0, 0], [5, 5, 0])!;
    assert.ok(Math.abs(one - ((0.5 - 1) * Math.log(0.5) + (0.5 - PSI_EPSILON) * Math.log(0.5 / PSI_EPSILON))) < 1e-12);
    assert.equal(psi([0, 0], [1, 1]), undefined, 'no baseline rows: nothing to compare');
  });

  it('puts a value below edge i into bin i, at or above the last edge into the last bin', () => {
    const edges = [10, 20, 20, 30];
    assert.equal(numericBin(5, edges), 1);
    assert.equal(numericBin(10, edges), 2);
    assert.equal(numericBin(20, edges), 4, 'repeated edges leave an empty bin between them');
    assert.equal(numericBin(31, edges), 5);
    assert.deepEqual(binLabels({ kind: 'categorical', categories: ['a', 'b'] }), ['a', 'b', '(other)', '(null)']);
    assert.equal(binLabels({ kind: 'numeric', edges: [1.5, 2] })[0], '01  < 1.5');
    assert.equal(binLabels({ kind: 'numeric', edges: [1.5, 2] }).at(-1), '04  (null)');
  });

  it('knows numeric, text and other types by their Athena names', () => {
    assert.deepEqual(['bigint', 'decimal(10,2)', 'double', 'varchar(20)', 'string', 'boolean', 'date', 'array<int>'].map(columnKind), [
      'numeric',
      'numeric',
      'numeric',
      'categorical',
      'categorical',
      'categorical',
      'temporal',
      'other',
    ]);
    assert.deepEqual(quantiles(Float64Array.from([1, 2, 3, 4, 5]), [0.5, 0.25]), [3, 2]);
  });
});

describe('drift: the SQL', () => {
  it('the baseline query computes its deciles once and bins in the same statement; the comparison takes them as double literals', () => {
    const a = baselineSql({ table: 'db."odd name"', where: `"$path" = 's3://b/k.csv'` }, COLUMNS);
    assert.equal((a.match(/approx_percentile\(/g) ?? []).length, 1);
    assert.match(a, /FROM db\."odd name" WHERE "\$path" = 's3:\/\/b\/k\.csv'/);
    assert.match(a, /GROUP BY GROUPING SETS \(\(\), \(b0\), \(c1\)\)/);
    assert.doesNotMatch(a, /SELECT \* FROM db/, 'names its columns: no hidden column in SELECT *');
    const b = comparisonSql({ table: 'db.b' }, COLUMNS, {
      tenure_months: { kind: 'numeric', edges: [1, 2.5, 3, 4, 5, 6, 7, 8, 9] },
      plan: { kind: 'categorical', categories: ["o'neil", 'pro'] },
    });
    assert.doesNotMatch(b, /approx_percentile/);
    assert.match(b, /< 2\.5e\+0 THEN 2/);
    assert.match(b, /= 'o''neil' THEN 1/, 'text literals are escaped');
    assert.equal(sqlDouble(0.1), '1e-1');
    assert.throws(() => sqlDouble(NaN));
  });

  it("reads a profile from the query's rows (numbers as text, as Athena sends them)", () => {
    const all = {
      part: 'all',
      k: null,
      n: '10',
      nn0: '9',
      d0: '5',
      mean0: '3.5',
      min0: '1',
      max0: '7',
      nn1: '10',
      d1: '2',
      ...Object.fromEntries(Array.from({ length: 9 }, (_, j) => [`e0_${j + 1}`, String(j + 1)])),
    };
    const rows = [
      all,
      { part: 'b0', k: '1', n: '4' },
      { part: 'b0', k: '10', n: '5' },
      { part: 'b0', k: null, n: '1' },
      { part: 'c1', k: 'basic', n: '7' },
      { part: 'c1', k: 'pro', n: '3' },
    ];
    const { profile, specs } = parseProfile(rows, COLUMNS);
    assert.equal(profile.rows, 10);
    assert.deepEqual(profile.columns.tenure_months.bins, [4, 0, 0, 0, 0, 0, 0, 0, 0, 5, 1]);
    assert.deepEqual(specs.plan, { kind: 'categorical', categories: ['basic', 'pro'] });
    assert.deepEqual(profile.columns.plan.bins, [7, 3, 0, 0]);
    assert.equal(profile.columns.tenure_months.mean, 3.5);
  });
});

describe("drift: the sandbox's two customer files", () => {
  it('the shifted file drifts in tenure, plan and support calls, not in region (local profiler)', () => {
    const cols: DriftColumn[] = RAW_COLUMNS.filter((c) => c !== 'customer_id' && c !== 'churned').map((name) => ({
      name,
      kind: ['region', 'plan'].includes(name) ? 'categorical' : 'numeric',
      sqlType: '',
    }));
    const rowsOf = (csv: string) =>
      csv
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','));
    const pick = (r: string[]) => cols.map((c) => r[RAW_COLUMNS.indexOf(c.name as (typeof RAW_COLUMNS)[number])]);
    const base = new LocalProfiler(cols);
    for (const r of rowsOf(customersCsv(generateCustomers()))) base.add(pick(r));
    const a = base.finish();
    const cmp = new LocalProfiler(cols, a.specs);
    for (const r of rowsOf(customersCsv(generateShiftedCustomers()))) cmp.add(pick(r));
    const b = cmp.finish();
    const report = driftReport(cols, a.profile, b.profile, a.specs, 0.2);
    const by = Object.fromEntries(report.columns.map((c) => [c.name, c]));
    for (const name of ['tenure_months', 'plan', 'support_calls']) assert.ok(by[name].drifted, `${name}: PSI ${by[name].psi}`);
    assert.ok(by.region.psi! < 0.05, `region: PSI ${by.region.psi}`);
    assert.equal(report.columns[0].drifted, true, 'the most drifted column comes first');
  });
});

describe('drift: identifiers', () => {
  it('does not compare a text column whose values are almost all different', () => {
    const cols: DriftColumn[] = [{ name: 'id', kind: 'categorical', sqlType: 'string' }];
    const a = new LocalProfiler(cols);
    for (let i = 0; i < 100; i++) a.add([`C${i}`]);
    const pa = a.finish();
    const b = new LocalProfiler(cols, pa.specs);
    for (let i = 0; i < 100; i++) b.add([`N${i}`]);
    const [col] = driftReport(cols, pa.profile, b.finish().profile, pa.specs, 0.2).columns;
    assert.equal(col.psi, undefined);
    assert.equal(col.drifted, false);
    assert.match(col.note ?? '', /identifier/);
  });
});
