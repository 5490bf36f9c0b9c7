// Clusters 2.0 and 2.1: list, get, create, start, restart, terminate, permanent delete, events,
// and the spark-versions and node-type catalogues. The cluster model is ../clusters.ts.
import { NODE_TYPES, SPARK_VERSIONS } from '../clusters';
import type { Params } from '../http';
import type { RouteFamily, RouteHandler } from '../routes';

export const family: RouteFamily = ({ clusters }) => {
  const routes: Record<string, RouteHandler> = {};
  for (const v of ['2.0', '2.1']) {
    const c = `/api/${v}/clusters`;
    Object.assign(routes, {
      [`GET ${c}/spark-versions`]: () => SPARK_VERSIONS,
      [`GET ${c}/list-node-types`]: () => NODE_TYPES,
      [`GET ${c}/list`]: (p: Params) => clusters.list(p, v === '2.1'),
      [`GET ${c}/get`]: (p: Params) => clusters.get(p),
      [`POST ${c}/create`]: (p: Params) => clusters.create(p),
      [`POST ${c}/start`]: (p: Params) => clusters.start(p),
      [`POST ${c}/restart`]: (p: Params) => clusters.restart(p),
      [`POST ${c}/delete`]: (p: Params) => clusters.terminate(p),
      [`POST ${c}/permanent-delete`]: (p: Params) => clusters.permanentDelete(p),
      [`POST ${c}/events`]: (p: Params) => clusters.events(p),
    });
  }
  return { routes };
};
