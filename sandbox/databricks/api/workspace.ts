// Workspace 2.0: import, export, list, mkdirs, get-status, delete (../storage.ts).
import type { RouteFamily } from '../routes';

export const family: RouteFamily = ({ workspace }) => ({
  routes: {
    'POST /api/2.0/workspace/import': (p) => workspace.import(p),
    'GET /api/2.0/workspace/export': (p) => workspace.export(p),
    'GET /api/2.0/workspace/list': (p) => workspace.list(p),
    'POST /api/2.0/workspace/mkdirs': (p) => workspace.mkdirs(p),
    'GET /api/2.0/workspace/get-status': (p) => workspace.getStatus(p),
    'POST /api/2.0/workspace/delete': (p) => workspace.delete(p),
  },
});
