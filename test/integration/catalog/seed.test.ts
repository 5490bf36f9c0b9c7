// The sandbox's Unity Catalog demo on the stand-in: the SQL warehouse's tables listed by Unity
// Catalog with their kinds and partition keys, the volume seeded twice without harm, the demo CSV
// readable on it, all through the services and page fetchers the Catalog view uses.
import assert from 'node:assert/strict';
import { previewVolumeFile } from '../../../src/databricks/volumePreview';
import { tablePages } from '../../../src/views/catalog/pages';
import { PagedList } from '../../../src/views/shared/paged';
import { customersCsv } from '../../../sandbox/demo/data';
import { seedUnityCatalog, UC_CATALOG, UC_CSV_PATH, UC_SCHEMA } from '../../../sandbox/demo/seed';
import { catalogFixture, CatalogFixture } from './fixture';

describe('sandbox demo: the Unity Catalog seed', function () {
  this.timeout(60_000);
  let f: CatalogFixture;
  before(async () => {
    f = await catalogFixture('seed');
  });
  after(() => f?.stop());

  it("lists the warehouse's tables in workspace.ferry_demo, and seeds the CSV on its volume twice without harm", async () => {
    const target = {
      region: 'us-east-1',
      s3: { endpoint: '', accessKeyId: '', secretAccessKey: '' },
      databricks: { host: f.db.url, token: f.db.token },
      workspaceDir: '.',
    };
    for (let i = 0; i < 2; i++) {
      const step = await seedUnityCatalog(target);
      assert.equal(step.status, 'done', step.detail);
    }
    const tables = new PagedList(tablePages(() => Promise.resolve(f.uc), UC_CATALOG, UC_SCHEMA));
    await tables.ensureLoaded();
    assert.deepEqual(
      tables.items.map((t) => [t.name, t.tableType]),
      [
        ['churn_by_region', 'VIEW'],
        ['customers', 'MANAGED'],
        ['events', 'MANAGED'],
        ['predictions', 'EXTERNAL'],
      ],
    );
    const predictions = await f.uc.getTable(`${UC_CATALOG}.${UC_SCHEMA}.predictions`);
    assert.deepEqual(
      predictions.columns?.filter((c) => c.partitionIndex !== undefined).map((c) => c.name),
      ['scored_date'],
    );
    assert.equal((await f.files.head(UC_CSV_PATH)).size, Buffer.byteLength(customersCsv()));
    const table = await previewVolumeFile(f.files, UC_CSV_PATH, { maxRows: 5 });
    assert.equal(table.columns[0].name, 'customer_id');
    assert.equal(table.rows[0][0], 'C00001');
  });

  it('reports a workspace that refuses the token as a failed step, without the token', async () => {
    const step = await seedUnityCatalog({
      region: 'us-east-1',
      s3: { endpoint: '', accessKeyId: '', secretAccessKey: '' },
      databricks: { host: f.db.url, token: 'dapi0123456789abcdef0123456789abcdef' },
      workspaceDir: '.',
    });
    assert.equal(step.status, 'failed');
    assert.match(step.detail, /403/);
    assert.doesNotMatch(step.detail, /dapi0123456789abcdef/);
  });
});
