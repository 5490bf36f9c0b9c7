// Shared setup of the Athena integration suites: an S3 stand-in, the Athena stand-in reading from
// it, SDK clients for both, and helpers to seed objects and run statements to their end.
import { AthenaClient, QueryExecution } from '@aws-sdk/client-athena';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AthenaEndpoint, athenaStandIn, S3Endpoint, s3StandIn, uniqueSuffix } from '../standIns';
import { runStatement } from './statements';

export interface AthenaFixture {
  s3: S3Endpoint;
  athena: AthenaEndpoint;
  athenaClient: AthenaClient;
  s3Client: S3Client;
  bucket: string;
  resultsBucket: string;
  output: string;
  /** A database unique to this run. */
  database: string;
  put(key: string, body: string | Uint8Array): Promise<void>;
  /** Runs a statement to a terminal state. */
  run(sql: string, database?: string): Promise<QueryExecution>;
  admin(path: string, method?: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

export async function athenaFixture(): Promise<AthenaFixture> {
  const s3 = await s3StandIn();
  const athena = await athenaStandIn(s3);
  const credentials = { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
  const athenaClient = new AthenaClient({ endpoint: athena.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const s3Client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
  const suffix = uniqueSuffix();
  const bucket = `ferry-athena-data-${suffix}`;
  const resultsBucket = `ferry-athena-results-${suffix}`;
  await s3Client.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3Client.send(new CreateBucketCommand({ Bucket: resultsBucket }));
  const output = `s3://${resultsBucket}/results/`;
  const database = `it_${suffix}`;
  const fx: AthenaFixture = {
    s3,
    athena,
    athenaClient,
    s3Client,
    bucket,
    resultsBucket,
    output,
    database,
    put: async (key, body) => {
      await s3Client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    run: (sql, db = database) => runStatement(athenaClient, sql, { output, database: db }),
    admin: async (path, method = 'GET', body) => {
      const res = await fetch(`${athena.admin}${path}`, {
        method,
        headers: { Authorization: `Bearer ${athena.adminToken}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return res.json() as Promise<unknown>;
    },
    stop: async () => {
      athenaClient.destroy();
      s3Client.destroy();
      await athena.stop();
      await s3.stop();
    },
  };
  const created = await fx.run(`CREATE DATABASE ${database}`, 'default');
  if (created.Status?.State !== 'SUCCEEDED') throw new Error(`CREATE DATABASE failed: ${created.Status?.StateChangeReason}`);
  return fx;
}

/** A CSV of n rows: id, name, score (empty every 7th row: NULL for a double column, as in Hive). */
export function peopleCsv(n: number, header = true): string {
  const lines = header ? ['id,name,score'] : [];
  for (let i = 1; i <= n; i++) lines.push(`${i},name ${i},${i % 7 === 0 ? '' : (i * 1.5).toFixed(1)}`);
  return `${lines.join('\n')}\n`;
}
