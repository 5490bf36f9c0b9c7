// The stand-in's route table beyond clusters: Command Execution 1.2, Workspace, Files API, DBFS
// and Jobs (2.0, 2.1 and 2.2 paths). Each area lives in its own module; this one maps METHOD +
// path to their handlers.
import type http from 'node:http';
import path from 'node:path';
import { ExecutionContexts } from './execution';
import { Jobs } from './jobs';
import type { Params } from './http';
import { pythonDir, SANDBOX_WORKSPACE_ID, type StandInContext } from './standIn';
import { Dbfs, FilesApi, Workspace } from './storage';

export interface RouteExtra {
  req: http.IncomingMessage;
  pathname: string;
  /** For prefix routes: the rest of the path after the prefix. */
  match?: string;
}

export interface Route {
  handler(p: Params, x: RouteExtra): unknown;
  /** The handler reads the request body itself (raw uploads). */
  rawBody?: boolean;
  match?: string;
}

export interface RouteTable {
  find(method: string, pathname: string): Route | undefined;
  /** Command Execution, for its admin endpoints (request log, eviction). */
  execution: ExecutionContexts;
  stop(): Promise<void>;
}

export function routes(ctx: StandInContext): RouteTable {
  const pyDir = pythonDir();
  const exec = new ExecutionContexts(ctx.clusters, {
    python: ctx.python,
    pythonEnv: ctx.pythonEnv,
    dataDir: ctx.dataDir,
    driver: path.join(pyDir, 'driver.py'),
    contextPendingMs: ctx.timings.contextPendingMs,
    cancelGraceMs: ctx.timings.cancelGraceMs,
    contextNotReadyMs: ctx.timings.contextNotReadyMs,
    plotsDir: path.join(ctx.dataDir, 'dbfs', 'FileStore', 'plots'),
  });
  ctx.clusters.onStopped = (id) => exec.dropCluster(id);
  const workspace = new Workspace(ctx.dataDir, ctx.userName);
  const files = new FilesApi(ctx.dataDir, workspace);
  const dbfs = new Dbfs(ctx.dataDir);
  const jobs = new Jobs({ url: ctx.url, workspaceId: SANDBOX_WORKSPACE_ID, user: ctx.userName, dataDir: ctx.dataDir, python: ctx.python, pythonEnv: ctx.pythonEnv, runPendingMs: ctx.timings.runPendingMs, runnerDir: pyDir, clusters: ctx.clusters, workspace, dbfs });

  type H = (p: Params, x: RouteExtra) => unknown;
  const table: Record<string, H> = {
    'POST /api/1.2/contexts/create': (p) => exec.create(p),
    'GET /api/1.2/contexts/status': (p) => exec.status(p),
    'POST /api/1.2/contexts/destroy': (p) => exec.destroy(p),
    'POST /api/1.2/commands/execute': (p) => exec.execute(p),
    'GET /api/1.2/commands/status': (p) => exec.commandStatus(p),
    'POST /api/1.2/commands/cancel': (p) => exec.cancel(p),

    'POST /api/2.0/workspace/import': (p) => workspace.import(p),
    'GET /api/2.0/workspace/export': (p) => workspace.export(p),
    'GET /api/2.0/workspace/list': (p) => workspace.list(p),
    'POST /api/2.0/workspace/mkdirs': (p) => workspace.mkdirs(p),
    'GET /api/2.0/workspace/get-status': (p) => workspace.getStatus(p),
    'POST /api/2.0/workspace/delete': (p) => workspace.delete(p),

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
  };
  for (const v of ['2.0', '2.1', '2.2']) {
    const j = `/api/${v}/jobs`;
    Object.assign(table, {
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
      [`POST ${j}/runs/cancel`]: (p: Params) => jobs.runsCancel(p),
      [`POST ${j}/runs/cancel-all`]: (p: Params) => jobs.runsCancelAll(p),
      [`POST ${j}/runs/delete`]: (p: Params) => jobs.runsDelete(p),
    });
  }

  const FILES = '/api/2.0/fs/files';
  const DIRS = '/api/2.0/fs/directories';
  const prefixRoute = (method: string, pathname: string): Route | undefined => {
    if (pathname.startsWith(`${FILES}/`)) {
      const rest = pathname.slice(FILES.length);
      if (method === 'PUT') return { rawBody: true, match: rest, handler: (p, x) => files.upload(p, rest, x.req) };
      if (method === 'GET' || method === 'HEAD') return { match: rest, handler: (_p, x) => files.download(rest, x.req, method === 'HEAD') };
      if (method === 'DELETE') return { match: rest, handler: () => files.deleteFile(rest) };
    }
    if (pathname.startsWith(`${DIRS}/`)) {
      const rest = pathname.slice(DIRS.length);
      if (method === 'PUT') return { match: rest, handler: () => files.mkdir(rest) };
      if (method === 'GET') return { match: rest, handler: (p) => files.listDir(p, rest) };
      if (method === 'HEAD') return { match: rest, handler: () => files.headDir(rest) };
      if (method === 'DELETE') return { match: rest, handler: () => files.deleteDir(rest) };
    }
    return undefined;
  };

  return {
    execution: exec,
    find(method, pathname) {
      const h = table[`${method} ${pathname}`];
      if (h) return { handler: h };
      return prefixRoute(method, pathname);
    },
    async stop() {
      await exec.stop();
      await jobs.stop();
    },
  };
}
