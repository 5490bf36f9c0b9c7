// Unity Catalog 2.1: catalogs, schemas, tables and volumes under /api/2.1/unity-catalog, and the
// current metastore assignment (../unityCatalog.ts, shared with the Files API's volumes). Admin:
//   GET|POST /__admin/unity-catalog   the paging quirks
//   POST /__admin/unity-catalog/tables  seed tables
import { ApiError, Params } from '../http';
import type { RouteExtra, RouteFamily } from '../routes';

export const family: RouteFamily = (ctx) => {
  const uc = ctx.unityCatalog;
  const through = (method: string) => (p: Params, x: RouteExtra) => {
    const route = uc.find(method, x.pathname);
    if (!route) throw new ApiError(404, 'ENDPOINT_NOT_FOUND', `No API found for '${method} ${x.pathname}'`);
    return route.handler(p, x);
  };
  const body = (b: unknown) => (b && typeof b === 'object' ? (b as Record<string, unknown>) : {});
  const base = '/api/2.1/unity-catalog';
  return {
    prefixes: { [`GET ${base}`]: through('GET'), [`POST ${base}`]: through('POST'), [`DELETE ${base}`]: through('DELETE') },
    admin: {
      'GET /unity-catalog': (b) => uc.admin('GET', '/__admin/unity-catalog', body(b)),
      'POST /unity-catalog': (b) => uc.admin('POST', '/__admin/unity-catalog', body(b)),
      'POST /unity-catalog/tables': (b) => uc.admin('POST', '/__admin/unity-catalog/tables', body(b)),
    },
    reset: () => uc.reset(),
  };
};
