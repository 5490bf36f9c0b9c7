// MLflow tracking REST 2.0 under /api/2.0/mlflow: experiments, runs (search with filter, order_by and
// page_token), metric history, params, tags and artifacts behind signed URLs of the stand-in's own
// artifact storage server (../mlflow/api.ts), with the service's limits and rate limits. Admin:
//   GET|POST /__admin/mlflow   limits, page sizes, URL lifetime, storage counters
//   POST /__admin/mlflow/seed  {experiment, runs:[…]}: fill an experiment in one call
//   POST /__admin/mlflow/clear
import { ApiError, Params } from '../http';
import { MlflowApi } from '../mlflow/api';
import type { RouteExtra, RouteFamily } from '../routes';

export const family: RouteFamily = (ctx) => {
  const mlflow = new MlflowApi(ctx.dataDir, ctx.userName);
  const through = (method: string) => (p: Params, x: RouteExtra) => {
    const route = mlflow.find(method, x.pathname);
    if (!route) throw new ApiError(404, 'ENDPOINT_NOT_FOUND', `No API found for '${method} ${x.pathname}'`);
    return route.handler(p, x);
  };
  const body = (b: unknown) => (b && typeof b === 'object' ? (b as Record<string, unknown>) : {});
  const base = '/api/2.0/mlflow';
  return {
    prefixes: { [`GET ${base}`]: through('GET'), [`POST ${base}`]: through('POST') },
    admin: {
      'GET /mlflow': (b) => mlflow.admin('GET', '/__admin/mlflow', body(b)),
      'POST /mlflow': (b) => mlflow.admin('POST', '/__admin/mlflow', body(b)),
      'POST /mlflow/seed': (b) => mlflow.admin('POST', '/__admin/mlflow/seed', body(b)),
      'POST /mlflow/clear': (b) => mlflow.admin('POST', '/__admin/mlflow/clear', body(b)),
    },
    reset: () => mlflow.reset(),
    stop: () => mlflow.stop(),
  };
};
