// Command Execution 1.2: execution contexts with persistent Python processes on a cluster
// (../execution.ts). Errors here use the 1.2 form `{error}`. Admin: GET /__admin/execution (the
// request log), POST /__admin/contexts/evict.
import path from 'node:path';
import { pythonDir } from '../context';
import { ExecutionContexts } from '../execution';
import type { RouteFamily } from '../routes';

export const family: RouteFamily = (ctx) => {
  const exec = new ExecutionContexts(ctx.clusters, {
    python: ctx.python,
    pythonEnv: ctx.pythonEnv,
    dataDir: ctx.dataDir,
    driver: path.join(pythonDir(), 'driver.py'),
    contextPendingMs: ctx.timings.contextPendingMs,
    cancelGraceMs: ctx.timings.cancelGraceMs,
    contextNotReadyMs: ctx.timings.contextNotReadyMs,
    plotsDir: path.join(ctx.dataDir, 'dbfs', 'FileStore', 'plots'),
  });
  ctx.clusters.onStopped = (id) => exec.dropCluster(id);
  return {
    routes: {
      'POST /api/1.2/contexts/create': (p) => exec.create(p),
      'GET /api/1.2/contexts/status': (p) => exec.status(p),
      'POST /api/1.2/contexts/destroy': (p) => exec.destroy(p),
      'POST /api/1.2/commands/execute': (p) => exec.execute(p),
      'GET /api/1.2/commands/status': (p) => exec.commandStatus(p),
      'POST /api/1.2/commands/cancel': (p) => exec.cancel(p),
    },
    admin: {
      // Command Execution's request log: every execute and every result's size.
      'GET /execution': () => exec.executionLog(),
      // Tear a context down as the cluster does ({contextId}).
      'POST /contexts/evict': (body) => ({ evicted: exec.evict(String((body as { contextId?: string } | undefined)?.contextId ?? '')) }),
    },
    reset: () => exec.resetLog(),
    stop: () => exec.stop(),
  };
};
