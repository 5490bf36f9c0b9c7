// The Catalog view's paging over real HTTP: the page fetchers the tree uses (views/catalog/pages.ts)
// in the tree kit's PagedList, against the stand-in's Unity Catalog with 1,234 tables in a schema,
// and the reference's traps: server-chosen page sizes, empty pages that carry a token, fields a
// Go-built server leaves out, a refresh while a page is in flight, a throttled page.
import assert from 'node:assert/strict';
import { DatabricksClient } from '../../../src/databricks/client';
import { UnityCatalogService } from '../../../src/databricks/unityCatalog';
import { catalogPages, schemaPages, tablePages, volumePages } from '../../../src/views/catalog/pages';
import { failureGroup } from '../../../src/views/shared/failures';
import { PagedList } from '../../../src/views/shared/paged';
import { CatalogFixture, catalogFixture, createSchema, createVolume } from './fixture';

const TABLES = 1234;
const TABLES_PATH = 'GET /api/2.1/unity-catalog/tables';

describe('Catalog tree paging against the stand-in (1,234 tables)', function () {
  this.timeout(120_000);
  let f: CatalogFixture;
  const uc = () => Promise.resolve(f.uc);

  async function tableRequests(): Promise<number> {
    return (await f.admin<{ counts: Record<string, number> }>('GET', '/requests')).counts[TABLES_PATH] ?? 0;
  }

  before(async () => {
    f = await catalogFixture('tree');
    await createSchema(f, 'big');
    await f.admin('POST', '/unity-catalog/tables', { catalog_name: f.catalog, schema_name: 'big', count: TABLES, prefix: 'events_' });
    await createSchema(f, 'small');
    await f.admin('POST', '/unity-catalog/tables', {
      catalog_name: f.catalog,
      schema_name: 'small',
      tables: [
        {
          name: 'orders',
          data_source_format: 'PARQUET',
          table_type: 'EXTERNAL',
          comment: 'Orders',
          columns: [
            { name: 'id', type_text: 'bigint', comment: 'Order id' },
            { name: 'amount', type_text: 'decimal(10,2)', nullable: false },
            { name: 'day', type_text: 'date', partition_index: 0 },
          ],
        },
        {
          name: 'orders_by_day',
          table_type: 'VIEW',
          view_definition: 'SELECT day, sum(amount) FROM orders GROUP BY day',
          columns: [
            { name: 'day', type_text: 'date' },
            { name: 'total', type_text: 'decimal(20,2)' },
          ],
        },
      ],
    });
    await createVolume(f, 'small', 'landing');
  });
  afterEach(async () => {
    await f.admin('POST', '/unity-catalog', {});
    await f.admin('POST', '/faults', {});
  });
  after(() => f?.stop());

  it('shows the first page of tables at once, loads each further page once however often Load more… is clicked, and ends with every table once', async () => {
    const before = await tableRequests();
    const list = new PagedList(tablePages(uc, f.catalog, 'big'), { key: (t) => t.fullName });
    await list.ensureLoaded();
    assert.equal(list.items.length, 50, 'the first page is the server-chosen size (max_results=0)');
    assert.equal(list.hasMore, true);
    let clicks = 0;
    while (list.hasMore) {
      // A double click: both calls share the one request in flight.
      await Promise.all([list.loadMore(), list.loadMore()]);
      clicks++;
    }
    const requests = (await tableRequests()) - before;
    console.log(`      ${list.items.length} tables in ${requests} requests (${clicks} Load more… double clicks)`);
    assert.equal(list.items.length, TABLES);
    assert.equal(new Set(list.items.map((t) => t.name)).size, TABLES, 'every table once');
    assert.equal(requests, Math.ceil(TABLES / 50), 'one request per page, none twice');
    assert.equal(list.items[0].name, 'events_00000');
    assert.equal(list.items[TABLES - 1].name, `events_${String(TABLES - 1).padStart(5, '0')}`);
    assert.ok(
      list.items.every((t) => t.columns === undefined),
      'the listing leaves columns out; they come when a table is expanded',
    );
  });

  it('follows empty pages that still carry a token, so the tree never shows an empty page with Load more…', async () => {
    await f.admin('POST', '/unity-catalog', { emptyPageEvery: 2 });
    const list = new PagedList(tablePages(uc, f.catalog, 'big'), { key: (t) => t.fullName });
    await list.ensureLoaded();
    assert.ok(list.items.length > 0, 'the first load went past the empty page');
    while (list.hasMore) await list.loadMore();
    assert.equal(list.items.length, TABLES, 'nothing lost, nothing twice');
  });

  it('gets a table with its columns, types, comments and partition keys, and defaults what a Go-built server leaves out', async () => {
    const orders = await f.uc.getTable(`${f.catalog}.small.orders`);
    assert.equal(orders.tableType, 'EXTERNAL');
    assert.equal(orders.dataSourceFormat, 'PARQUET');
    assert.deepEqual(
      orders.columns?.map((c) => [c.name, c.typeText, c.position, c.nullable, c.partitionIndex, c.comment]),
      [
        ['id', 'bigint', 0, true, undefined, 'Order id'],
        ['amount', 'decimal(10,2)', 1, false, undefined, undefined],
        ['day', 'date', 2, true, 0, undefined],
      ],
    );
    const view = await f.uc.getTable(`${f.catalog}.small.orders_by_day`);
    assert.equal(view.tableType, 'VIEW');
    assert.equal(view.dataSourceFormat, undefined);
    await f.admin('POST', '/unity-catalog', { omitDefaults: true });
    const sparse = await f.uc.getTable(`${f.catalog}.small.orders`);
    assert.deepEqual(
      sparse.columns?.map((c) => [c.name, c.position, c.nullable]),
      [
        ['id', 0, true],
        ['amount', 1, true],
        ['day', 2, true],
      ],
      'position 0 is taken from the order; a dropped nullable is the documented default (true)',
    );
  });

  it('lists catalogs, schemas and volumes through the same kit', async () => {
    const catalogs = new PagedList(catalogPages(uc), { key: (c) => c.name });
    assert.ok(await catalogs.find((c) => c.name === f.catalog), 'the suite catalog is listed');
    const schemas = new PagedList(schemaPages(uc, f.catalog));
    await schemas.ensureLoaded();
    assert.deepEqual(
      schemas.items.map((s) => s.name),
      ['big', 'small'],
    );
    const volumes = new PagedList(volumePages(uc, f.catalog, 'small'));
    await volumes.ensureLoaded();
    assert.deepEqual(
      volumes.items.map((v) => [v.name, v.volumeType, v.fullName]),
      [['landing', 'MANAGED', `${f.catalog}.small.landing`]],
    );
  });

  it('drops a page still in flight when the tree is refreshed, over real HTTP', async () => {
    await f.admin('POST', '/faults', { latencyMs: 300 });
    const list = new PagedList(tablePages(uc, f.catalog, 'big'), { key: (t) => t.fullName });
    await list.ensureLoaded();
    const stale = list.loadMore();
    list.reset();
    await Promise.all([stale, list.ensureLoaded()]);
    assert.equal(list.items.length, 50, 'only the fresh first page');
    assert.equal(list.items[0].name, 'events_00000');
  });

  it('retries a throttled page and shows the page; a missing schema becomes a failure the tree shows', async () => {
    await f.admin('POST', '/faults', { failNext: { count: 1, status: 429, match: 'unity-catalog/tables' }, retryAfterSeconds: 0 });
    const list = new PagedList(tablePages(uc, f.catalog, 'big'));
    await list.ensureLoaded();
    assert.equal(list.failed, false);
    assert.equal(list.items.length, 50);
    const missing = new PagedList(tablePages(uc, f.catalog, 'no_such_schema'));
    await missing.ensureLoaded();
    assert.equal(missing.failed, true);
    assert.match(String((missing.error as Error).message), /does not exist/);
  });

  it('a token the workspace refuses becomes a sign-in failure of the tree, not an empty catalog list', async () => {
    const refused = new UnityCatalogService(new DatabricksClient({ host: f.db.url, token: 'dapi0000000000000000000000000000dead', retry: { maxAttempts: 1 } }));
    const list = new PagedList(catalogPages(() => Promise.resolve(refused)));
    await list.ensureLoaded();
    assert.equal(list.failed, true);
    assert.equal(failureGroup(list.error), 'signIn');
    assert.deepEqual(list.items, []);
  });
});
