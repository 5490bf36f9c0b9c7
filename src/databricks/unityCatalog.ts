// Unity Catalog 2.1 listings for the Catalog view: catalogs, schemas, tables and volumes, a page at
// a time, with the reference's traps handled here (services-2026.md §3): every list sends
// `max_results` (absent means the deprecated unpaginated listing; 0 lets the server choose), a page
// may be empty and still carry a token (only a missing token ends a listing), and fields a Go-built
// server leaves out (position 0, nullable false…) get their documented defaults.
import { DatabricksTransport } from './transport';

export interface UcPage<T> {
  items: T[];
  nextToken?: string;
}

export interface UcCatalog {
  name: string;
  comment?: string;
  catalogType?: string;
  owner?: string;
}

export interface UcSchema {
  name: string;
  catalogName: string;
  fullName: string;
  comment?: string;
  owner?: string;
}

export interface UcColumn {
  name: string;
  /** The SQL spelling (`decimal(10,2)`, `array<string>`). */
  typeText: string;
  typeName: string;
  /** 0-based. */
  position: number;
  nullable: boolean;
  /** Set for partition columns: their place in the partition key (0-based). */
  partitionIndex?: number;
  comment?: string;
}

export interface UcTable {
  name: string;
  catalogName: string;
  schemaName: string;
  fullName: string;
  /** MANAGED, EXTERNAL, VIEW, MATERIALIZED_VIEW, STREAMING_TABLE, FOREIGN, … */
  tableType: string;
  /** DELTA, PARQUET, CSV, … (absent for views). */
  dataSourceFormat?: string;
  /** Absent when the listing omitted them (omit_columns): get the table for them. */
  columns?: UcColumn[];
  comment?: string;
  owner?: string;
  storageLocation?: string;
  viewDefinition?: string;
  updatedAt?: number;
}

export interface UcVolume {
  name: string;
  catalogName: string;
  schemaName: string;
  fullName: string;
  /** MANAGED or EXTERNAL. */
  volumeType: string;
  storageLocation?: string;
  comment?: string;
  owner?: string;
}

type Json = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => !!x && typeof x === 'object') : []);

/** A column as the server sent it, with the documented defaults for what it left out. */
export function toColumn(c: Json, index: number): UcColumn {
  const typeText = str(c.type_text) ?? str(c.type_name)?.toLowerCase() ?? 'string';
  return {
    name: str(c.name) ?? `col${index}`,
    typeText,
    typeName: str(c.type_name) ?? typeText.toUpperCase(),
    position: num(c.position) ?? index,
    nullable: typeof c.nullable === 'boolean' ? c.nullable : true,
    partitionIndex: num(c.partition_index),
    comment: str(c.comment),
  };
}

export function toTable(t: Json): UcTable {
  const catalogName = str(t.catalog_name) ?? '';
  const schemaName = str(t.schema_name) ?? '';
  const name = str(t.name) ?? '';
  const columns = Array.isArray(t.columns)
    ? list(t.columns)
        .map(toColumn)
        .sort((a, b) => a.position - b.position)
    : undefined;
  return {
    name,
    catalogName,
    schemaName,
    fullName: str(t.full_name) ?? [catalogName, schemaName, name].join('.'),
    tableType: str(t.table_type) ?? 'MANAGED',
    dataSourceFormat: str(t.data_source_format),
    columns,
    comment: str(t.comment),
    owner: str(t.owner),
    storageLocation: str(t.storage_location),
    viewDefinition: str(t.view_definition),
    updatedAt: num(t.updated_at),
  };
}

function toVolume(v: Json): UcVolume {
  const catalogName = str(v.catalog_name) ?? '';
  const schemaName = str(v.schema_name) ?? '';
  const name = str(v.name) ?? '';
  return {
    name,
    catalogName,
    schemaName,
    fullName: str(v.full_name) ?? [catalogName, schemaName, name].join('.'),
    volumeType: str(v.volume_type) ?? 'MANAGED',
    storageLocation: str(v.storage_location),
    comment: str(v.comment),
    owner: str(v.owner),
  };
}

const UC = '/api/2.1/unity-catalog';

/** The path segment for a full name (`main.sales.orders`), each part escaped. */
function fullNamePath(fullName: string): string {
  return encodeURIComponent(fullName);
}

export interface UcListOptions {
  /** 0 (default) lets the server choose the page size; a positive size is capped by the server. */
  pageSize?: number;
  signal?: AbortSignal;
}

export class UnityCatalogService {
  constructor(private readonly transport: DatabricksTransport) {}

  private async page<T>(path: string, key: string, query: Json, token: string | undefined, map: (j: Json) => T, opts: UcListOptions): Promise<UcPage<T>> {
    const out = await this.transport.request<Json>('GET', `${UC}/${path}`, {
      query: { ...query, max_results: opts.pageSize ?? 0, page_token: token },
      signal: opts.signal,
    });
    return { items: list(out[key]).map(map), nextToken: str(out.next_page_token) };
  }

  listCatalogs(token?: string, opts: UcListOptions = {}): Promise<UcPage<UcCatalog>> {
    return this.page(
      'catalogs',
      'catalogs',
      { include_browse: true },
      token,
      (c) => ({ name: str(c.name) ?? '', comment: str(c.comment), catalogType: str(c.catalog_type), owner: str(c.owner) }),
      opts,
    );
  }

  listSchemas(catalog: string, token?: string, opts: UcListOptions = {}): Promise<UcPage<UcSchema>> {
    return this.page(
      'schemas',
      'schemas',
      { catalog_name: catalog, include_browse: true },
      token,
      (s) => ({
        name: str(s.name) ?? '',
        catalogName: str(s.catalog_name) ?? catalog,
        fullName: str(s.full_name) ?? `${catalog}.${str(s.name) ?? ''}`,
        comment: str(s.comment),
        owner: str(s.owner),
      }),
      opts,
    );
  }

  /** Tables without their columns (a small page; the view gets a table's columns when it is expanded). */
  listTables(catalog: string, schema: string, token?: string, opts: UcListOptions & { withColumns?: boolean } = {}): Promise<UcPage<UcTable>> {
    return this.page(
      'tables',
      'tables',
      { catalog_name: catalog, schema_name: schema, omit_columns: !opts.withColumns, omit_properties: true, include_browse: true },
      token,
      toTable,
      opts,
    );
  }

  listVolumes(catalog: string, schema: string, token?: string, opts: UcListOptions = {}): Promise<UcPage<UcVolume>> {
    return this.page('volumes', 'volumes', { catalog_name: catalog, schema_name: schema, include_browse: true }, token, toVolume, opts);
  }

  async getTable(fullName: string, signal?: AbortSignal): Promise<UcTable> {
    return toTable(await this.transport.request<Json>('GET', `${UC}/tables/${fullNamePath(fullName)}`, { signal }));
  }
}
