// The Files API: /api/2.0/fs/files/<path> (raw PUT, GET and HEAD with ranges, DELETE; POST only for
// the multipart actions, which are refused) and /api/2.0/fs/directories/<path> (PUT, GET listing,
// HEAD, DELETE), over workspace files and Unity Catalog volumes (../files.ts). Admin:
// GET /__admin/files (bytes sent and received per path; POST /__admin/reset clears them).
import { FilesApi } from '../files';
import { ApiError, Params } from '../http';
import type { Route, RouteExtra, RouteFamily } from '../routes';

export const family: RouteFamily = (ctx) => {
  const files = new FilesApi(ctx.dataDir, ctx.workspace, ctx.unityCatalog);
  const through = (method: string, rawBody = false): Route => ({
    rawBody,
    handler: (p: Params, x: RouteExtra) => {
      const route = files.find(method, x.pathname);
      if (!route) throw new ApiError(404, 'ENDPOINT_NOT_FOUND', `No API found for '${method} ${x.pathname}'`);
      return route.handler(p, x);
    },
  });
  const prefixes: Record<string, Route> = {};
  for (const base of ['/api/2.0/fs/files', '/api/2.0/fs/directories']) {
    for (const method of ['GET', 'HEAD', 'PUT', 'POST', 'DELETE']) prefixes[`${method} ${base}`] = through(method, method === 'PUT' || method === 'POST');
  }
  return {
    prefixes,
    admin: { 'GET /files': () => files.admin('GET', '/__admin/files') },
    reset: () => files.reset(),
  };
};
