// The local Databricks stand-in: a loopback HTTP server that speaks the part of the Databricks
// REST API Ferry uses (Clusters 2.0/2.1, Command Execution 1.2, Workspace 2.0, Files API,
// DBFS 2.0, Jobs 2.0/2.1/2.2, SCIM Me), with fault injection and request counters for tests.
// Wire facts: ../shared/reference/databricks-api.md. Admin endpoints (no token needed, loopback
// only): POST /__admin/faults, GET /__admin/faults, GET /__admin/requests, POST /__admin/reset,
// GET|POST /__admin/oauth ({accessTokenLifetimeSeconds?, deny?: "access_denied" | null,
// servicePrincipals?: [{clientId, clientSecret}]}),
// GET /__admin/execution (Command Execution's request log: every execute and every result's size),
// POST /__admin/contexts/evict ({contextId}: tear a context down as the cluster does).
// OAuth U2M and M2M: /oidc/.well-known/oauth-authorization-server, /oidc/v1/authorize, /oidc/v1/token.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ClusterRegistry, ClusterSeed, ClusterTimings, DEFAULT_CLUSTER_SEEDS, DEFAULT_CLUSTER_TIMINGS, NODE_TYPES, SPARK_VERSIONS } from './clusters';
import { ApiError, Params, RawResponse, isRaw, parseMultipart, readBody } from './http';
import { OAuthIssuer, OAuthIssuerOptions } from './oauth';
import { Route, routes } from './routes';

export const SANDBOX_DATABRICKS_USER = 'sandbox@ferry.dev';
export const SANDBOX_WORKSPACE_ID = '900800700600';

/** Faults applied to API requests (never to /__admin). Rates are fractions 0..1. */
export interface DatabricksFaults {
  /** Added delay per request, in ms. */
  latencyMs?: number;
  /** Fraction of requests answered 429 TOO_MANY_REQUESTS with Retry-After. */
  rate429?: number;
  /** Retry-After seconds sent with 429 (and 503) answers; default 1. */
  retryAfterSeconds?: number;
  /** Fraction of requests answered 503 TEMPORARILY_UNAVAILABLE. */
  rate503?: number;
  /** Fraction of requests whose connection is destroyed without an answer. */
  resetRate?: number;
  /**
   * The next `count` requests (optionally only those whose "METHOD path" contains `match`) fail
   * with `status` (429, 503, 500, ... ; 0 = connection reset). Deterministic, for tests. With
   * `after: true` and status 0 the request is carried out first and its answer is lost (the
   * connection is reset instead): the case where a client cannot know that a POST took effect.
   */
  failNext?: { count: number; status: number; match?: string; code?: string; message?: string; after?: boolean };
  /** The next `count` requests (optionally only those matching `match`) are held `ms` before they are handled: a slow request, for ordering tests. */
  delayNext?: { count: number; ms: number; match?: string };
}

export interface DatabricksTimings extends ClusterTimings {
  /** How long a new execution context stays Pending at least. */
  contextPendingMs: number;
  /** How long a job run stays PENDING before its process starts. */
  runPendingMs: number;
  /** How long after SIGINT a cancelled command's process is killed and replaced. */
  cancelGraceMs: number;
  /** How long after a cluster reaches RUNNING contexts/create still answers ClusterNotReadyException. */
  contextNotReadyMs: number;
}

export const DEFAULT_TIMINGS: DatabricksTimings = { ...DEFAULT_CLUSTER_TIMINGS, contextPendingMs: 0, runPendingMs: 500, cancelGraceMs: 3000, contextNotReadyMs: 1500 };
/** Timings that keep integration tests quick. */
export const FAST_TIMINGS: DatabricksTimings = { startMs: 200, restartMs: 200, terminateMs: 200, contextPendingMs: 0, runPendingMs: 50, cancelGraceMs: 3000, contextNotReadyMs: 300 };

export interface DatabricksStandInOptions {
  /** Port to listen on (127.0.0.1); 0 or absent picks a free one. */
  port?: number;
  /** Where workspace files, DBFS and Files API data live. */
  dataDir: string;
  /** The personal access token the stand-in accepts; a random `dapi…` one by default. */
  token?: string;
  /** Shorthand for faults.latencyMs. */
  latencyMs?: number;
  faults?: DatabricksFaults;
  /** Python interpreter for contexts and runs (else env FERRY_PYTHON, else one that imports pandas). */
  python?: string;
  /** Extra environment for the cluster's Python processes (e.g. the sandbox's S3 endpoint and keys). */
  pythonEnv?: Record<string, string>;
  timings?: Partial<DatabricksTimings>;
  /** Clusters to seed; two by default (one RUNNING, one TERMINATED). */
  clusters?: ClusterSeed[];
  /** The user name SCIM Me answers; sandbox@ferry.dev by default. */
  userName?: string;
  /** OAuth U2M: lifetime of issued access tokens, and a denial to answer instead of a code. */
  oauth?: OAuthIssuerOptions;
}

export interface DatabricksStandIn {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  userName: string;
  /** Ids of the seeded clusters, in seed order. */
  clusterIds: string[];
  /** Replaces the current faults (same shape as POST /__admin/faults). */
  setFaults(f: DatabricksFaults): void;
  /** Requests seen per "METHOD /path" since start or the last reset. */
  requestCounts(): Record<string, number>;
  resetCounters(): void;
  stop(): Promise<void>;
}

export interface StandInContext {
  url: string;
  dataDir: string;
  userName: string;
  timings: DatabricksTimings;
  python?: string;
  /** Extra environment for the cluster's Python processes (e.g. the sandbox's S3 endpoint and keys). */
  pythonEnv?: Record<string, string>;
  clusters: ClusterRegistry;
}

export async function startDatabricksStandIn(opts: DatabricksStandInOptions): Promise<DatabricksStandIn> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const token = opts.token ?? `dapi${crypto.randomBytes(16).toString('hex')}`;
  const userName = opts.userName ?? SANDBOX_DATABRICKS_USER;
  const timings: DatabricksTimings = { ...DEFAULT_TIMINGS, ...opts.timings };
  let faults: DatabricksFaults = { ...opts.faults, latencyMs: opts.latencyMs ?? opts.faults?.latencyMs };
  let counts: Record<string, number> = {};
  const seeds = opts.clusters ?? DEFAULT_CLUSTER_SEEDS;
  const clusters = new ClusterRegistry(timings, userName, seeds);
  const clusterIds = clusters.ids();

  const server = http.createServer();
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const ctx: StandInContext = { url, dataDir: opts.dataDir, userName, timings, python: opts.python, pythonEnv: opts.pythonEnv, clusters };
  const api = routes(ctx);
  const oauth = new OAuthIssuer(url, opts.oauth);

  const me = {
    id: '7216344186720391',
    userName,
    displayName: 'Ferry Sandbox',
    active: true,
    emails: [{ type: 'work', value: userName, primary: true }],
    name: { givenName: 'Ferry', familyName: 'Sandbox' },
    groups: [{ display: 'users', type: 'direct', value: '262914224530212', $ref: 'Groups/262914224530212' }],
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:workspace:2.0:User'],
  };
  const fixed: Record<string, (p: Params) => unknown> = {
    'GET /.well-known/databricks-config': () => ({ oidc_endpoint: `${url}/oidc`, workspace_id: SANDBOX_WORKSPACE_ID }),
    'GET /api/2.0/preview/scim/v2/Me': () => me,
    'GET /api/2.0/clusters/spark-versions': () => SPARK_VERSIONS,
    'GET /api/2.1/clusters/spark-versions': () => SPARK_VERSIONS,
    'GET /api/2.0/clusters/list-node-types': () => NODE_TYPES,
    'GET /api/2.1/clusters/list-node-types': () => NODE_TYPES,
  };
  for (const v of ['2.0', '2.1']) {
    fixed[`GET /api/${v}/clusters/list`] = (p) => clusters.list(p, v === '2.1');
    fixed[`GET /api/${v}/clusters/get`] = (p) => clusters.get(p);
    fixed[`POST /api/${v}/clusters/create`] = (p) => clusters.create(p);
    fixed[`POST /api/${v}/clusters/start`] = (p) => clusters.start(p);
    fixed[`POST /api/${v}/clusters/restart`] = (p) => clusters.restart(p);
    fixed[`POST /api/${v}/clusters/delete`] = (p) => clusters.terminate(p);
    fixed[`POST /api/${v}/clusters/permanent-delete`] = (p) => clusters.permanentDelete(p);
    fixed[`POST /api/${v}/clusters/events`] = (p) => clusters.events(p);
  }

  const findRoute = (method: string, pathname: string): Route | undefined => {
    const f = fixed[`${method} ${pathname}`];
    if (f) return { handler: (p) => f(p) };
    return api.find(method, pathname);
  };

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  const admin = async (req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> => {
    const body = await readBody(req);
    if (req.method === 'GET' && pathname === '/__admin/requests') return send(res, 200, { counts, total: Object.values(counts).reduce((a, b) => a + b, 0) });
    if (req.method === 'GET' && pathname === '/__admin/faults') return send(res, 200, faults);
    if (req.method === 'POST' && pathname === '/__admin/faults') {
      faults = body.length ? (JSON.parse(body.toString('utf8')) as DatabricksFaults) : {};
      return send(res, 200, faults);
    }
    if (req.method === 'GET' && pathname === '/__admin/oauth') return send(res, 200, oauth.options);
    if (req.method === 'POST' && pathname === '/__admin/oauth') {
      const next = body.length ? (JSON.parse(body.toString('utf8')) as Parameters<OAuthIssuer['configure']>[0]) : {};
      return send(res, 200, oauth.configure(next));
    }
    if (req.method === 'GET' && pathname === '/__admin/execution') return send(res, 200, api.execution.executionLog());
    if (req.method === 'POST' && pathname === '/__admin/contexts/evict') {
      const { contextId } = body.length ? (JSON.parse(body.toString('utf8')) as { contextId?: string }) : {};
      return send(res, 200, { evicted: api.execution.evict(String(contextId ?? '')) });
    }
    if (req.method === 'POST' && pathname === '/__admin/reset') {
      faults = {};
      counts = {};
      api.execution.resetLog();
      oauth.reset();
      return send(res, 200, {});
    }
    if (req.method === 'GET' && pathname === '/__admin/info') return send(res, 200, { url, userName, clusterIds, workspaceId: SANDBOX_WORKSPACE_ID });
    send(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No admin endpoint ${req.method} ${pathname}` });
  };

  /** Decides whether this request is answered by a fault; true when it was. */
  const injectFault = (req: http.IncomingMessage, res: http.ServerResponse, key: string): boolean => {
    const retryAfter = String(faults.retryAfterSeconds ?? 1);
    const fail = (status: number, code?: string, message?: string): boolean => {
      if (status === 0) {
        req.socket.destroy();
        return true;
      }
      const c = code ?? (status === 429 ? 'TOO_MANY_REQUESTS' : status === 503 ? 'TEMPORARILY_UNAVAILABLE' : status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
      const m = message ?? (status === 429 ? 'Too many requests. Please wait a moment and try again.' : status === 503 ? 'The service is temporarily unavailable. Please try again later.' : 'Injected fault');
      send(res, status, { error_code: c, message: m }, status === 429 || status === 503 ? { 'Retry-After': retryAfter } : {});
      return true;
    };
    const next = faults.failNext;
    if (next && next.count > 0 && !next.after && (!next.match || key.includes(next.match))) {
      next.count -= 1;
      return fail(next.status, next.code, next.message);
    }
    if (faults.resetRate && Math.random() < faults.resetRate) return fail(0);
    if (faults.rate429 && Math.random() < faults.rate429) return fail(429);
    if (faults.rate503 && Math.random() < faults.rate503) return fail(503);
    return false;
  };

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    void (async () => {
      const u = new URL(req.url ?? '/', url);
      const pathname = u.pathname.replace(/\/{2,}/g, '/');
      const method = req.method ?? 'GET';
      try {
        if (pathname.startsWith('/__admin/')) return await admin(req, res, pathname);
        const key = `${method} ${pathname}`;
        counts[key] = (counts[key] ?? 0) + 1;
        if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
        const slow = faults.delayNext;
        if (slow && slow.count > 0 && (!slow.match || key.includes(slow.match))) {
          slow.count -= 1;
          await new Promise((r) => setTimeout(r, slow.ms));
        }
        if (injectFault(req, res, key)) return;
        if (pathname.startsWith('/oidc/') && (await oauth.handle(req, res, u, pathname))) return;
        const route = findRoute(method, pathname);
        const publicPath = pathname === '/.well-known/databricks-config';
        if (!publicPath) {
          const auth = req.headers.authorization;
          if (!auth) throw new ApiError(401, 'UNAUTHENTICATED', 'No authentication credentials were provided. Send a personal access token as "Authorization: Bearer <token>".');
          const bearer = /^Bearer (.+)$/.exec(auth)?.[1];
          // The PAT, or an OAuth access token this stand-in issued and that has not expired.
          if (bearer !== token && !(bearer && oauth.check(bearer) === 'valid')) throw new ApiError(403, 403, 'Invalid access token.', 'standard', { 'X-Databricks-Reason-Phrase': 'Invalid access token.' });
        }
        if (!route) throw new ApiError(404, 'ENDPOINT_NOT_FOUND', `No API found for '${method} ${pathname}'`);
        const bodyBuf = route.rawBody ? Buffer.alloc(0) : await readBody(req);
        let body: Record<string, unknown> = {};
        const ctype = String(req.headers['content-type'] ?? '');
        if (bodyBuf.length && /multipart\/form-data/i.test(ctype)) {
          for (const part of parseMultipart(bodyBuf, ctype)) body[part.name] = part.filename !== undefined || part.name === 'content' || part.name === 'file' ? part.data : part.data.toString('utf8');
        } else if (bodyBuf.length) {
          try {
            const parsed: unknown = JSON.parse(bodyBuf.toString('utf8'));
            if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
          } catch {
            throw new ApiError(400, 'MALFORMED_REQUEST', `Invalid JSON given in the body of the request - failed to parse: ${bodyBuf.subarray(0, 80).toString('utf8')}`);
          }
        }
        const result = await route.handler(new Params(u.searchParams, body), { req, pathname, match: route.match });
        const lose = faults.failNext;
        if (lose?.after && lose.count > 0 && (!lose.match || key.includes(lose.match))) {
          // Done, but the answer never arrives.
          lose.count -= 1;
          req.socket.destroy();
          return;
        }
        if (isRaw(result)) {
          const r = result as RawResponse;
          res.writeHead(r.status, r.headers);
          res.end(method === 'HEAD' ? undefined : r.body);
        } else send(res, 200, result ?? {});
      } catch (e) {
        if (res.headersSent || res.destroyed) return;
        if (e instanceof ApiError) send(res, e.status, e.body(), e.headers);
        else send(res, 500, { error_code: 'INTERNAL_ERROR', message: e instanceof Error ? e.message : String(e) });
      }
    })();
  });

  return {
    url,
    port,
    token,
    dataDir: opts.dataDir,
    userName,
    clusterIds,
    setFaults: (f) => {
      faults = { ...f };
    },
    requestCounts: () => ({ ...counts }),
    resetCounters: () => {
      counts = {};
    },
    stop: async () => {
      await api.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

/** Where the stand-in's Python driver files live, from src or from out/. */
export function pythonDir(): string {
  const here = path.join(__dirname, 'python');
  if (fs.existsSync(path.join(here, 'driver.py'))) return here;
  return path.resolve(__dirname, '../../..', 'sandbox/databricks/python');
}
