// The one factory of AWS clients, for S3 and Athena alike: clients cached by profile, region and
// endpoint, each with its own proxy/CA agents (NodeHttpHandler), all dropped when the connection
// or the network settings change. S3 clients also get the checksum fallback, path-style
// addressing for custom endpoints and region redirects; forBucket() finds a bucket's own region
// once, so the explorer and Athena's result reads reach buckets in any region the same way.
import { AthenaClient } from '@aws-sdk/client-athena';
import { GetBucketLocationCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { BuildMiddleware, MetadataBearer } from '@smithy/types';
import { createHash } from 'node:crypto';
import { ChecksumMode } from '../core/config';
import { NetworkSource, staticNetwork } from '../core/network';
import { AwsConnection, AwsConnectionSource } from './connection';

export interface S3ClientOptions {
  checksum: ChecksumMode;
  forcePathStyle: boolean;
}

/**
 * For DeleteObjects (its model requires a checksum) S3-compatible servers such as MinIO want
 * Content-MD5, not the CRC32 the SDK now sends; with WHEN_REQUIRED we send MD5 instead
 * (aws-sdk-js-v3 supplemental-docs/MD5_FALLBACK.md).
 */
const md5FallbackForDeleteObjects: BuildMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
  const request = args.request as { headers?: Record<string, string>; body?: unknown };
  if ((context as { commandName?: string }).commandName === 'DeleteObjectsCommand' && request.headers && typeof request.body === 'string') {
    for (const name of Object.keys(request.headers)) {
      if (/^x-amz-checksum-|^x-amz-sdk-checksum-/i.test(name)) delete request.headers[name];
    }
    request.headers['content-md5'] = createHash('md5').update(request.body).digest('base64');
  }
  return next(args);
};

export class AwsClients {
  private readonly s3Clients = new Map<string, S3Client>();
  private readonly athenaClients = new Map<string, AthenaClient>();
  private readonly bucketRegions = new Map<string, Promise<string>>();
  private readonly subscriptions: Array<{ dispose(): void }>;

  constructor(
    private readonly connection: AwsConnectionSource,
    private options: S3ClientOptions,
    private readonly network: NetworkSource = staticNetwork(),
  ) {
    this.subscriptions = [connection.onDidChange(() => this.clear()), network.onDidChange(() => this.clear())];
  }

  setOptions(options: S3ClientOptions): void {
    if (options.checksum === this.options.checksum && options.forcePathStyle === this.options.forcePathStyle) return;
    this.options = options;
    this.clear();
  }

  get conn(): AwsConnection {
    return this.connection.current();
  }

  /** The HTTP handler of a new client: its own agents from the current network profile. */
  private handler(): NodeHttpHandler {
    const { httpAgent, httpsAgent } = this.network.current().createAgents();
    return new NodeHttpHandler({ httpAgent, httpsAgent, connectionTimeout: 30_000 });
  }

  /** An S3 client for the region (default: the connection's). */
  client(region?: string): S3Client {
    const c = this.connection.current();
    const r = region || c.region;
    const key = `${c.profile ?? ''}|${r}|${c.s3Endpoint ?? ''}|${this.options.checksum}|${this.options.forcePathStyle}`;
    let client = this.s3Clients.get(key);
    if (!client) {
      client = new S3Client({
        region: r,
        credentials: c.credentials,
        endpoint: c.s3Endpoint,
        // Custom endpoints (MinIO, R2, the stand-in) rarely resolve bucket host names.
        forcePathStyle: c.s3Endpoint ? true : this.options.forcePathStyle,
        requestChecksumCalculation: this.options.checksum,
        responseChecksumValidation: this.options.checksum,
        followRegionRedirects: true,
        requestHandler: this.handler(),
      });
      if (this.options.checksum === 'WHEN_REQUIRED') {
        client.middlewareStack.add(md5FallbackForDeleteObjects, { step: 'build', name: 'ferryMd5FallbackForDeleteObjects', priority: 'low' });
      }
      this.s3Clients.set(key, client);
    }
    return client;
  }

  /** The Athena client for the connection's Athena region and endpoint. */
  athena(): AthenaClient {
    const c = this.connection.current();
    const region = c.athenaRegion ?? c.region;
    const key = `${c.profile ?? ''}|${region}|${c.athenaEndpoint ?? ''}`;
    let client = this.athenaClients.get(key);
    if (!client) {
      client = new AthenaClient({
        region,
        credentials: c.credentials,
        ...(c.athenaEndpoint ? { endpoint: c.athenaEndpoint } : {}),
        // Ferry retries throttling itself (with the user's cancel), so the SDK tries once more at most.
        maxAttempts: 2,
        requestHandler: this.handler(),
      });
      this.athenaClients.set(key, client);
    }
    return client;
  }

  /** The client for a bucket's own region (one lookup per bucket, cached until the connection changes). */
  async forBucket(bucket: string, knownRegion?: string): Promise<S3Client> {
    if (knownRegion) return this.client(knownRegion);
    let region = this.bucketRegions.get(bucket);
    if (!region) {
      region = this.lookupRegion(bucket);
      this.bucketRegions.set(bucket, region);
      region.catch(() => this.bucketRegions.delete(bucket));
    }
    return this.client(await region);
  }

  rememberRegion(bucket: string, region: string | undefined): void {
    if (region && !this.bucketRegions.has(bucket)) this.bucketRegions.set(bucket, Promise.resolve(region));
  }

  private async lookupRegion(bucket: string): Promise<string> {
    const client = this.client();
    try {
      const head = await client.send(new HeadBucketCommand({ Bucket: bucket }));
      if (head.BucketRegion) return head.BucketRegion;
    } catch (err) {
      const region = (err as { $response?: { headers?: Record<string, string> } }).$response?.headers?.['x-amz-bucket-region'];
      if (region) return region;
    }
    // S3-compatible servers without regions (MinIO, R2): whatever they are asked in is right.
    if (this.conn.s3Endpoint) return this.conn.region;
    try {
      const loc = await client.send(new GetBucketLocationCommand({ Bucket: bucket }));
      return loc.LocationConstraint || 'us-east-1';
    } catch {
      return this.conn.region;
    }
  }

  clear(): void {
    for (const client of this.s3Clients.values()) client.destroy();
    for (const client of this.athenaClients.values()) client.destroy();
    this.s3Clients.clear();
    this.athenaClients.clear();
    this.bucketRegions.clear();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.clear();
  }
}
