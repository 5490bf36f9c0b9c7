// The Catalog view's listings as page fetchers for the tree kit: catalogs, schemas, tables and
// volumes from Unity Catalog, folders and files from the Files API. No editor API here, so the
// integration tests page through exactly what the tree pages through.
import { UcCatalog, UcSchema, UcTable, UcVolume, UnityCatalogService } from '../../databricks/unityCatalog';
import { VolumeEntry, VolumeFilesService } from '../../databricks/volumeFiles';
import { FetchPage } from '../shared/paged';

/** Entries of a volume folder per page (the Files API's maximum). */
export const FOLDER_PAGE_SIZE = 1000;

export function catalogPages(uc: () => Promise<UnityCatalogService>): FetchPage<UcCatalog> {
  return async (token) => (await uc()).listCatalogs(token);
}

export function schemaPages(uc: () => Promise<UnityCatalogService>, catalog: string): FetchPage<UcSchema> {
  return async (token) => (await uc()).listSchemas(catalog, token);
}

/** Tables without columns: a table's columns are fetched when it is expanded. */
export function tablePages(uc: () => Promise<UnityCatalogService>, catalog: string, schema: string): FetchPage<UcTable> {
  return async (token) => (await uc()).listTables(catalog, schema, token);
}

export function volumePages(uc: () => Promise<UnityCatalogService>, catalog: string, schema: string): FetchPage<UcVolume> {
  return async (token) => (await uc()).listVolumes(catalog, schema, token);
}

/** A folder's entries, folders first then files, each in the order the service gives. */
export function folderPages(files: () => Promise<VolumeFilesService>, dir: string): FetchPage<VolumeEntry> {
  return async (token) => {
    const page = await (await files()).listDirectory(dir, token, { pageSize: FOLDER_PAGE_SIZE });
    return { items: [...page.items.filter((e) => e.isDirectory), ...page.items.filter((e) => !e.isDirectory)], nextToken: page.nextToken };
  };
}
