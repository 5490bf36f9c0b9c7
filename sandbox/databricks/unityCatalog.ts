// Unity Catalog 2.1 of the stand-in: catalogs, schemas, tables and volumes, listed and paged as
// the real service does (docs/reference/services-2026.md §3), kept in unity-catalog.json in
// the data directory. A volume's files live under files/Volumes/<catalog>/<schema>/<volume>, which
// the Files API (files.ts) serves. Tables cannot be created over REST (the real service makes them
// with SQL), so tests and the sandbox seed them through POST /__admin/unity-catalog/tables.
//
// Paging, as the reference has it: `max_results` absent lists everything (the deprecated
// unpaginated form), 0 lets the server choose, a positive value is capped by the server, a
// negative one is INVALID_PARAMETER_VALUE; only a missing next_page_token ends a listing. Quirks a
// test can switch on at /__admin/unity-catalog: `emptyPageEvery: n` answers every n-th page with
// no items and a token (what privilege filtering after paging looks like), `omitDefaults: true`
// drops zero and false fields the way Go-built fakes do (omitempty), so clients must default them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, Params, fromPageToken, invalidParam, pageToken } from './http';
import type { Route } from './routes';
import { SQL_TABLES } from './sqlTables';

export interface UcColumn {
  name: string;
  type_text: string;
  type_name: string;
  type_json?: string;
  type_precision?: number;
  type_scale?: number;
  position: number;
  nullable: boolean;
  partition_index?: number;
  comment?: string;
}

/** What a seeded table looks like: the name, and optionally everything else. */
export interface UcTableSeed {
  name: string;
  table_type?: string;
  data_source_format?: string;
  columns?: Array<Partial<UcColumn> & { name: string; type_text: string }>;
  comment?: string;
  storage_location?: string;
  view_definition?: string;
  properties?: Record<string, string>;
}

type Obj = Record<string, unknown>;

interface Metastore {
  catalogs: Record<string, Obj>;
  schemas: Record<string, Obj>;
  tables: Record<string, Obj>;
  volumes: Record<string, Obj>;
}

export interface UcQuirks {
  emptyPageEvery?: number;
  omitDefaults?: boolean;
}

/**
 * Server page sizes for `max_results=0` and the caps for larger values. The real values are not
 * documented: [secondary] brickster's docs give tables "default 50, max 50" and catalogs/schemas a
 * default of 1,000; the reference gives volumes 10,000. [unconfirmed] beyond that.
 */
export const UC_PAGE_CAPS = { catalogs: 1000, schemas: 1000, tables: 50, volumes: 10_000 } as const;

export const METASTORE_ID = '8f1c4a3e-2b7d-4e69-9a51-3c2d6e0f7b18';
const UC = '/api/2.1/unity-catalog';
/** UC names: letters, digits and underscores; the CLI's fake and the service lowercase them. */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,254}$/;

/** UC's type_name for a type_text (the SQL spelling). */
const TYPE_NAMES: Array<[RegExp, string]> = [
  [/^(int|integer)$/i, 'INT'],
  [/^(bigint|long)$/i, 'LONG'],
  [/^(tinyint|byte)$/i, 'BYTE'],
  [/^(smallint|short)$/i, 'SHORT'],
  [/^double$/i, 'DOUBLE'],
  [/^(float|real)$/i, 'FLOAT'],
  [/^decimal/i, 'DECIMAL'],
  [/^boolean$/i, 'BOOLEAN'],
  [/^date$/i, 'DATE'],
  [/^timestamp_ntz$/i, 'TIMESTAMP_NTZ'],
  [/^timestamp$/i, 'TIMESTAMP'],
  [/^binary$/i, 'BINARY'],
  [/^array</i, 'ARRAY'],
  [/^map</i, 'MAP'],
  [/^struct</i, 'STRUCT'],
  [/^variant$/i, 'VARIANT'],
];

function typeName(typeText: string): string {
  return TYPE_NAMES.find(([re]) => re.test(typeText))?.[1] ?? 'STRING';
}

function uuid(): string {
  return crypto.randomUUID();
}

/** Drops zero, false and empty fields, as Go's omitempty does (a quirk; the real service sends them). */
function omitEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(omitEmpty);
  if (value && typeof value === 'object') {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value as Obj)) {
      if (v === 0 || v === false || v === '' || v === undefined || v === null) continue;
      out[k] = omitEmpty(v);
    }
    return out;
  }
  return value;
}

export class UnityCatalog {
  private readonly file: string;
  private readonly volumesRoot: string;
  private state: Metastore;
  quirks: UcQuirks = {};
  private pageCounter = 0;

  constructor(
    dataDir: string,
    private readonly user: string,
  ) {
    this.file = path.join(dataDir, 'unity-catalog.json');
    this.volumesRoot = path.join(dataDir, 'files', 'Volumes');
    this.state = fs.existsSync(this.file)
      ? (JSON.parse(fs.readFileSync(this.file, 'utf8')) as Metastore)
      : { catalogs: {}, schemas: {}, tables: {}, volumes: {} };
    if (!this.state.catalogs.main) {
      // A workspace's default catalog, its default schema and a volume for the sandbox's files.
      this.createCatalog({ name: 'main', comment: 'Main catalog (created by the stand-in)' });
      this.createSchema({ name: 'default', catalog_name: 'main', comment: 'Default schema (auto-created)' });
      this.createVolume({ name: 'sandbox', catalog_name: 'main', schema_name: 'default', volume_type: 'MANAGED', comment: 'Files of the Ferry sandbox' });
    }
    this.listWarehouseTables();
  }

  /** The SQL warehouse's tables (sqlTables.ts) are this metastore's too: the same names, columns and kinds. */
  private listWarehouseTables(): void {
    for (const t of SQL_TABLES) {
      if (!this.state.catalogs[t.catalog])
        this.createCatalog({ name: t.catalog, comment: 'The workspace catalog (the SQL warehouse of the stand-in holds its tables)' });
      if (!this.state.schemas[`${t.catalog}.${t.schema}`]) this.createSchema({ name: t.schema, catalog_name: t.catalog, comment: 'The Ferry demo' });
      if (this.state.tables[`${t.catalog}.${t.schema}.${t.name}`]) continue;
      this.seedTables({
        catalog_name: t.catalog,
        schema_name: t.schema,
        tables: [
          {
            name: t.name,
            comment: t.comment,
            table_type: t.tableType,
            data_source_format: t.format,
            storage_location: t.storageLocation,
            view_definition: t.viewDefinition,
            columns: t.columns.map((c) => ({ name: c.name, type_text: c.type.toLowerCase(), comment: c.comment, partition_index: c.partitionIndex })),
          },
        ],
      });
    }
  }

  private save(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.state));
    fs.renameSync(tmp, this.file);
  }

  private stamp(): Obj {
    const now = Date.now();
    return { owner: this.user, created_at: now, created_by: this.user, updated_at: now, updated_by: this.user, metastore_id: METASTORE_ID };
  }

  private name(value: string | undefined, field: string, rpc: string): string {
    if (!value || !NAME.test(value)) throw invalidParam(`Invalid input: RPC ${rpc} Field ${field}: name "${value ?? ''}" is not a valid name.`);
    return value.toLowerCase();
  }

  // ---- catalogs, schemas, volumes (created over REST as on the real service) ----

  createCatalog(body: Obj): Obj {
    const name = this.name(body.name as string | undefined, 'managedcatalog.CatalogInfo.name', 'CreateCatalog');
    if (this.state.catalogs[name]) throw new ApiError(409, 'CATALOG_ALREADY_EXISTS', `Catalog '${name}' already exists`);
    const c: Obj = {
      name,
      full_name: name,
      comment: (body.comment as string) ?? '',
      catalog_type: 'MANAGED_CATALOG',
      isolation_mode: 'OPEN',
      securable_type: 'CATALOG',
      browse_only: false,
      properties: body.properties ?? {},
      id: uuid(),
      ...this.stamp(),
    };
    this.state.catalogs[name] = c;
    this.save();
    return c;
  }

  createSchema(body: Obj): Obj {
    const catalog = this.catalog(body.catalog_name as string | undefined);
    const name = this.name(body.name as string | undefined, 'managedcatalog.SchemaInfo.name', 'CreateSchema');
    const full = `${catalog}.${name}`;
    if (this.state.schemas[full]) throw new ApiError(409, 'SCHEMA_ALREADY_EXISTS', `Schema '${full}' already exists`);
    const s: Obj = {
      name,
      catalog_name: catalog,
      full_name: full,
      comment: (body.comment as string) ?? '',
      catalog_type: 'MANAGED_CATALOG',
      securable_type: 'SCHEMA',
      browse_only: false,
      properties: body.properties ?? {},
      schema_id: uuid(),
      ...this.stamp(),
    };
    this.state.schemas[full] = s;
    this.save();
    return s;
  }

  createVolume(body: Obj): Obj {
    const schema = this.schema(`${String(body.catalog_name ?? '')}.${String(body.schema_name ?? '')}`);
    const [catalog, schemaName] = schema.split('.');
    const name = this.name(body.name as string | undefined, 'managedcatalog.volume.VolumeInfo.name', 'CreateVolume');
    const type = body.volume_type as string | undefined;
    if (!type) throw invalidParam('CreateVolume Missing required field: volume_type');
    if (type !== 'MANAGED' && type !== 'EXTERNAL') throw invalidParam(`CreateVolume Invalid volume_type: ${type}`);
    if (body.storage_location && type !== 'EXTERNAL') throw invalidParam('CreateVolume storage_location can not be provided.');
    const full = `${schema}.${name}`;
    if (this.state.volumes[full]) throw new ApiError(409, 'VOLUME_ALREADY_EXISTS', `Volume '${full}' already exists`);
    const id = uuid();
    const location =
      type === 'EXTERNAL' ? String(body.storage_location ?? '').replace(/\/+$/, '') : `s3://ferry-stand-in-metastore/metastore/${METASTORE_ID}/volumes/${id}`;
    const v: Obj = {
      name,
      catalog_name: catalog,
      schema_name: schemaName,
      full_name: full,
      volume_type: type,
      storage_location: location,
      volume_id: id,
      comment: (body.comment as string) ?? '',
      browse_only: false,
      ...this.stamp(),
    };
    this.state.volumes[full] = v;
    fs.mkdirSync(path.join(this.volumesRoot, catalog, schemaName, name), { recursive: true });
    this.save();
    return v;
  }

  /** Stand-in only: tables for a schema (the real service creates them with SQL). */
  seedTables(body: Obj): { created: number } {
    const schema = this.schema(`${String(body.catalog_name ?? '')}.${String(body.schema_name ?? '')}`);
    const [catalog, schemaName] = schema.split('.');
    const seeds: UcTableSeed[] = Array.isArray(body.tables) ? (body.tables as UcTableSeed[]) : [];
    // {count, prefix, columns?}: many generated tables (the 1,000- and 10,000-table tests and benchmarks).
    const count = typeof body.count === 'number' ? body.count : 0;
    const prefix = typeof body.prefix === 'string' ? body.prefix : 'table_';
    const template = Array.isArray(body.columns)
      ? (body.columns as UcTableSeed['columns'])
      : [
          { name: 'id', type_text: 'bigint', comment: 'Row id' },
          { name: 'value', type_text: 'double' },
          { name: 'day', type_text: 'date', partition_index: 0 },
        ];
    for (let i = 0; i < count; i++) seeds.push({ name: `${prefix}${String(i).padStart(5, '0')}`, columns: template });
    for (const seed of seeds) {
      const name = this.name(seed.name, 'managedcatalog.TableInfo.name', 'CreateTable');
      const full = `${schema}.${name}`;
      const type = seed.table_type ?? 'MANAGED';
      const columns = (seed.columns ?? []).map((c, position) => {
        const col: Obj = {
          name: c.name,
          type_text: c.type_text,
          type_name: c.type_name ?? typeName(c.type_text),
          type_json: JSON.stringify({
            name: c.name,
            type: c.type_text.toLowerCase(),
            nullable: c.nullable ?? true,
            metadata: c.comment ? { comment: c.comment } : {},
          }),
          type_precision: c.type_precision ?? 0,
          type_scale: c.type_scale ?? 0,
          position,
          nullable: c.nullable ?? true,
        };
        if (c.partition_index !== undefined) col.partition_index = c.partition_index;
        if (c.comment) col.comment = c.comment;
        return col;
      });
      const id = uuid();
      const t: Obj = {
        name,
        catalog_name: catalog,
        schema_name: schemaName,
        full_name: full,
        table_type: type,
        data_source_format: seed.data_source_format ?? (type === 'VIEW' ? undefined : 'DELTA'),
        columns,
        storage_location: type === 'VIEW' ? undefined : (seed.storage_location ?? `s3://ferry-stand-in-metastore/metastore/${METASTORE_ID}/tables/${id}`),
        view_definition: seed.view_definition,
        comment: seed.comment,
        properties: seed.properties ?? (type === 'VIEW' ? {} : { 'delta.minReaderVersion': '1', 'delta.minWriterVersion': '2' }),
        table_id: id,
        securable_type: 'TABLE',
        browse_only: false,
        ...this.stamp(),
      };
      this.state.tables[full] = t;
    }
    this.save();
    return { created: seeds.length };
  }

  // ---- lookups ----

  private catalog(name: string | undefined): string {
    if (!name) throw invalidParam('Missing required field: catalog_name');
    const key = name.toLowerCase();
    if (!this.state.catalogs[key]) throw new ApiError(404, 'CATALOG_DOES_NOT_EXIST', `Catalog '${name}' does not exist.`);
    return key;
  }

  private schema(full: string): string {
    const [catalog, schema] = full.split('.');
    if (!schema) throw invalidParam('Missing required field: schema_name');
    const key = `${this.catalog(catalog)}.${schema.toLowerCase()}`;
    if (!this.state.schemas[key]) throw new ApiError(404, 'SCHEMA_DOES_NOT_EXIST', `Schema '${full}' does not exist.`);
    return key;
  }

  /** The volume a /Volumes/<c>/<s>/<v> path is in, or undefined (the Files API answers 404). */
  volumeFor(segs: string[]): Obj | undefined {
    if (segs.length < 3) return undefined;
    return this.state.volumes[`${segs[0]}.${segs[1]}.${segs[2]}`.toLowerCase()];
  }

  /** Quirks for the next pages (POST /__admin/unity-catalog). */
  setQuirks(q: UcQuirks): UcQuirks {
    this.quirks = { ...q };
    this.pageCounter = 0;
    return this.quirks;
  }

  // ---- listing ----

  private page(p: Params, key: string, all: Obj[], cap: number): Obj {
    const raw = p.str('max_results');
    let items: Obj[];
    let next: string | undefined;
    if (raw === undefined) {
      // The deprecated unpaginated form: everything at once.
      items = all;
    } else {
      const max = Number(raw);
      if (!Number.isInteger(max) || max < 0) throw invalidParam(`max_results must be a non-negative integer, not ${raw}`);
      const size = max === 0 ? cap : Math.min(max, cap);
      const offset = fromPageToken(p.str('page_token'));
      items = all.slice(offset, offset + size);
      if (offset + size < all.length) next = pageToken(offset + size);
      this.pageCounter++;
      if (next && this.quirks.emptyPageEvery && this.pageCounter % this.quirks.emptyPageEvery === 0) {
        // Same position, no items: the next request asks for these items again.
        items = [];
        next = pageToken(offset);
      }
    }
    const out: Obj = { [key]: items };
    if (next) out.next_page_token = next;
    return this.quirks.omitDefaults ? (omitEmpty(out) as Obj) : out;
  }

  private sorted(values: Obj[]): Obj[] {
    return values.sort((a, b) => String(a.name).localeCompare(String(b.name)));
  }

  listCatalogs(p: Params): Obj {
    return this.page(p, 'catalogs', this.sorted(Object.values(this.state.catalogs)), UC_PAGE_CAPS.catalogs);
  }

  listSchemas(p: Params): Obj {
    const catalog = this.catalog(p.str('catalog_name'));
    return this.page(p, 'schemas', this.sorted(Object.values(this.state.schemas).filter((s) => s.catalog_name === catalog)), UC_PAGE_CAPS.schemas);
  }

  listTables(p: Params): Obj {
    const schema = this.schema(`${p.str('catalog_name') ?? ''}.${p.reqStr('schema_name')}`);
    const omitColumns = p.bool('omit_columns') ?? false;
    const omitProperties = p.bool('omit_properties') ?? false;
    const omitUser = p.bool('omit_username') ?? false;
    const tables = this.sorted(Object.values(this.state.tables).filter((t) => t.full_name && String(t.full_name).startsWith(`${schema}.`))).map((t) => {
      const out: Obj = { ...t };
      if (omitColumns) delete out.columns;
      if (omitProperties) delete out.properties;
      if (omitUser) for (const k of ['owner', 'created_by', 'updated_by']) delete out[k];
      return out;
    });
    return this.page(p, 'tables', tables, UC_PAGE_CAPS.tables);
  }

  listVolumes(p: Params): Obj {
    const schema = this.schema(`${p.str('catalog_name') ?? ''}.${p.reqStr('schema_name')}`);
    return this.page(
      p,
      'volumes',
      this.sorted(Object.values(this.state.volumes).filter((v) => String(v.full_name).startsWith(`${schema}.`))),
      UC_PAGE_CAPS.volumes,
    );
  }

  private getOne(kind: 'catalogs' | 'schemas' | 'tables' | 'volumes', fullName: string): Obj {
    const found = this.state[kind][fullName.toLowerCase()];
    const word = { catalogs: 'Catalog', schemas: 'Schema', tables: 'Table', volumes: 'Volume' }[kind];
    // The error_code for a missing securable is [unconfirmed]; clients match on the 404 status.
    if (!found) throw new ApiError(404, `${word.toUpperCase()}_DOES_NOT_EXIST`, `${word} '${fullName}' does not exist.`);
    return this.quirks.omitDefaults ? (omitEmpty(found) as Obj) : found;
  }

  private deleteOne(kind: 'catalogs' | 'schemas' | 'tables' | 'volumes', fullName: string, force: boolean): Obj {
    const key = fullName.toLowerCase();
    this.getOne(kind, key);
    const children =
      kind === 'catalogs'
        ? Object.keys(this.state.schemas).filter((s) => s.startsWith(`${key}.`))
        : kind === 'schemas'
          ? [...Object.keys(this.state.tables), ...Object.keys(this.state.volumes)].filter((s) => s.startsWith(`${key}.`))
          : [];
    if (children.length && !force)
      throw new ApiError(400, 'INVALID_STATE', `${kind === 'catalogs' ? 'Catalog' : 'Schema'} '${fullName}' is not empty. ${children.length} children.`);
    for (const k of ['catalogs', 'schemas', 'tables', 'volumes'] as const) {
      for (const name of Object.keys(this.state[k])) if (name === key || name.startsWith(`${key}.`)) delete this.state[k][name];
    }
    if (kind === 'volumes' || kind === 'schemas' || kind === 'catalogs')
      fs.rmSync(path.join(this.volumesRoot, ...key.split('.')), { recursive: true, force: true });
    this.save();
    return {};
  }

  /** The route for METHOD + path under /api/2.1/unity-catalog, if it is one. */
  find(method: string, pathname: string): Route | undefined {
    if (!pathname.startsWith(`${UC}/`)) return undefined;
    const rest = pathname
      .slice(UC.length + 1)
      .split('/')
      .map((s) => decodeURIComponent(s));
    const [kind, name, extra] = rest;
    const h = (handler: (p: Params) => unknown): Route => ({ handler });
    if (kind === 'current-metastore-assignment' && method === 'GET')
      return h(() => ({ metastore_id: METASTORE_ID, workspace_id: 900800700600, default_catalog_name: 'main' }));
    if (!['catalogs', 'schemas', 'tables', 'volumes'].includes(kind) || rest.length > 3) return undefined;
    const k = kind as 'catalogs' | 'schemas' | 'tables' | 'volumes';
    if (name === undefined) {
      if (method === 'GET')
        return h((p) =>
          ({ catalogs: () => this.listCatalogs(p), schemas: () => this.listSchemas(p), tables: () => this.listTables(p), volumes: () => this.listVolumes(p) })[
            k
          ](),
        );
      if (method === 'POST' && k !== 'tables')
        return h((p) =>
          ({ catalogs: () => this.createCatalog(p.body), schemas: () => this.createSchema(p.body), volumes: () => this.createVolume(p.body) })[k](),
        );
      return undefined;
    }
    if (extra === 'exists' && k === 'tables' && method === 'GET') return h(() => ({ table_exists: Boolean(this.state.tables[name.toLowerCase()]) }));
    if (extra !== undefined) return undefined;
    if (method === 'GET') return h(() => this.getOne(k, name));
    if (method === 'DELETE') return h((p) => this.deleteOne(k, name, p.bool('force') ?? false));
    return undefined;
  }

  /** /__admin/unity-catalog: quirks (GET/POST) and table seeding (POST …/tables). */
  admin(method: string, pathname: string, body: Obj): unknown {
    if (pathname === '/__admin/unity-catalog' && method === 'GET') return { quirks: this.quirks, caps: UC_PAGE_CAPS };
    if (pathname === '/__admin/unity-catalog' && method === 'POST') return { quirks: this.setQuirks(body as UcQuirks) };
    if (pathname === '/__admin/unity-catalog/tables' && method === 'POST') return this.seedTables(body);
    return undefined;
  }

  reset(): void {
    this.setQuirks({});
  }
}
