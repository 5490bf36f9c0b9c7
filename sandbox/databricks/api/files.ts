// The Files API: /api/2.0/fs/files/<path> (raw PUT, GET and HEAD with ranges, DELETE) and
// /api/2.0/fs/directories/<path> (PUT, GET listing, HEAD, DELETE), over workspace files.
import { FilesApi } from '../storage';
import type { RouteFamily } from '../routes';

export const family: RouteFamily = (ctx) => {
  const files = new FilesApi(ctx.dataDir, ctx.workspace);
  const FILES = '/api/2.0/fs/files';
  const DIRS = '/api/2.0/fs/directories';
  return {
    prefixes: {
      [`PUT ${FILES}`]: { rawBody: true, handler: (p, x) => files.upload(p, x.match, x.req) },
      [`GET ${FILES}`]: (_p, x) => files.download(x.match, x.req, false),
      [`HEAD ${FILES}`]: (_p, x) => files.download(x.match, x.req, true),
      [`DELETE ${FILES}`]: (_p, x) => files.deleteFile(x.match),
      [`PUT ${DIRS}`]: (_p, x) => files.mkdir(x.match),
      [`GET ${DIRS}`]: (p, x) => files.listDir(p, x.match),
      [`HEAD ${DIRS}`]: (_p, x) => files.headDir(x.match),
      [`DELETE ${DIRS}`]: (_p, x) => files.deleteDir(x.match),
    },
  };
};
