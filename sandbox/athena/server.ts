// The Athena stand-in's wire on the stand-in kernel: JSON 1.1 (POST /, X-Amz-Target:
// AmazonAthena.<Operation>, application/x-amz-json-1.1), the access key check, added latency and
// injected faults, the request log, and admin routes (faults, timings, workgroups, requests) that
// need the stand-in's admin token. Errors are Athena's: `{__type, Message, …}` with x-amzn-ErrorType.
import { randomUUID } from 'node:crypto';
import { AdminRoutes, BodyTooLargeError, InjectedFault, json, KernelServer, listen, MalformedBodyError, readBody, Reply } from '../kernel';
import type { Operation } from './operations';
import { ApiError, AthenaFault, AthenaTimings, WorkGroupConfig } from './protocol';

export interface AthenaServerOptions {
  port?: number;
  adminToken: string;
  /** The access key id requests must be signed with. */
  acceptedKey: string;
  latencyMs?: number;
  operations: Record<string, Operation>;
  faults: AthenaFault[];
  setTimings(t: AthenaTimings): void;
  workGroups: Map<string, WorkGroupConfig>;
  requests: Array<{ operation: string; at: number }>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function send(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return json(status, body, { 'x-amzn-RequestId': randomUUID(), ...headers }, 'application/x-amz-json-1.1');
}

export async function startAthenaServer(o: AthenaServerOptions): Promise<KernelServer> {
  const faults = o.faults;
  const takeFault = (operation: string): AthenaFault | undefined => {
    const f = faults.find((x) => x.operation === operation || x.operation === '*');
    if (!f) return undefined;
    const left = (f.count ?? 1) - 1;
    if (left <= 0) faults.splice(faults.indexOf(f), 1);
    else f.count = left;
    return f;
  };
  const admin = new AdminRoutes(o.adminToken)
    .add('POST /faults', (body) => {
      const parsed = (body ?? []) as AthenaFault | AthenaFault[];
      faults.push(...(Array.isArray(parsed) ? parsed : [parsed]));
      return { faults };
    })
    .add('GET /faults', () => ({ faults }))
    .add('DELETE /faults', () => {
      faults.length = 0;
      return { faults };
    })
    .add('POST /timings', (body) => {
      const timings = (body ?? {}) as AthenaTimings;
      o.setTimings(timings);
      return { timings };
    })
    .add('POST /workgroups', (body) => {
      const wg = (body ?? {}) as WorkGroupConfig;
      if (!wg.name) throw new ApiError('InvalidRequestException', 'name required');
      o.workGroups.set(wg.name, wg);
      return { workGroups: [...o.workGroups.values()] };
    })
    .add('GET /requests', () => ({ requests: o.requests }))
    .add('DELETE /requests', () => {
      o.requests.length = 0;
      return { requests: o.requests };
    });

  return listen({
    port: o.port,
    admin,
    handle: async ({ req, method }) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (method !== 'POST' || !target.startsWith('AmazonAthena.'))
        throw new ApiError('UnknownOperationException', 'Expected POST / with X-Amz-Target: AmazonAthena.<Operation>', 400);
      const operation = target.slice('AmazonAthena.'.length);
      o.requests.push({ operation, at: Date.now() });
      const raw = (await readBody(req, 8 * 1024 * 1024)).toString('utf8');
      const auth = String(req.headers.authorization ?? '');
      const key = /Credential=([^/]+)\//.exec(auth)?.[1];
      if (!key) throw new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token', 400);
      if (key !== o.acceptedKey) throw new ApiError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);
      if (o.latencyMs) await sleep(o.latencyMs);
      const fault = takeFault(operation);
      if (fault?.kind === 'latency') await sleep(fault.ms ?? 1000);
      if (fault?.kind === 'throttle') throw new ApiError('TooManyRequestsException', 'Rate exceeded', 400, { Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED' });
      if (fault?.kind === 'error500') throw new ApiError('InternalServerException', 'We encountered an internal error. Please try again.', 500);
      const handler = o.operations[operation];
      if (!handler) throw new ApiError('UnknownOperationException', `Operation ${operation} is not served by the Athena stand-in`, 400);
      let body: Record<string, unknown>;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        throw new ApiError('SerializationException', 'Request body is not valid JSON', 400);
      }
      return send(200, await handler(body));
    },
    errorReply: (err) => {
      if (err instanceof InjectedFault) {
        // A throttling gateway (429), or Athena's own internal and unavailable answers.
        const type = err.status === 429 ? 'ThrottlingException' : err.status === 503 ? 'ServiceUnavailableException' : 'InternalServerException';
        return send(
          err.status,
          { __type: type, Message: err.status === 429 ? 'Rate exceeded' : 'We encountered an internal error. Please try again.' },
          { 'x-amzn-ErrorType': type, ...err.headers },
        );
      }
      const e =
        err instanceof ApiError
          ? err
          : err instanceof BodyTooLargeError
            ? new ApiError('InvalidRequestException', 'Request body is too large', 400)
            : err instanceof MalformedBodyError
              ? new ApiError('SerializationException', err.message, 400)
              : new ApiError('InternalServerException', err instanceof Error ? err.message : String(err), 500);
      return send(e.status, { __type: e.type, Message: e.message, ...e.extra }, { 'x-amzn-ErrorType': e.type });
    },
  });
}
