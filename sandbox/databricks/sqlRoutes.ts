// The stand-in's SQL side, as one route table that routes.ts consults: SQL warehouses
// (/api/2.0/sql/warehouses), Statement Execution 2.0 (/api/2.0/sql/statements), the external links
// (public: no token, and a token is refused), and its admin endpoints:
//   POST /__admin/sql        {timings?: Partial<SqlTimings>, limits?: Partial<SqlLimits>, warehouseTimings?}
//   GET  /__admin/sql        the current timings and limits, and bytes served per statement
//   POST /__admin/sql/query  {sql} → {columns, rows}, run straight on the engine (what tests check against)
import type { Params } from './http';
import { LINK_PREFIX, PresignedLinks } from './links';
import type { Route } from './routes';
import { WarehouseEngine } from './sqlEngine';
import { SqlLimits, SqlTimings, Statements } from './statements';
import { DEFAULT_WAREHOUSE_SEEDS, WarehouseRegistry, WarehouseSeed, WarehouseTimings } from './warehouses';

export interface SqlRouteOptions {
  url: string;
  dataDir: string;
  userName: string;
  warehouseTimings: WarehouseTimings;
  warehouses?: WarehouseSeed[];
}

export interface SqlRoutes {
  warehouses: WarehouseRegistry;
  statements: Statements;
  find(method: string, pathname: string): Route | undefined;
  /** Answers an admin request of this area, or undefined when the path is not one of them. */
  admin(method: string, pathname: string, body: Record<string, unknown>): Promise<unknown>;
  stop(): Promise<void>;
}

const WH = '/api/2.0/sql/warehouses';
const ST = '/api/2.0/sql/statements';

export function sqlRoutes(opts: SqlRouteOptions): SqlRoutes {
  const warehouses = new WarehouseRegistry(opts.warehouseTimings, opts.userName, opts.url, opts.warehouses ?? DEFAULT_WAREHOUSE_SEEDS);
  const links = new PresignedLinks(opts.url);
  const statements = new Statements(opts.dataDir, warehouses, new WarehouseEngine(), links);

  const route = (handler: Route['handler'], extra: Partial<Route> = {}): Route => ({ handler, ...extra });

  return {
    warehouses,
    statements,
    find(method, pathname) {
      if (pathname === WH || pathname === `${WH}/`) return method === 'GET' ? route((p: Params) => warehouses.list(p)) : undefined;
      if (pathname.startsWith(`${WH}/`)) {
        const [id, action, more] = pathname.slice(WH.length + 1).split('/');
        if (more !== undefined || !id) return undefined;
        if (method === 'GET' && action === undefined) return route(() => warehouses.get(id));
        if (method === 'POST' && action === 'start') return route(() => warehouses.start(id));
        if (method === 'POST' && action === 'stop') return route(() => warehouses.stop(id));
        return undefined;
      }
      // The Go SDK posts to the path with a trailing slash; accept both.
      if (pathname === ST || pathname === `${ST}/`) return method === 'POST' ? route((p: Params) => statements.execute(p)) : undefined;
      if (pathname.startsWith(`${ST}/`)) {
        const parts = pathname.slice(ST.length + 1).split('/');
        const id = parts[0];
        if (method === 'GET' && parts.length === 1) return route(() => statements.get(id));
        if (method === 'POST' && parts.length === 2 && parts[1] === 'cancel') return route(() => statements.cancel(id));
        if (method === 'GET' && parts.length === 4 && parts[1] === 'result' && parts[2] === 'chunks')
          return route(() => statements.chunk(id, Number(parts[3])));
        return undefined;
      }
      if (pathname.startsWith(LINK_PREFIX) && method === 'GET') {
        const rest = pathname.slice(LINK_PREFIX.length);
        return route((p: Params, x) => links.serve(rest, p.query, x.req, (id, chunk) => statements.chunkFile(id, chunk), statements.limits.linkHeaders), {
          public: true,
        });
      }
      return undefined;
    },
    async admin(method, pathname, body) {
      if (pathname === '/__admin/sql' && method === 'POST') {
        if (body.warehouseTimings) warehouses.setTimings(body.warehouseTimings as Partial<WarehouseTimings>);
        return statements.configure({ timings: body.timings as Partial<SqlTimings> | undefined, limits: body.limits as Partial<SqlLimits> | undefined });
      }
      if (pathname === '/__admin/sql' && method === 'GET')
        return { timings: statements.timings, limits: statements.limits, served: Object.fromEntries(links.served) };
      if (pathname === '/__admin/sql/query' && method === 'POST') return statements.engine.query(String(body.sql ?? ''));
      return undefined;
    },
    stop: () => statements.stop(),
  };
}
