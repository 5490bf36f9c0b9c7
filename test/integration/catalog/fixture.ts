// What the Catalog suites share: the Databricks stand-in (or the one the run hands in), a client
// for it, and a catalog of the suite's own (unique names, so suites sharing a stand-in stay apart)
// made over the real Unity Catalog REST API.
import { DatabricksClient } from '../../../src/databricks/client';
import { UnityCatalogService } from '../../../src/databricks/unityCatalog';
import { VolumeFilesService } from '../../../src/databricks/volumeFiles';
import { adminCall, DatabricksEndpoint, databricksStandIn, uniqueSuffix } from '../standIns';

export interface CatalogFixture {
  db: DatabricksEndpoint;
  client: DatabricksClient;
  uc: UnityCatalogService;
  files: VolumeFilesService;
  catalog: string;
  admin<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function catalogFixture(prefix: string): Promise<CatalogFixture> {
  const db = await databricksStandIn();
  const client = new DatabricksClient({ host: db.url, token: db.token, retry: { jitterMs: 20, baseDelayMs: 100 } });
  const catalog = `${prefix}_${uniqueSuffix()}`;
  await client.request('POST', '/api/2.1/unity-catalog/catalogs', { body: { name: catalog, comment: `${prefix} suite` } });
  const admin = <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => adminCall<T>(db.admin, db.token, method, path, body);

  return {
    db,
    client,
    uc: new UnityCatalogService(client),
    files: new VolumeFilesService(client),
    catalog,
    admin,
    stop: async () => {
      await client.request('DELETE', `/api/2.1/unity-catalog/catalogs/${catalog}`, { query: { force: true } }).catch(() => undefined);
      await db.stop();
    },
  };
}

export async function createSchema(f: CatalogFixture, name: string): Promise<void> {
  await f.client.request('POST', '/api/2.1/unity-catalog/schemas', { body: { name, catalog_name: f.catalog } });
}

export async function createVolume(f: CatalogFixture, schema: string, name: string): Promise<string> {
  await f.client.request('POST', '/api/2.1/unity-catalog/volumes', { body: { name, catalog_name: f.catalog, schema_name: schema, volume_type: 'MANAGED' } });
  return `/Volumes/${f.catalog}/${schema}/${name}`;
}
