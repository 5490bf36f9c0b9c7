// The world a fault run happens in: the three stand-ins started by this process (so that one can be
// killed and started again mid-run), Ferry's own service layers pointed at them exactly as the
// extension builds them, a log file written through Ferry's logger, and the admin calls that turn
// the kernel's seeded faults on and off. Nothing of Ferry is replaced: the AWS SDK, axios and the
// services talk real HTTP to the stand-ins.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AwsClients } from '../../../src/aws/clients';
import { AwsConnection, AwsConnectionSource } from '../../../src/aws/connection';
import { AthenaService } from '../../../src/aws/athena/service';
import { S3Service } from '../../../src/aws/s3/s3Service';
import { createLogger, Logger } from '../../../src/core/logger';
import { ClustersService } from '../../../src/databricks/clusters';
import { DatabricksClient } from '../../../src/databricks/client';
import { ClusterGate } from '../../../src/run/service/clusterGate';
import { ExecutionApi } from '../../../src/run/service/execution';
import { JobRunner } from '../../../src/run/service/jobs';
import { PathMapper } from '../../../src/run/service/paths';
import { PushCache, WorkspacePusher } from '../../../src/run/service/push';
import { RunService } from '../../../src/run/service/runService';
import { SessionManager } from '../../../src/run/service/sessions';
import type { AthenaStandIn } from '../../../sandbox/athena/standIn';
import type { DatabricksStandIn } from '../../../sandbox/databricks/standIn';
import { describeExit } from '../../../sandbox/kernel';
import { startS3StandIn, S3StandIn } from '../../../sandbox/s3/standIn';
import { adminCall, scratchDir } from '../standIns';

export interface World {
  root: string;
  logFile: string;
  logger: Logger;
  secrets: string[];
  s3Endpoint: string;
  s3: S3Service;
  clients: AwsClients;
  athena: AthenaService;
  db: DatabricksClient;
  clusters: ClustersService;
  runService: RunService;
  pusher: WorkspacePusher;
  jobs: JobRunner;
  project: { dir: string; mapper: PathMapper; folder: string };
  runningCluster: string;
  startCluster: string;
  /** The texts of every commands/execute Ferry sent (observed, not changed). */
  executed: string[];
  adminRoots: Array<{ name: string; root: string; token: string }>;
  /** Seeded faults on (all three stand-ins, each with its own seed derived from `seed`) or off. */
  faults(config: Record<string, unknown> | undefined): Promise<void>;
  faultStats(): Promise<Record<string, Record<string, number>>>;
  /** Kills the S3 stand-in (SIGKILL, as a crash) and starts it again on the same port and data. */
  crashS3(): Promise<void>;
  restartS3(): Promise<void>;
  /** A stand-in that died without being asked to (empty when all lived). */
  deaths: string[];
  stop(): Promise<void>;
}

function staticConnection(c: AwsConnection): AwsConnectionSource {
  return { current: () => c, onDidChange: () => ({ dispose: () => undefined }) };
}

export async function startWorld(): Promise<World> {
  const root = scratchDir('fault-run');
  const logFile = path.join(root, 'ferry.log');
  const write = (level: string) => (m: string) => fs.appendFileSync(logFile, `${new Date().toISOString()} [${level}] ${m}\n`);
  const logger = createLogger({ trace: write('trace'), debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') });

  const accessKeyId = `AKIA${crypto.randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = crypto.randomBytes(30).toString('base64url');
  const s3AdminToken = `ferry-s3-admin-${crypto.randomBytes(18).toString('base64url')}`;
  const s3Data = path.join(root, 's3');
  const deaths: string[] = [];
  let planned = false;
  let s3: S3StandIn = await startS3StandIn({ dataDir: s3Data, accessKeyId, secretAccessKey, adminToken: s3AdminToken });
  const watch = (x: S3StandIn) =>
    x.onUnexpectedExit((e) => {
      if (!planned) deaths.push(describeExit(e));
    });
  watch(s3);
  const s3Endpoint = s3.endpoint;
  const { startAthenaStandIn } = await import('../../../sandbox/athena/standIn');
  const athenaStandIn: AthenaStandIn = await startAthenaStandIn({
    dataDir: path.join(root, 'athena'),
    s3: { endpoint: s3Endpoint, accessKeyId, secretAccessKey },
  });
  const { startDatabricksStandIn, FAST_TIMINGS } = await import('../../../sandbox/databricks/standIn');
  const dbStandIn: DatabricksStandIn = await startDatabricksStandIn({ dataDir: path.join(root, 'databricks'), timings: FAST_TIMINGS });

  const conn: AwsConnection = {
    region: 'us-east-1',
    credentials: async () => ({ accessKeyId, secretAccessKey }),
    s3Endpoint,
    athenaEndpoint: athenaStandIn.endpoint,
  };
  const clients = new AwsClients(staticConnection(conn), { checksum: 'WHEN_SUPPORTED', forcePathStyle: true });
  const s3Service = new S3Service(clients);
  const athena = new AthenaService(
    () => ({ athena: clients.athena(), s3: (b) => clients.forBucket(b) }),
    () => ({ workGroup: 'primary', outputLocation: 's3://fault-results/out/', catalog: 'AwsDataCatalog' }),
  );
  // Ferry's client with its own retry rules; the waits are shortened (Retry-After clamped to 250 ms)
  // so that a thousand operations fit the test budget. What is retried, and what never is, is unchanged.
  const db = new DatabricksClient({
    host: dbStandIn.url,
    token: dbStandIn.token,
    logger,
    timeoutMs: 20_000,
    retry: { baseDelayMs: 50, jitterMs: 20, maxRetryAfterMs: 250, totalTimeoutMs: 30_000 },
  });
  const info = await adminCall<{ clusterIds: string[]; userName: string }>(`${dbStandIn.url}/__admin`, dbStandIn.token, 'GET', '/info');
  const projectDir = path.join(root, 'project');
  fs.mkdirSync(projectDir, { recursive: true });
  const mapper = new PathMapper(projectDir, `/Workspace/Users/${info.userName}/ferry/fault-run`);
  const api = new ExecutionApi(db);
  const executed: string[] = [];
  const realExecute = api.execute.bind(api);
  api.execute = (c, ctx, command, o) => {
    executed.push(command);
    return realExecute(c, ctx, command, o);
  };
  const pusher = new WorkspacePusher(db, new PushCache(), logger);
  const runService = new RunService(new SessionManager(api), new ClusterGate(db), pusher, {
    settings: () => ({ autoStartCluster: false, pollIntervalCapMs: 200 }),
    logger,
  });

  const adminRoots = [
    { name: 'S3', root: `${s3Endpoint}/__admin`, token: s3AdminToken },
    { name: 'Athena', root: `${athenaStandIn.endpoint}/__admin`, token: athenaStandIn.adminToken },
    { name: 'Databricks', root: `${dbStandIn.url}/__admin`, token: dbStandIn.token },
  ];
  let lastFaults: Record<string, unknown> | undefined;
  const applyFaults = async (config: Record<string, unknown> | undefined, only?: string): Promise<void> => {
    for (const [i, a] of adminRoots.entries()) {
      if (only && a.name !== only) continue;
      if (config) await adminCall(a.root, a.token, 'POST', '/seeded-faults', { ...config, seed: Number(config.seed) * 7 + i });
      else await adminCall(a.root, a.token, 'DELETE', '/seeded-faults');
    }
  };
  const startAgain = async (): Promise<void> => {
    s3 = await startS3StandIn({ dataDir: s3Data, port: Number(new URL(s3Endpoint).port), accessKeyId, secretAccessKey, adminToken: s3AdminToken });
    planned = false;
    watch(s3);
    // The restarted stand-in comes back without faults; the run's faults go on where it left them.
    if (lastFaults) await applyFaults({ ...lastFaults, seed: Number(lastFaults.seed) + 1000 }, 'S3');
  };

  const world: World = {
    root,
    logFile,
    logger,
    secrets: [secretAccessKey, dbStandIn.token, s3AdminToken, athenaStandIn.adminToken, dbStandIn.signInPassword],
    s3Endpoint,
    s3: s3Service,
    clients,
    athena,
    db,
    clusters: new ClustersService(db),
    runService,
    pusher,
    jobs: new JobRunner(db),
    project: { dir: projectDir, mapper, folder: `file://${projectDir}` },
    runningCluster: info.clusterIds[0],
    startCluster: info.clusterIds[1],
    executed,
    adminRoots,
    deaths,
    faults: async (config) => {
      lastFaults = config;
      await applyFaults(config);
    },
    faultStats: async () => {
      const out: Record<string, Record<string, number>> = {};
      for (const a of adminRoots) {
        const d = await adminCall<{ stats: { requests: number; injected: Record<string, number> } }>(a.root, a.token, 'GET', '/seeded-faults');
        out[a.name] = { requests: d.stats.requests, ...d.stats.injected };
      }
      return out;
    },
    crashS3: async () => {
      planned = true;
      process.kill(s3.pid, 'SIGKILL');
      await new Promise<void>((resolve) => {
        const t = setInterval(() => {
          try {
            process.kill(s3.pid, 0);
          } catch {
            clearInterval(t);
            resolve();
          }
        }, 10);
      });
    },
    restartS3: startAgain,
    stop: async () => {
      clients.dispose();
      await dbStandIn.stop();
      await athenaStandIn.stop();
      await s3.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  return world;
}
