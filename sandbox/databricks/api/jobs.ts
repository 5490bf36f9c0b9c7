// Jobs 2.0, 2.1 and 2.2 (same handlers on each version's paths): jobs and their runs (../jobs.ts).
import { SANDBOX_WORKSPACE_ID, pythonDir } from '../context';
import type { Params } from '../http';
import { Jobs } from '../jobs';
import type { RouteFamily, RouteHandler } from '../routes';

export const family: RouteFamily = (ctx) => {
  const jobs = new Jobs({
    url: ctx.url,
    workspaceId: SANDBOX_WORKSPACE_ID,
    user: ctx.userName,
    dataDir: ctx.dataDir,
    python: ctx.python,
    pythonEnv: ctx.pythonEnv,
    runPendingMs: ctx.timings.runPendingMs,
    runnerDir: pythonDir(),
    clusters: ctx.clusters,
    workspace: ctx.workspace,
    dbfs: ctx.dbfs,
  });
  const routes: Record<string, RouteHandler> = {};
  for (const v of ['2.0', '2.1', '2.2']) {
    const j = `/api/${v}/jobs`;
    Object.assign(routes, {
      [`GET ${j}/list`]: (p: Params) => jobs.list(p),
      [`GET ${j}/get`]: (p: Params) => jobs.get(p),
      [`POST ${j}/create`]: (p: Params) => jobs.create(p),
      [`POST ${j}/reset`]: (p: Params) => jobs.reset(p),
      [`POST ${j}/update`]: (p: Params) => jobs.update(p),
      [`POST ${j}/delete`]: (p: Params) => jobs.delete(p),
      [`POST ${j}/run-now`]: (p: Params) => jobs.runNow(p),
      [`POST ${j}/runs/submit`]: (p: Params) => jobs.submit(p),
      [`GET ${j}/runs/list`]: (p: Params) => jobs.runsList(p),
      [`GET ${j}/runs/get`]: (p: Params) => jobs.runsGet(p),
      [`GET ${j}/runs/get-output`]: (p: Params) => jobs.runsGetOutput(p),
      [`GET ${j}/runs/export`]: (p: Params) => jobs.runsExport(p),
      [`POST ${j}/runs/cancel`]: (p: Params) => jobs.runsCancel(p),
      [`POST ${j}/runs/cancel-all`]: (p: Params) => jobs.runsCancelAll(p),
      [`POST ${j}/runs/delete`]: (p: Params) => jobs.runsDelete(p),
    });
  }
  return { routes, stop: () => jobs.stop() };
};
