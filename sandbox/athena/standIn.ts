// A loopback Athena that speaks the JSON 1.1 protocol (POST /, X-Amz-Target: AmazonAthena.<Op>),
// so that @aws-sdk/client-athena and the AWS CLI work against it unchanged. SQL runs in DuckDB
// with external access off (engine.ts), over objects read from the S3 stand-in; every query writes
// <id>.csv and <id>.csv.metadata to its output location, as Athena does. The parts:
//   server.ts      the wire, auth, faults and /__admin (with the admin token) on the stand-in kernel
//   operations.ts  the API operations
//   queue.ts       executions from QUEUED to their end, and their results
//   protocol.ts    shapes, errors, tokens and paging shared by the three
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { newAdminToken } from '../kernel';
import { Catalog } from './catalog';
import { DuckEngine } from './engine';
import { operations } from './operations';
import { AthenaFault, AthenaTimings, WorkGroupConfig } from './protocol';
import { QueryQueue } from './queue';
import { startAthenaServer } from './server';

export type { AthenaFault, AthenaTimings, WorkGroupConfig } from './protocol';

/** In the User-Agent of the stand-in's own S3 calls, so that a fault run can leave them alone. */
export const ATHENA_S3_AGENT = 'ferry-athena-stand-in';

export interface AthenaStandInOptions {
  port?: number;
  dataDir: string;
  s3: { endpoint: string; accessKeyId: string; secretAccessKey: string; region?: string };
  /** Access key the stand-in accepts (default: the S3 stand-in's). */
  accessKeyId?: string;
  /** The token /__admin needs (default: a fresh random one). */
  adminToken?: string;
  latencyMs?: number;
  faults?: AthenaFault[];
  timings?: AthenaTimings;
  workGroups?: WorkGroupConfig[];
}

export interface AthenaStandIn {
  endpoint: string;
  port: number;
  dataDir: string;
  /** `Authorization: Bearer <adminToken>` opens {endpoint}/__admin. */
  adminToken: string;
  stop(): Promise<void>;
  setFaults(faults: AthenaFault[]): void;
  setTimings(timings: AthenaTimings): void;
  requests(): Array<{ operation: string; at: number }>;
}

export async function startAthenaStandIn(opts: AthenaStandInOptions): Promise<AthenaStandIn> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-athena-stage-'));
  const s3 = new S3Client({
    endpoint: opts.s3.endpoint,
    region: opts.s3.region ?? 'us-east-1',
    forcePathStyle: true,
    // Athena reads and writes buckets of any region (a result bucket may be in another one).
    followRegionRedirects: true,
    customUserAgent: ATHENA_S3_AGENT,
    credentials: { accessKeyId: opts.s3.accessKeyId, secretAccessKey: opts.s3.secretAccessKey },
  });
  const catalog = new Catalog(opts.dataDir);
  const engine = new DuckEngine(staging, s3, catalog);
  await engine.init();
  const faults: AthenaFault[] = [...(opts.faults ?? [])];
  let timings: AthenaTimings = { ...(opts.timings ?? {}) };
  const requests: Array<{ operation: string; at: number }> = [];
  const workGroups = new Map<string, WorkGroupConfig>([['primary', { name: 'primary' }]]);
  for (const wg of opts.workGroups ?? []) workGroups.set(wg.name, wg);
  const queue = new QueryQueue(engine, catalog, s3, staging, () => timings);
  const adminToken = opts.adminToken ?? newAdminToken('ferry-athena-admin-');
  const server = await startAthenaServer({
    port: opts.port,
    adminToken,
    acceptedKey: opts.accessKeyId ?? opts.s3.accessKeyId,
    latencyMs: opts.latencyMs,
    operations: operations({ queue, engine, catalog, workGroups, created: Date.now() / 1000 }),
    faults,
    setTimings: (t) => (timings = { ...t }),
    workGroups,
    requests,
  });
  return {
    endpoint: server.url,
    port: server.port,
    dataDir: opts.dataDir,
    adminToken,
    setFaults: (f) => faults.splice(0, faults.length, ...f),
    setTimings: (t) => (timings = { ...t }),
    requests: () => [...requests],
    stop: async () => {
      await server.stop();
      await queue.stop();
      engine.close();
      fs.rmSync(staging, { recursive: true, force: true });
      s3.destroy();
    },
  };
}
