import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { customersCsv, generateCustomers, prng, RAW_COLUMNS } from '../../../sandbox/demo/data';
import { demoRemoteDir, seedAthena, seedDatabricks } from '../../../sandbox/demo/seed';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

describe('sandbox demo content', () => {
  it('generates the same customers every time (a seeded PRNG)', () => {
    assert.equal(customersCsv(), customersCsv());
    assert.notEqual(customersCsv(generateCustomers(50, 1)), customersCsv(generateCustomers(50, 2)));
    const r = prng(7);
    const values = Array.from({ length: 1000 }, r);
    assert.ok(values.every((v) => v >= 0 && v < 1));
  });

  it('writes CSV with a header, one row per customer and LF line endings', () => {
    const csv = customersCsv(generateCustomers(10));
    const lines = csv.split('\n');
    assert.equal(lines[0], RAW_COLUMNS.join(','));
    assert.equal(lines.length, 12, 'header + 10 rows + the final newline');
    assert.doesNotMatch(csv, /\r/);
    assert.match(lines[1], /^C00001,(north|south|east|west),(basic|plus|pro),\d+,[\d.]+,\d+,[01]$/);
  });

  it('has a label a model can learn: churn is more common with short tenure and many support calls', () => {
    const rows = generateCustomers();
    const rate = (f: (c: (typeof rows)[number]) => boolean): number => {
      const sel = rows.filter(f);
      return sel.filter((c) => c.churned).length / sel.length;
    };
    const risky = rate((c) => c.tenure_months < 12 && c.support_calls >= 3);
    const safe = rate((c) => c.tenure_months > 48 && c.support_calls <= 1);
    assert.ok(risky > safe + 0.3, `risky ${risky.toFixed(2)} vs safe ${safe.toFixed(2)}`);
    const overall = rate(() => true);
    assert.ok(overall > 0.15 && overall < 0.85, `overall churn ${overall}`);
  });

  it('ships a training script, a notebook and a query in the demo workspace', () => {
    const ws = path.join(REPO, 'sandbox', 'demo', 'workspace');
    const train = fs.readFileSync(path.join(ws, 'train.py'), 'utf8');
    assert.match(train, /import boto3/);
    assert.match(train, /from sklearn/);
    assert.match(train, /AWS_ENDPOINT_URL/);
    assert.match(train, /predictions\/churn_predictions\.csv/);
    const nb = JSON.parse(fs.readFileSync(path.join(ws, 'explore.ipynb'), 'utf8')) as { nbformat: number; cells: Array<{ cell_type: string }> };
    assert.equal(nb.nbformat, 4);
    assert.ok(nb.cells.filter((c) => c.cell_type === 'code').length >= 2);
    assert.match(fs.readFileSync(path.join(ws, 'query.sql'), 'utf8'), /FROM ferry_demo\.predictions/);
  });

  it("puts the demo under the user's workspace folder, with / separators", () => {
    assert.equal(demoRemoteDir('sandbox@ferry.dev'), '/Workspace/Users/sandbox@ferry.dev/ferry-demo');
  });

  it('skips the Athena and Databricks seeding, without throwing, when their stand-ins are absent', async () => {
    const target = { region: 'us-east-1', s3: { endpoint: 'http://127.0.0.1:1', accessKeyId: 'a', secretAccessKey: 'b' }, workspaceDir: '/nowhere' };
    assert.deepEqual(await seedAthena(target), { name: 'Athena', status: 'skipped', detail: 'no Athena stand-in in this sandbox yet' });
    assert.equal((await seedDatabricks(target)).status, 'skipped');
  });
});
