// The local Databricks stand-in: a loopback server on the stand-in kernel that speaks the part of
// the Databricks REST API Ferry uses (the route families in ./api: Clusters 2.0/2.1, Command
// Execution 1.2, Workspace 2.0, Files API, DBFS 2.0, Jobs 2.0/2.1/2.2, Unity Catalog 2.1, MLflow 2.0,
// SCIM Me), with OAuth U2M and
// M2M (/oidc/…, ./oauth.ts), fault injection and request counters for tests.
// Wire facts: docs/reference/databricks-api.md. Admin endpoints (kernel /__admin; the PAT is
// the admin token): POST|GET /__admin/faults, GET /__admin/requests, POST /__admin/reset,
// GET /__admin/info, GET|POST /__admin/oauth ({accessTokenLifetimeSeconds?, deny?: "access_denied" | null,
// servicePrincipals?: [{clientId, clientSecret}]}),
// and the route families' own (GET /__admin/execution: Command Execution's request log; POST
// /__admin/contexts/evict {contextId}: tear a context down as the cluster does; /__admin/unity-catalog,
// /__admin/files, /__admin/mlflow: see their families).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { AdminRoutes, BodyTooLargeError, HttpError, InjectedFault, json, KernelRequest, listen, MalformedBodyError, Reply, resetConnection } from '../kernel';
import { ClusterRegistry, ClusterSeed, DEFAULT_CLUSTER_SEEDS } from './clusters';
import { DEFAULT_TIMINGS, DatabricksTimings, SANDBOX_DATABRICKS_USER, SANDBOX_WORKSPACE_ID, StandInContext } from './context';
import { ApiError, isRaw, Params, parseMultipart, readBody } from './http';
import { OAuthIssuer, OAuthIssuerOptions } from './oauth';
import { routes } from './routes';
import { Dbfs, Workspace } from './storage';
import { UnityCatalog } from './unityCatalog';

export { DEFAULT_TIMINGS, FAST_TIMINGS, SANDBOX_DATABRICKS_USER, SANDBOX_WORKSPACE_ID, pythonDir } from './context';
export type { DatabricksTimings, StandInContext } from './context';

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
   * With `after: true` and another status, the request is carried out and that error is answered
   * (a gateway's 503 for a request the workspace did process).
   */
  failNext?: { count: number; status: number; match?: string; code?: string; message?: string; after?: boolean };
  /** The next `count` requests (optionally only those matching `match`) are held `ms` before they are handled: a slow request, for ordering tests. */
  delayNext?: { count: number; ms: number; match?: string };
}

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
  /** OAuth U2M: lifetime of issued access tokens, a denial to answer instead of a code, the sign-in password. */
  oauth?: OAuthIssuerOptions;
}

export interface DatabricksStandIn {
  url: string;
  port: number;
  /** The PAT the API accepts; also the admin token (`Authorization: Bearer <token>` on /__admin). */
  token: string;
  /** The password of the OAuth sign-in page (/oidc/v1/authorize), fresh per start unless given. */
  signInPassword: string;
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
  // The URL is known once the port is bound; the handlers below read it lazily.
  let url = '';
  let api: ReturnType<typeof routes> | undefined;
  // eslint-disable-next-line prefer-const -- assigned once the port is bound; the handlers above read it later
  let oauth: OAuthIssuer | undefined;

  const admin = new AdminRoutes(token)
    .add('GET /requests', () => ({ counts, total: Object.values(counts).reduce((a, b) => a + b, 0) }))
    .add('GET /faults', () => faults)
    .add('POST /faults', (body) => {
      faults = (body ?? {}) as DatabricksFaults;
      return faults;
    })
    .add('GET /oauth', () => oauth?.options)
    .add('POST /oauth', (body) => oauth?.configure((body ?? {}) as Parameters<OAuthIssuer['configure']>[0]))
    .add('POST /reset', () => {
      faults = {};
      counts = {};
      api?.reset();
      oauth?.reset();
      return {};
    })
    .add('GET /info', () => ({ url, userName, clusterIds, workspaceId: SANDBOX_WORKSPACE_ID }));

  /** The answer a fault gives this request, if it meets one. */
  const injectFault = (key: string): Reply | undefined => {
    const next = faults.failNext;
    if (next && next.count > 0 && !next.after && (!next.match || key.includes(next.match))) {
      next.count -= 1;
      return faultReply(next.status, next.code, next.message);
    }
    if (faults.resetRate && Math.random() < faults.resetRate) return faultReply(0);
    if (faults.rate429 && Math.random() < faults.rate429) return faultReply(429);
    if (faults.rate503 && Math.random() < faults.rate503) return faultReply(503);
    return undefined;
  };

  /** An injected error status (429 and 503 with Retry-After), or a reset for status 0. */
  const faultReply = (status: number, code?: string, message?: string): Reply => {
    if (status === 0) return resetConnection();
    const c = code ?? (status === 429 ? 'TOO_MANY_REQUESTS' : status === 503 ? 'TEMPORARILY_UNAVAILABLE' : status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
    const m =
      message ??
      (status === 429
        ? 'Too many requests. Please wait a moment and try again.'
        : status === 503
          ? 'The service is temporarily unavailable. Please try again later.'
          : 'Injected fault');
    return json(status, { error_code: c, message: m }, status === 429 || status === 503 ? { 'Retry-After': String(faults.retryAfterSeconds ?? 1) } : {});
  };

  const handle = async (r: KernelRequest): Promise<Reply> => {
    const { req, method } = r;
    const pathname = r.url.pathname.replace(/\/{2,}/g, '/');
    const key = `${method} ${pathname}`;
    counts[key] = (counts[key] ?? 0) + 1;
    if (faults.latencyMs) await new Promise((res) => setTimeout(res, faults.latencyMs));
    const slow = faults.delayNext;
    if (slow && slow.count > 0 && (!slow.match || key.includes(slow.match))) {
      slow.count -= 1;
      await new Promise((res) => setTimeout(res, slow.ms));
    }
    const fault = injectFault(key);
    if (fault) return fault;
    if (pathname.startsWith('/oidc/')) {
      const answer = await oauth!.handle(req, r.url, pathname);
      if (answer) return answer;
    }
    const route = api!.find(method, pathname);
    if (!route?.public) {
      const auth = req.headers.authorization;
      if (!auth)
        throw new ApiError(
          401,
          'UNAUTHENTICATED',
          'No authentication credentials were provided. Send a personal access token as "Authorization: Bearer <token>".',
        );
      const bearer = /^Bearer (.+)$/.exec(auth)?.[1];
      // The PAT, or an OAuth access token this stand-in issued and that has not expired.
      if (bearer !== token && !(bearer && oauth!.check(bearer) === 'valid'))
        throw new ApiError(403, 403, 'Invalid access token.', 'standard', { 'X-Databricks-Reason-Phrase': 'Invalid access token.' });
    }
    if (!route) throw new ApiError(404, 'ENDPOINT_NOT_FOUND', `No API found for '${method} ${pathname}'`);
    const bodyBuf = route.rawBody ? Buffer.alloc(0) : await readBody(req);
    let body: Record<string, unknown> = {};
    const ctype = String(req.headers['content-type'] ?? '');
    if (bodyBuf.length && /multipart\/form-data/i.test(ctype)) {
      for (const part of await parseMultipart(bodyBuf, ctype))
        body[part.name] = part.filename !== undefined || part.name === 'content' || part.name === 'file' ? part.data : part.data.toString('utf8');
    } else if (bodyBuf.length) {
      try {
        const parsed: unknown = JSON.parse(bodyBuf.toString('utf8'));
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
      } catch {
        throw new ApiError(
          400,
          'MALFORMED_REQUEST',
          `Invalid JSON given in the body of the request - failed to parse: ${bodyBuf.subarray(0, 80).toString('utf8')}`,
        );
      }
    }
    const result = await route.handler(new Params(r.url.searchParams, body), { req, pathname, match: route.match });
    const lose = faults.failNext;
    if (lose?.after && lose.count > 0 && (!lose.match || key.includes(lose.match))) {
      // Done, but the answer never arrives (status 0), or a gateway answers an error for it.
      lose.count -= 1;
      return faultReply(lose.status, lose.code, lose.message);
    }
    return isRaw(result) ? result : json(200, result ?? {});
  };

  const errorReply = (e: unknown): Reply => {
    if (e instanceof InjectedFault) {
      const code = e.status === 429 ? 'TOO_MANY_REQUESTS' : e.status === 503 ? 'TEMPORARILY_UNAVAILABLE' : 'INTERNAL_ERROR';
      const message =
        e.status === 429
          ? 'Too many requests. Please wait a moment and try again.'
          : e.status === 503
            ? 'The service is temporarily unavailable. Please try again later.'
            : 'Internal error';
      return json(e.status, { error_code: code, message }, e.headers);
    }
    if (e instanceof ApiError) return json(e.status, e.body(), e.headers);
    if (e instanceof BodyTooLargeError) return json(400, { error_code: 'MAX_NOTEBOOK_SIZE_EXCEEDED', message: 'Request body too large' });
    if (e instanceof MalformedBodyError) return json(400, { error_code: 'MALFORMED_REQUEST', message: e.message });
    if (e instanceof HttpError) return json(e.status, { error_code: 'BAD_REQUEST', message: e.message }, e.headers);
    return json(500, { error_code: 'INTERNAL_ERROR', message: e instanceof Error ? e.message : String(e) });
  };

  const server = await listen({ port: opts.port, admin, handle, errorReply });
  url = server.url;
  // The cluster's Python can call the workspace back (MLflow logging without the mlflow package).
  const pythonEnv = { DATABRICKS_HOST: url, DATABRICKS_TOKEN: token, ...opts.pythonEnv };
  const ctx: StandInContext = {
    url,
    dataDir: opts.dataDir,
    userName,
    timings,
    python: opts.python,
    pythonEnv,
    clusters,
    workspace: new Workspace(opts.dataDir, userName),
    dbfs: new Dbfs(opts.dataDir),
    unityCatalog: new UnityCatalog(opts.dataDir, userName),
  };
  try {
    api = routes(ctx);
    for (const [key, handler] of api.admin) admin.add(key, handler);
  } catch (err) {
    await server.stop();
    throw err;
  }
  oauth = new OAuthIssuer(url, opts.oauth);

  return {
    url,
    port: server.port,
    token,
    signInPassword: oauth.password,
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
      await api?.stop();
      await server.stop();
    },
  };
}
