// Child-process entry for the S3 stand-in. s3rver builds ListObjectsV2 continuation tokens with
// DES, which OpenSSL 3 disables, so this process must run with --openssl-legacy-provider; the
// parent (standIn.ts) starts it that way. Prints one JSON line with the bound port.
import { errorXml, operationOf, S3Faults } from './faults';
import { multipartMiddleware } from './multipart';
import { regionMiddleware } from './regions';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

interface KoaContext {
  method: string;
  path: string;
  querystring: string;
  status: number;
  type: string;
  body: unknown;
  req: NodeJS.ReadableStream;
  set(name: string, value: string): void;
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
interface KoaLike {
  middleware: Middleware[];
}

function readBody(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

function faultMiddleware(faults: S3Faults): Middleware {
  return async (ctx, next) => {
    if (ctx.path.startsWith('/__admin/')) {
      ctx.type = 'application/json';
      try {
        if (ctx.path === '/__admin/faults' && ctx.method === 'POST') ctx.body = JSON.stringify({ faults: faults.add(JSON.parse((await readBody(ctx.req)) || '[]')) });
        else if (ctx.path === '/__admin/faults' && ctx.method === 'DELETE') ctx.body = JSON.stringify({ faults: (faults.clear(), []) });
        else if (ctx.path === '/__admin/requests' && ctx.method === 'GET') ctx.body = JSON.stringify({ requests: faults.requests() });
        else if (ctx.path === '/__admin/requests' && ctx.method === 'DELETE') ctx.body = JSON.stringify({ requests: (faults.clearRequests(), []) });
        else {
          ctx.status = 404;
          ctx.body = JSON.stringify({ error: `no admin route ${ctx.method} ${ctx.path}` });
        }
      } catch (err) {
        ctx.status = 400;
        ctx.body = JSON.stringify({ error: String(err) });
      }
      return;
    }
    const op = operationOf(ctx.method, ctx.path, new URLSearchParams(ctx.querystring));
    const record = { ...op, status: 0 };
    faults.record(record);
    const fault = faults.take(op.operation, op.bucket);
    if (fault) {
      ctx.status = fault.status;
      ctx.type = 'application/xml';
      ctx.body = errorXml(fault.code, fault.message, ctx.path);
      record.status = fault.status;
      return;
    }
    await next();
    record.status = ctx.status;
  };
}

async function main(): Promise<void> {
  const [dataDir, portArg, bucketsArg] = process.argv.slice(2);
  const buckets = (bucketsArg || '').split(',').filter(Boolean).map((name) => ({ name }));
  const server = new S3rver({ address: '127.0.0.1', port: Number(portArg || 0), directory: dataDir, silent: true, configureBuckets: buckets });
  // Outermost middleware (s3rver is a Koa app): admin routes, the request log and injected faults.
  // Then bucket regions (a wrong-region request answers 301 as S3 does), and the two multipart
  // operations s3rver lacks (ListMultipartUploads, AbortMultipartUpload).
  (server as KoaLike).middleware.unshift(faultMiddleware(new S3Faults()), regionMiddleware(dataDir) as Middleware, multipartMiddleware(dataDir) as Middleware);
  const address = await server.run();
  process.stdout.write(JSON.stringify({ port: address.port }) + '\n');
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n');
  process.exit(1);
});
