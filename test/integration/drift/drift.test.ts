// Compare Datasets over real HTTP: two CSV datasets with a known shift in S3, profiled by the Athena
// stand-in with one query each. The plan column's PSI is worked out here by hand from the rows the
// test wrote (counts per category, then the formula), and must equal Ferry's; an unchanged column
// stays under the threshold; a single object is picked out of its folder ("$path"), a prefix takes
// every object under it; Athena tables work as well; the temporary tables are gone afterwards.
import assert from 'node:assert/strict';
import { compareDatasets } from '../../../src/aws/drift/compare';
import { driftOutputs, DRIFT_FLAG } from '../../../src/aws/drift/outputs';
import { Customer, customers, driftFixture, DriftFixture, toCsv } from './fixture';

/** PSI from two lists of counts, written out again here so that the test does not trust Ferry's. */
function psiByHand(a: number[], b: number[]): number {
  const na = a.reduce((s, x) => s + x, 0);
  const nb = b.reduce((s, x) => s + x, 0);
  let total = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === 0 && b[i] === 0) continue;
    const pa = Math.max(a[i] / na, 1e-4);
    const pb = Math.max(b[i] / nb, 1e-4);
    total += (pb - pa) * Math.log(pb / pa);
  }
  return total;
}

function countBy(rows: Customer[], key: (c: Customer) => string, order: string[]): number[] {
  return order.map((k) => rows.filter((c) => key(c) === k).length);
}

describe('Compare Datasets in the Athena stand-in', function () {
  this.timeout(180_000);
  let d: DriftFixture;
  const base = customers(1000, 11, 0);
  const newer = customers(1000, 12, 12);

  before(async () => {
    d = await driftFixture();
    await d.fx.put('drift/base/customers.csv', toCsv(base));
    // A sibling with other data: the object comparison must not read it.
    await d.fx.put('drift/base/other.csv', toCsv(customers(700, 99, 40).map((c) => ({ ...c, plan: 'enterprise' }))));
    await d.fx.put('drift/new/part-0.csv', toCsv(newer.slice(0, 500)));
    await d.fx.put('drift/new/part-1.csv', toCsv(newer.slice(500)));
  });
  after(async () => d?.fx.stop());

  const deps = () => ({ athena: d.athena, s3: async () => d.fx.s3Client, database: d.fx.database, catalog: 'AwsDataCatalog' });

  it('finds the shift of a CSV object against a prefix, with the PSI worked out by hand', async () => {
    const result = await compareDatasets(
      deps(),
      { kind: 's3', bucket: d.fx.bucket, key: 'drift/base/customers.csv' },
      { kind: 's3', bucket: d.fx.bucket, key: 'drift/new/' },
      { threshold: 0.2 },
    );
    const r = result.report;
    assert.equal(r.rowsA, 1000, 'only the one object, not its sibling');
    assert.equal(r.rowsB, 1000, 'both objects under the prefix');
    assert.equal(result.executions.length, 2, 'one query per dataset');

    const plan = r.columns.find((c) => c.name === 'plan')!;
    const spec = result.specs.plan;
    assert.equal(spec?.kind, 'categorical');
    const categories = (spec as { categories: string[] }).categories;
    assert.deepEqual([...categories].sort(), ['basic', 'plus', 'pro']);
    // Bins: each category, then "other" and nulls (none of either here).
    const expected = psiByHand([...countBy(base, (c) => c.plan, categories), 0, 0], [...countBy(newer, (c) => c.plan, categories), 0, 0]);
    assert.ok(Math.abs(plan.psi! - expected) < 1e-9, `plan PSI ${plan.psi} vs ${expected} by hand`);
    assert.ok(plan.psi! > 0.2 && plan.drifted, 'the plan mix moved');

    const region = r.columns.find((c) => c.name === 'region')!;
    const regions = (result.specs.region as { categories: string[] }).categories;
    const expectedRegion = psiByHand([...countBy(base, (c) => c.region, regions), 0, 0], [...countBy(newer, (c) => c.region, regions), 0, 0]);
    assert.ok(Math.abs(region.psi! - expectedRegion) < 1e-9, `region PSI ${region.psi} vs ${expectedRegion}`);
    assert.equal(region.drifted, false);

    const tenure = r.columns.find((c) => c.name === 'tenure')!;
    assert.ok(tenure.psi! > 0.2 && tenure.drifted, `tenure moved by 12 months: PSI ${tenure.psi}`);
    assert.equal(tenure.a.min, Math.min(...base.map((c) => c.tenure)));
    assert.equal(tenure.b.max, Math.max(...newer.map((c) => c.tenure)));
    assert.ok(Math.abs((tenure.a.mean as number) - base.reduce((s, c) => s + c.tenure, 0) / 1000) < 1e-9);

    const spend = r.columns.find((c) => c.name === 'spend')!;
    assert.equal(spend.a.nullRate, base.filter((c) => c.spend === null).length / 1000);
    const distinct = new Set(base.filter((c) => c.spend !== null).map((c) => c.spend)).size;
    // Athena's approx_distinct errs by about 2%: the check leaves it room.
    assert.ok(Math.abs((spend.a.distinct ?? 0) - distinct) <= distinct * 0.05, `${spend.a.distinct} distinct of about ${distinct}`);

    // Sorted by drift, highest first, and the table says which drifted.
    const psis = r.columns.map((c) => c.psi ?? -1);
    assert.deepEqual(
      psis,
      [...psis].sort((x, y) => y - x),
    );
    const table = driftOutputs(r, result.labels)[0];
    assert.equal(table.kind, 'table');
    const rows = (table as { rows: unknown[][] }).rows;
    assert.equal(rows.find((row) => row[0] === 'plan')?.[3], DRIFT_FLAG);
    assert.equal(rows.find((row) => row[0] === 'region')?.[3], 'ok');

    // The temporary tables are gone.
    const tables = await d.athena.listTables('AwsDataCatalog', d.fx.database);
    assert.deepEqual(
      tables.items.map((t) => t.Name).filter((n) => n?.startsWith('ferry_drift_')),
      [],
    );
  });

  it('compares two Athena tables the same way, and the SQL names no temporary table', async () => {
    for (const [name, prefix] of [
      ['base_customers', 'drift/base/'],
      ['new_customers', 'drift/new/'],
    ]) {
      const q = await d.fx.run(
        `CREATE EXTERNAL TABLE ${name} (tenure bigint, spend double, plan string, region string) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://${d.fx.bucket}/${prefix}' TBLPROPERTIES ('skip.header.line.count'='1')`,
      );
      assert.equal(q.Status?.State, 'SUCCEEDED', q.Status?.StateChangeReason);
    }
    const result = await compareDatasets(
      deps(),
      { kind: 'table', database: d.fx.database, table: 'new_customers' },
      { kind: 'table', database: d.fx.database, table: 'base_customers' },
      { threshold: 0.2 },
    );
    assert.equal(result.report.rowsA, 1000);
    assert.equal(result.report.rowsB, 1700, 'the table reads both objects of base/');
    assert.doesNotMatch(result.sql.join('\n'), /ferry_drift_/);
    const plan = result.report.columns.find((c) => c.name === 'plan')!;
    // "enterprise" is no category of the baseline: it lands in "other".
    const cats = (result.specs.plan as { categories: string[] }).categories;
    const other = 700;
    const expected = psiByHand([...countBy(newer, (c) => c.plan, cats), 0, 0], [...countBy(base, (c) => c.plan, cats), other, 0]);
    assert.ok(Math.abs(plan.psi! - expected) < 1e-9, `plan PSI ${plan.psi} vs ${expected}`);
  });

  it('says plainly when the datasets share no column, and still drops its tables', async () => {
    await d.fx.put('drift/odd/x.csv', 'a,b\n1,2\n');
    await assert.rejects(
      compareDatasets(
        deps(),
        { kind: 's3', bucket: d.fx.bucket, key: 'drift/odd/x.csv' },
        { kind: 's3', bucket: d.fx.bucket, key: 'drift/new/' },
        { threshold: 0.2 },
      ),
      /no column in common/,
    );
    const tables = await d.athena.listTables('AwsDataCatalog', d.fx.database);
    assert.deepEqual(
      tables.items.map((t) => t.Name).filter((n) => n?.startsWith('ferry_drift_')),
      [],
    );
  });
});
