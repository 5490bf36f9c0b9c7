// SQL warehouses (/api/2.0/sql/warehouses), Statement Execution 2.0 (/api/2.0/sql/statements) and
// the external links (public: no token, and a token is refused), over ../sqlRoutes.ts. Admin:
//   POST /__admin/sql        {timings?, limits?, warehouseTimings?}
//   GET  /__admin/sql        the current timings and limits, and bytes served per statement
//   POST /__admin/sql/query  {sql} → {columns, rows}, run straight on the engine (what tests check against)
import { ApiError, Params } from '../http';
import { LINK_PREFIX } from '../links';
import type { RouteExtra, RouteFamily } from '../routes';
import { sqlRoutes } from '../sqlRoutes';

export const family: RouteFamily = (ctx) => {
  const sql = sqlRoutes({ url: ctx.url, dataDir: ctx.dataDir, userName: ctx.userName, warehouseTimings: ctx.timings.warehouse });
  const through = (method: string) => (p: Params, x: RouteExtra) => {
    const route = sql.find(method, x.pathname);
    if (!route) throw new ApiError(404, 'ENDPOINT_NOT_FOUND', `No API found for '${method} ${x.pathname}'`);
    return route.handler(p, x);
  };
  const body = (b: unknown) => (b && typeof b === 'object' ? (b as Record<string, unknown>) : {});
  return {
    routes: {
      'GET /api/2.0/sql/warehouses': through('GET'),
      'POST /api/2.0/sql/statements': through('POST'),
      'POST /api/2.0/sql/statements/': through('POST'),
    },
    prefixes: {
      'GET /api/2.0/sql/warehouses': through('GET'),
      'POST /api/2.0/sql/warehouses': through('POST'),
      'GET /api/2.0/sql/statements': through('GET'),
      'POST /api/2.0/sql/statements': through('POST'),
      [`GET ${LINK_PREFIX.replace(/\/$/, '')}`]: { public: true, handler: through('GET') },
    },
    admin: {
      'POST /sql': (b) => sql.admin('POST', '/__admin/sql', body(b)),
      'GET /sql': (b) => sql.admin('GET', '/__admin/sql', body(b)),
      'POST /sql/query': (b) => sql.admin('POST', '/__admin/sql/query', body(b)),
    },
    stop: () => sql.stop(),
  };
};
