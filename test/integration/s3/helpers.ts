// Builds the S3 service the extension uses, pointed at a stand-in, for the integration tests and the bench.
import { S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import { AwsConnection, AwsConnectionSource } from '../../../src/aws/connection';
import { AwsClients } from '../../../src/aws/clients';
import { S3Service } from '../../../src/aws/s3/s3Service';
import { ChecksumMode } from '../../../src/core/config';

export function staticConnection(endpoint: string, accessKeyId = 'S3RVER', secretAccessKey = 'S3RVER'): AwsConnectionSource {
  const conn: AwsConnection = { region: 'us-east-1', credentials: async () => ({ accessKeyId, secretAccessKey }), s3Endpoint: endpoint };
  return { current: () => conn, onDidChange: () => ({ dispose: () => undefined }) };
}

export function serviceFor(endpoint: string, opts: { accessKeyId?: string; secretAccessKey?: string; checksum?: ChecksumMode } = {}): S3Service {
  const clients = new AwsClients(staticConnection(endpoint, opts.accessKeyId, opts.secretAccessKey), {
    checksum: opts.checksum ?? 'WHEN_SUPPORTED',
    forcePathStyle: true,
  });
  return new S3Service(clients);
}

export async function createBucket(client: S3Client, bucket: string): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** Runs `fn` over items with `limit` in flight. */
export async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}
