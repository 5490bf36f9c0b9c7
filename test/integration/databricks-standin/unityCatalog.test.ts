// The stand-in's Unity Catalog and Files API on volumes, over real HTTP with no client library:
// the wire shapes, the paging rules and traps of the reference (services-2026.md §3), the errors,
// Range reads and the byte counters the preview tests rely on.
import assert from 'node:assert/strict';
import { uniqueSuffix } from '../standIns';
import { Api, connect } from './http';

const UC = '/api/2.1/unity-catalog';
const enc = (p: string): string => p.split('/').map(encodeURIComponent).join('/');

interface TablesPage {
  tables?: Array<{ name: string; full_name: string; table_type: string; data_source_format?: string; columns?: Array<Record<string, unknown>> }>;
  next_page_token?: string;
}

describe('Databricks stand-in: Unity Catalog and the Files API on volumes', () => {
  let api: Api;
  const catalog = `standin_${uniqueSuffix()}`;
  before(async () => {
    api = await connect();
    const c = await api.post(`${UC}/catalogs`, { name: catalog, comment: 'stand-in test' });
    assert.equal(c.status, 200, c.text);
    const s = await api.post(`${UC}/schemas`, { name: 'Sales', catalog_name: catalog });
    assert.equal(s.status, 200, s.text);
    assert.equal(s.body.full_name, `${catalog}.sales`, 'schema names are lowercased');
    const seeded = await api.admin<{ created: number }>('POST', '/unity-catalog/tables', {
      catalog_name: catalog,
      schema_name: 'sales',
      count: 120,
      prefix: 't_',
    });
    assert.equal(seeded.created, 120);
    const v = await api.post(`${UC}/volumes`, { name: 'raw', catalog_name: catalog, schema_name: 'sales', volume_type: 'MANAGED' });
    assert.equal(v.status, 200, v.text);
  });
  afterEach(async () => {
    await api.admin('POST', '/unity-catalog', {});
    await api.admin('POST', '/faults', {});
  });
  after(async () => {
    await api.call('DELETE', `${UC}/catalogs/${catalog}?force=true`);
    await api?.db.stop();
  });

  it('pages tables at the server-chosen size for max_results=0, caps larger sizes, and ends only when the token is missing', async () => {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await api.get<TablesPage>(`${UC}/tables`, {
        catalog_name: catalog,
        schema_name: 'sales',
        max_results: 0,
        ...(token ? { page_token: token } : {}),
      });
      assert.equal(r.status, 200, r.text);
      names.push(...(r.body.tables ?? []).map((t) => t.name));
      token = r.body.next_page_token;
      pages++;
    } while (token);
    assert.equal(pages, 3, '120 tables at 50 a page');
    assert.equal(new Set(names).size, 120);
    const capped = await api.get<TablesPage>(`${UC}/tables`, { catalog_name: catalog, schema_name: 'sales', max_results: 500 });
    assert.equal(capped.body.tables?.length, 50, 'the server caps the page');
    const small = await api.get<TablesPage>(`${UC}/tables`, { catalog_name: catalog, schema_name: 'sales', max_results: 7 });
    assert.equal(small.body.tables?.length, 7);
    const all = await api.get<TablesPage>(`${UC}/tables`, { catalog_name: catalog, schema_name: 'sales' });
    assert.equal(all.body.tables?.length, 120, 'no max_results: the deprecated unpaginated listing');
    assert.equal(all.body.next_page_token, undefined);
    const negative = await api.get(`${UC}/tables`, { catalog_name: catalog, schema_name: 'sales', max_results: -1 });
    assert.equal(negative.status, 400);
    assert.equal(negative.body.error_code, 'INVALID_PARAMETER_VALUE');
  });

  it('sends TableInfo and ColumnInfo with every field explicit, and omits columns when asked', async () => {
    const r = await api.get<{
      name: string;
      table_type: string;
      data_source_format: string;
      columns: Array<Record<string, unknown>>;
      storage_location: string;
    }>(`${UC}/tables/${catalog}.sales.t_00000`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.table_type, 'MANAGED');
    assert.equal(r.body.data_source_format, 'DELTA');
    assert.deepEqual(
      r.body.columns.map((c) => [c.name, c.type_text, c.type_name, c.position, c.nullable, c.partition_index]),
      [
        ['id', 'bigint', 'LONG', 0, true, undefined],
        ['value', 'double', 'DOUBLE', 1, true, undefined],
        ['day', 'date', 'DATE', 2, true, 0],
      ],
    );
    const omitted = await api.get<TablesPage>(`${UC}/tables`, { catalog_name: catalog, schema_name: 'sales', max_results: 2, omit_columns: true });
    assert.ok(omitted.body.tables?.every((t) => t.columns === undefined));
    assert.equal((await api.get<{ table_exists: boolean }>(`${UC}/tables/${catalog}.sales.t_00001/exists`)).body.table_exists, true);
    const missing = await api.get(`${UC}/tables/${catalog}.sales.nope`);
    assert.equal(missing.status, 404);
    assert.match(String(missing.body.message), /does not exist/);
  });

  it('quirks: an empty page that still carries a token, and Go-style omitted defaults', async () => {
    await api.admin('POST', '/unity-catalog', { emptyPageEvery: 1 });
    const empty = await api.get<TablesPage>(`${UC}/tables`, { catalog_name: catalog, schema_name: 'sales', max_results: 0 });
    assert.deepEqual(empty.body.tables, []);
    assert.ok(empty.body.next_page_token, 'no items, and still a token');
    await api.admin('POST', '/unity-catalog', { omitDefaults: true });
    const r = await api.get<{ columns: Array<Record<string, unknown>> }>(`${UC}/tables/${catalog}.sales.t_00000`);
    assert.equal(r.body.columns[0].position, undefined, 'position 0 is dropped');
    assert.equal(r.body.columns[2].partition_index, undefined, 'partition_index 0 is dropped too');
  });

  it('lists catalogs, schemas and volumes with their shapes, and refuses what the service refuses', async () => {
    const cats = await api.get<{ catalogs: Array<{ name: string; catalog_type: string }> }>(`${UC}/catalogs`, { max_results: 0 });
    assert.ok(cats.body.catalogs.some((c) => c.name === catalog && c.catalog_type === 'MANAGED_CATALOG'));
    const schemas = await api.get<{ schemas: Array<{ name: string }> }>(`${UC}/schemas`, { catalog_name: catalog, max_results: 0 });
    assert.deepEqual(
      schemas.body.schemas.map((s) => s.name),
      ['sales'],
    );
    const vols = await api.get<{ volumes: Array<{ name: string; volume_type: string; storage_location: string; full_name: string }> }>(`${UC}/volumes`, {
      catalog_name: catalog,
      schema_name: 'sales',
      max_results: 0,
    });
    assert.equal(vols.body.volumes[0].full_name, `${catalog}.sales.raw`);
    assert.match(vols.body.volumes[0].storage_location, /^s3:\/\/.*\/volumes\//);
    const located = await api.post(`${UC}/volumes`, {
      name: 'bad',
      catalog_name: catalog,
      schema_name: 'sales',
      volume_type: 'MANAGED',
      storage_location: 's3://x/y',
    });
    assert.equal(located.status, 400);
    assert.equal(located.body.message, 'CreateVolume storage_location can not be provided.');
    const again = await api.post(`${UC}/catalogs`, { name: catalog });
    assert.equal(again.status, 409);
    const unnamed = await api.post(`${UC}/catalogs`, { name: '' });
    assert.equal(unnamed.status, 400);
    assert.equal((await api.get(`${UC}/schemas`, { catalog_name: 'no_such_catalog', max_results: 0 })).status, 404);
  });

  it('Files API on a volume: Range reads counted in bytes, a missing volume, a non-empty directory, and the multipart flow refused', async () => {
    const dir = `/Volumes/${catalog}/sales/raw/in #1`;
    const file = `${dir}/data ü%.csv`;
    const body = Buffer.from('x'.repeat(10_000));
    assert.equal((await api.call('PUT', `/api/2.0/fs/files${enc(file)}`, body, { 'Content-Type': 'application/octet-stream' })).status, 204);
    const part = await api.call('GET', `/api/2.0/fs/files${enc(file)}`, undefined, { Range: 'bytes=100-199' });
    assert.equal(part.status, 206);
    assert.equal(part.text.length, 100);
    assert.equal(part.headers.get('content-range'), 'bytes 100-199/10000');
    const counts = await api.admin<{ sent: Record<string, number>; received: Record<string, number> }>('GET', '/files');
    assert.equal(counts.sent[file], 100, 'only the range was sent');
    assert.equal(counts.received[file], 10_000);
    assert.equal((await api.call('GET', `/api/2.0/fs/files${enc(`/Volumes/${catalog}/sales/nope/x.csv`)}`)).status, 404, 'a volume that does not exist');
    const notEmpty = await api.call('DELETE', `/api/2.0/fs/directories${enc(dir)}`);
    assert.equal(notEmpty.status, 400);
    assert.equal((notEmpty.body.details as Array<{ reason: string }>)[0].reason, 'FILES_API_DIRECTORY_IS_NOT_EMPTY');
    const multipart = await api.call('POST', `/api/2.0/fs/files${enc(`${dir}/big.bin`)}?action=initiate-upload`);
    assert.equal(multipart.status, 501);
    const listed = await api.get<{ contents: Array<{ name: string; is_directory: boolean; file_size?: number; last_modified: number }> }>(
      `/api/2.0/fs/directories${enc(dir)}`,
    );
    assert.deepEqual(
      listed.body.contents.map((c) => [c.name, c.is_directory, c.file_size]),
      [['data ü%.csv', false, 10_000]],
    );
    assert.ok(listed.body.contents[0].last_modified > 0);
  });

  it('injected faults reach Unity Catalog and Files API routes like every other route', async () => {
    await api.admin('POST', '/faults', { failNext: { count: 1, status: 503, match: 'unity-catalog/tables' } });
    const r = await api.get(`${UC}/tables`, { catalog_name: catalog, schema_name: 'sales', max_results: 0 });
    assert.equal(r.status, 503);
    assert.equal(r.headers.get('retry-after'), '1');
    assert.equal((await api.get(`${UC}/tables`, { catalog_name: catalog, schema_name: 'sales', max_results: 0 })).status, 200);
  });
});
