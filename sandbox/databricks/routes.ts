// The Databricks stand-in's route table, made of route families: every module in ./api exports
// `family`, a function of the shared StandInContext that returns its routes ("METHOD /path" →
// handler), its prefix routes, and how to stop what it started. Adding an API area (Unity Catalog,
// SQL warehouses, MLflow, …) is one new file in ./api: it is found here at start, in file-name
// order, and a route claimed by two families stops the stand-in from starting. A family may also
// add admin routes of its own (under /__admin, with the PAT) and a hook for POST /__admin/reset.
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { AdminHandler, Router } from '../kernel';
import type { StandInContext } from './context';
import type { Params } from './http';

export interface RouteExtra {
  req: http.IncomingMessage;
  pathname: string;
  /** For prefix routes: the rest of the path after the prefix. */
  match?: string;
}

export type RouteHandler = (p: Params, x: RouteExtra) => unknown;

export interface Route {
  handler: RouteHandler;
  /** The handler reads the request body itself (raw uploads). */
  rawBody?: boolean;
  /** Answered without a token (discovery documents). */
  public?: boolean;
}

export interface FamilyRoutes {
  /** "METHOD /path" (or "GET|HEAD /path") → handler. */
  routes?: Record<string, RouteHandler | Route>;
  /** "METHOD /prefix" → handler for every path under the prefix; `x.match` is the rest. */
  prefixes?: Record<string, RouteHandler | Route>;
  /** "METHOD /name" → admin handler, served as /__admin/name (tests and tools). */
  admin?: Record<string, AdminHandler>;
  /** Called by POST /__admin/reset. */
  reset?(): void;
  stop?(): Promise<void>;
}

export type RouteFamily = (ctx: StandInContext) => FamilyRoutes;

export interface RouteTable {
  find(method: string, pathname: string): (Route & { match?: string }) | undefined;
  /** Every route, for tests and docs. */
  keys(): string[];
  /** The families' admin routes ("METHOD /name" → handler). */
  admin: Array<[string, AdminHandler]>;
  reset(): void;
  stop(): Promise<void>;
}

const asRoute = (h: RouteHandler | Route): Route => (typeof h === 'function' ? { handler: h } : h);

/** The families in ./api, in file-name order. */
export function loadFamilies(dir = path.join(__dirname, 'api')): Array<{ name: string; family: RouteFamily }> {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.js$/.test(f) || (/\.ts$/.test(f) && !f.endsWith('.d.ts') && !fs.existsSync(path.join(dir, f.replace(/\.ts$/, '.js')))))
    .sort()
    .map((f) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(dir, f)) as { family?: RouteFamily };
      if (typeof mod.family !== 'function') throw new Error(`sandbox/databricks/api/${f} exports no route family (export const family: RouteFamily)`);
      return { name: f.replace(/\.(js|ts)$/, ''), family: mod.family };
    });
}

export function routes(ctx: StandInContext, families = loadFamilies()): RouteTable {
  const router = new Router<Route>();
  const stops: Array<() => Promise<void>> = [];
  const admin: Array<[string, AdminHandler]> = [];
  const resets: Array<() => void> = [];
  for (const { name, family } of families) {
    const made = family(ctx);
    admin.push(...Object.entries(made.admin ?? {}));
    if (made.reset) resets.push(made.reset);
    try {
      for (const [key, h] of Object.entries(made.routes ?? {})) router.add(key, asRoute(h));
      for (const [key, h] of Object.entries(made.prefixes ?? {})) router.prefix(key, asRoute(h));
    } catch (err) {
      throw new Error(`route family ${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (made.stop) stops.push(made.stop);
  }
  return {
    find(method, pathname) {
      const m = router.find(method, pathname);
      return m ? { ...m.handler, match: m.rest } : undefined;
    },
    keys: () => router.keys(),
    admin,
    reset: () => resets.forEach((r) => r()),
    async stop() {
      for (const stop of stops) await stop();
    },
  };
}
