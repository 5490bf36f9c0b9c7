// Bucket regions for the S3 stand-in. s3rver has one endpoint and no regions; S3 has a region per
// bucket, and a request signed for another region reaches the wrong regional endpoint, which
// answers 301 PermanentRedirect with the bucket's region in `x-amz-bucket-region` (HEAD: the same
// status and header, no body). Sources: docs/reference-additions.md "S3: a request in the wrong
// region". Here the region a request was meant for is the one in its SigV4 credential scope
// (Authorization header, or X-Amz-Credential of a presigned URL).
//   - CreateBucket records CreateBucketConfiguration/LocationConstraint, else the signing region
//     (S3 itself refuses a constraint-less CreateBucket outside us-east-1: unconfirmed here, so
//     the stand-in accepts it and keeps the region it was sent to);
//   - buckets the stand-in was started with, or made before this file existed, are us-east-1;
//   - GetBucketLocation answers the recorded region (empty for us-east-1, as S3 does), HeadBucket
//     and every answer for a bucket carry x-amz-bucket-region;
//   - POST /__admin/bucket-regions {"bucket": "region"} sets regions directly (tests).
// Kept in a JSON file in the data folder, so a restart keeps them.
import fs from 'node:fs';
import path from 'node:path';
import { escapeXml } from './faults';

export interface RegionContext {
  method: string;
  path: string;
  querystring: string;
  status: number;
  type: string;
  body: unknown;
  req: NodeJS.ReadableStream;
  get(name: string): string;
  set(name: string, value: string): void;
}

export const DEFAULT_REGION = 'us-east-1';

/** The region of a request's SigV4 credential scope, if it is signed. */
export function signingRegion(authorization: string, query: URLSearchParams): string | undefined {
  const scope = /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\/s3\/aws4_request/.exec(authorization)?.[1];
  if (scope) return scope;
  const credential = query.get('X-Amz-Credential');
  return credential ? /^[^/]+\/\d{8}\/([a-z0-9-]+)\/s3\/aws4_request$/.exec(credential)?.[1] : undefined;
}

export class BucketRegions {
  private readonly file: string;
  private regions: Record<string, string>;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, '.ferry-bucket-regions.json');
    try {
      this.regions = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      this.regions = {};
    }
  }

  of(bucket: string): string {
    return this.regions[bucket] ?? DEFAULT_REGION;
  }

  set(bucket: string, region: string): void {
    this.regions[bucket] = region;
    fs.writeFileSync(this.file, JSON.stringify(this.regions));
  }
}

function readBody(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

export function permanentRedirectXml(bucket: string, region: string, requestId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.</Message>' +
    `<Endpoint>${escapeXml(`${bucket}.s3.${region}.amazonaws.com`)}</Endpoint><Bucket>${escapeXml(bucket)}</Bucket><RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`
  );
}

export function regionMiddleware(dataDir: string): (ctx: RegionContext, next: () => Promise<void>) => Promise<void> {
  const regions = new BucketRegions(dataDir);
  return async (ctx, next) => {
    if (ctx.path === '/__admin/bucket-regions' && ctx.method === 'POST') {
      const body = JSON.parse((await readBody(ctx.req)) || '{}') as Record<string, string>;
      for (const [bucket, region] of Object.entries(body)) regions.set(bucket, region);
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ ok: true });
      return;
    }
    // Path style: /bucket, /bucket/ or /bucket/key.
    const parts = ctx.path.replace(/^\/+/, '').split('/');
    if (parts.length === 2 && parts[1] === '') parts.pop();
    const bucket = parts[0] ? decodeURIComponent(parts[0]) : '';
    if (!bucket || bucket === '__admin') return next();
    const query = new URLSearchParams(ctx.querystring);
    const signed = signingRegion(ctx.get('authorization'), query);
    const isCreate = ctx.method === 'PUT' && parts.length === 1 && !ctx.querystring;
    if (isCreate) {
      // s3rver ignores the body; read the location constraint from it before s3rver sees the request.
      const body = await readBody(ctx.req);
      const constraint = /<LocationConstraint>([^<]+)<\/LocationConstraint>/.exec(body)?.[1];
      await next();
      if (ctx.status < 300) regions.set(bucket, constraint || signed || DEFAULT_REGION);
      ctx.set('x-amz-bucket-region', regions.of(bucket));
      return;
    }
    const region = regions.of(bucket);
    ctx.set('x-amz-bucket-region', region);
    if (signed && signed !== region) {
      ctx.status = 301;
      if (ctx.method === 'HEAD') ctx.body = null;
      else {
        ctx.type = 'application/xml';
        ctx.body = permanentRedirectXml(bucket, region, Date.now().toString(16).toUpperCase());
      }
      return;
    }
    if (ctx.method === 'GET' && parts.length === 1 && query.has('location')) {
      ctx.type = 'application/xml';
      ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${region === DEFAULT_REGION ? '' : escapeXml(region)}</LocationConstraint>`;
      return;
    }
    await next();
  };
}
