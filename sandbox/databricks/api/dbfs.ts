// DBFS 2.0: put, the create / add-block / close stream, read, get-status, list, mkdirs, delete, move.
import type { RouteFamily } from '../routes';

export const family: RouteFamily = ({ dbfs }) => ({
  routes: {
    'POST /api/2.0/dbfs/put': (p) => dbfs.put(p),
    'POST /api/2.0/dbfs/create': (p) => dbfs.create(p),
    'POST /api/2.0/dbfs/add-block': (p) => dbfs.addBlock(p),
    'POST /api/2.0/dbfs/close': (p) => dbfs.close(p),
    'GET /api/2.0/dbfs/read': (p) => dbfs.read(p),
    'GET /api/2.0/dbfs/get-status': (p) => dbfs.getStatus(p),
    'GET /api/2.0/dbfs/list': (p) => dbfs.list(p),
    'POST /api/2.0/dbfs/mkdirs': (p) => dbfs.mkdirs(p),
    'POST /api/2.0/dbfs/delete': (p) => dbfs.delete(p),
    'POST /api/2.0/dbfs/move': (p) => dbfs.move(p),
  },
});
