// The S3 stand-in's HTTP side on the kernel: admin routes (faults, request log), the request log
// and injected faults in front of the operations, and every error rendered as S3 renders it —
// XML <Error> documents, no body on HEAD, a bare 400 where S3 sends one. Each error it answers is
// also written to stderr (one line), so that a report of a dead stand-in shows what it did last.
import { AdminRoutes, HttpError, InjectedFault, listen, KernelServer, reply, bytes, BodyTooLargeError, MalformedBodyError } from '../kernel';
import { operationOf, S3Faults } from './faults';
import { handleS3, S3Context } from './operations';
import { Credentials } from './sigv4';
import { ObjectStore } from './store';
import { errorXml, requestId, S3Error } from './xml';

export interface S3ServerOptions {
  dataDir: string;
  port?: number;
  buckets?: string[];
  creds: Credentials;
  adminToken: string;
  region?: string;
  /** Where a line per answered error goes (the child's stderr). */
  log?: (line: string) => void;
}

export async function startS3Server(opts: S3ServerOptions): Promise<KernelServer> {
  const store = new ObjectStore(opts.dataDir);
  const region = opts.region ?? 'us-east-1';
  for (const b of opts.buckets ?? []) if (!store.bucket(b)) store.createBucket(b, region);
  const ctx: S3Context = { store, creds: opts.creds, defaultRegion: region };
  const faults = new S3Faults();
  const log = opts.log ?? (() => undefined);
  const admin = new AdminRoutes(opts.adminToken)
    .add('POST /faults', (body) => ({ faults: faults.add((body ?? []) as never) }))
    .add('GET /faults', () => ({ faults: faults.list() }))
    .add('DELETE /faults', () => ({ faults: (faults.clear(), []) }))
    .add('POST /bucket-regions', (body) => {
      // {"bucket": "region", …} for buckets that exist.
      for (const [bucket, r] of Object.entries((body ?? {}) as Record<string, string>)) {
        if (!store.bucket(bucket)) throw new S3Error(404, 'NoSuchBucket', `no bucket ${bucket}`);
        store.setRegion(bucket, r);
      }
      return { ok: true };
    })
    .add('GET /requests', () => ({ requests: faults.requests() }))
    .add('DELETE /requests', () => ({ requests: (faults.clearRequests(), []) }));

  const records = new WeakMap<object, { status?: number }>();
  return listen({
    port: opts.port,
    admin,
    onLost: (err) => log(`S3 stand-in: connection lost: ${err instanceof Error ? err.message : String(err)}`),
    handle: async (r) => {
      const op = operationOf(r.method, r.rawPath, r.url.searchParams);
      const record = { ...op, status: 0 };
      records.set(r.req, record);
      faults.record(record);
      const fault = faults.take(op.operation, op.bucket);
      if (fault)
        throw new S3Error(fault.status, fault.code, fault.message, {}, fault.status === 503 || fault.code === 'SlowDown' ? { 'Retry-After': '1' } : {});
      const answer = await handleS3(r, ctx);
      record.status = answer.status;
      answer.headers['x-amz-request-id'] ??= requestId();
      return answer;
    },
    errorReply: (err, r) => {
      const e =
        err instanceof S3Error
          ? err
          : err instanceof InjectedFault
            ? new S3Error(
                err.status,
                err.status === 500 ? 'InternalError' : 'SlowDown',
                err.status === 500 ? 'We encountered an internal error. Please try again.' : 'Please reduce your request rate.',
                {},
                err.headers,
              )
            : err instanceof BodyTooLargeError
              ? new S3Error(400, 'MaxMessageLengthExceeded', 'Your request was too big.')
              : err instanceof MalformedBodyError
                ? new S3Error(400, 'IncompleteBody', err.message)
                : err instanceof HttpError
                  ? new S3Error(err.status, 'InvalidRequest', err.message)
                  : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
      const record = records.get(r.req);
      if (record) record.status = e.status;
      log(`S3 stand-in: ${e.status} ${e.code} ${r.method} ${r.rawPath}${e.status === 500 && err instanceof Error ? ` (${err.stack ?? err.message})` : ''}`);
      const id = requestId();
      const headers = { 'x-amz-request-id': id, ...e.headers };
      if (e.bare) return reply(e.status, { 'Content-Length': '0', Connection: 'close' });
      if (r.method === 'HEAD') return reply(e.status, headers);
      return bytes(e.status, { 'Content-Type': 'application/xml', ...headers }, errorXml(e.code, e.message, r.rawPath, e.fields, id));
    },
  });
}
