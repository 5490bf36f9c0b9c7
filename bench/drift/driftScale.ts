// Compare Datasets at 10,000,000 rows a side: profiled in Athena (the stand-in, DuckDB behind
// Athena's protocol) with one query per dataset — Ferry's way — against pulling both CSV objects to
// the client and profiling them there with the same statistics and the same PSI code
// (src/aws/drift/local.ts, psi.ts). Both run in this process against the same stand-ins; the
// bytes each moved to the client are counted on the sockets of its own HTTP agent (S3 and Athena
// traffic alike; what the Athena stand-in reads from S3 stays on the "server" side, as in AWS).
// Prints the time ratio (local ÷ Athena), the bytes, and how far apart the two PSIs are.
// `npm run bench -- drift/driftScale [rows=10000000]`
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startAthenaStandIn } from '../../sandbox/athena/standIn';
import { startS3StandIn } from '../../sandbox/s3/standIn';
import { prng } from '../../sandbox/kernel/prng';
import { AthenaService } from '../../src/aws/athena/service';
import { compareDatasets } from '../../src/aws/drift/compare';
import { LocalProfiler } from '../../src/aws/drift/local';
import { DriftColumn } from '../../src/aws/drift/profile';
import { driftReport } from '../../src/aws/drift/psi';

/** An HTTP agent that remembers its sockets, to count the bytes they carried. */
class CountingAgent extends http.Agent {
  private readonly sockets2 = new Set<net.Socket>();
  override createConnection(options: net.NetConnectOpts, cb?: (err: Error | null, socket: net.Socket) => void): net.Socket {
    const create = (http.Agent.prototype as unknown as { createConnection: (o: net.NetConnectOpts, c?: unknown) => net.Socket }).createConnection;
    const socket = create.call(this, options, cb);
    this.sockets2.add(socket);
    return socket;
  }
  get bytesIn(): number {
    let n = 0;
    for (const s of this.sockets2) n += s.bytesRead;
    return n;
  }
}

const PLANS = ['basic', 'plus', 'pro'];
const REGIONS = ['north', 'south', 'east', 'west'];
const HEADER = 'tenure_months,monthly_spend,support_calls,plan,region';

/** The demo's customer columns without the id (a 10-million-value id would only measure a hash set); `shifted` is next month's mix. */
async function writeCsv(file: string, rows: number, seed: number, shifted: boolean): Promise<number> {
  const rand = prng(seed);
  const out = fs.createWriteStream(file);
  let chunk = `${HEADER}\n`;
  for (let i = 0; i < rows; i++) {
    const r = rand();
    const plan = shifted ? (r < 0.6 ? 'basic' : r < 0.85 ? 'plus' : 'pro') : PLANS[Math.floor(r * 3)];
    const tenure = shifted ? Math.max(1, Math.round((1 + Math.floor(rand() * 72)) * 0.4)) : 1 + Math.floor(rand() * 72);
    const spend = (15 + PLANS.indexOf(plan) * 20 + rand() * 25).toFixed(2);
    const calls = Math.min(9, Math.floor(rand() * rand() * 10) + (shifted && rand() < 0.6 ? 2 : 0));
    chunk += `${tenure},${spend},${calls},${plan},${REGIONS[Math.floor(rand() * 4)]}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((res) => out.once('drain', () => res()));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  return fs.statSync(file).size;
}

const COLUMNS: DriftColumn[] = [
  { name: 'tenure_months', kind: 'numeric', sqlType: 'bigint' },
  { name: 'monthly_spend', kind: 'numeric', sqlType: 'double' },
  { name: 'support_calls', kind: 'numeric', sqlType: 'bigint' },
  { name: 'plan', kind: 'categorical', sqlType: 'string' },
  { name: 'region', kind: 'categorical', sqlType: 'string' },
];

async function profileObject(s3: S3Client, bucket: string, key: string, profiler: LocalProfiler): Promise<void> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const lines = readline.createInterface({ input: got.Body as Readable, crlfDelay: Infinity });
  let first = true;
  for await (const line of lines) {
    if (first) {
      first = false;
      continue;
    }
    if (line) profiler.add(line.split(','));
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 3 : 1)} MB`;
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 10_000_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-drift-'));
  const s3 = await startS3StandIn({ dataDir: path.join(root, 's3') });
  const athena = await startAthenaStandIn({
    dataDir: path.join(root, 'athena'),
    s3: { endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  const credentials = { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
  const client = (agent: http.Agent) => ({
    athena: new AthenaClient({ endpoint: athena.endpoint, region: 'us-east-1', credentials, requestHandler: new NodeHttpHandler({ httpAgent: agent }) }),
    s3: new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      credentials,
      forcePathStyle: true,
      requestHandler: new NodeHttpHandler({ httpAgent: agent }),
    }),
  });
  const setup = client(new http.Agent());
  // A streamed PutObject with the SDK's default checksums goes out aws-chunked, which s3rver stores
  // framing and all: the seeding client sends checksums only where S3 requires them.
  setup.s3 = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', credentials, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
  try {
    await setup.s3.send(new CreateBucketCommand({ Bucket: 'bench-data' }));
    await setup.s3.send(new CreateBucketCommand({ Bucket: 'bench-results' }));
    let t0 = performance.now();
    const sizes: number[] = [];
    for (const [name, seed, shifted] of [
      ['a.csv', 1, false],
      ['b.csv', 2, true],
    ] as const) {
      const file = path.join(root, name);
      sizes.push(await writeCsv(file, rows, seed, shifted));
      await setup.s3.send(
        new PutObjectCommand({
          Bucket: 'bench-data',
          Key: `customers/${name.slice(0, 1)}/${name}`,
          Body: fs.createReadStream(file),
          ContentLength: sizes.at(-1),
        }),
      );
      fs.rmSync(file);
    }
    const create = await new AthenaService(
      () => ({ athena: setup.athena, s3: async () => setup.s3 }),
      () => ({ workGroup: 'primary', outputLocation: 's3://bench-results/results/', catalog: 'AwsDataCatalog' }),
    ).run('CREATE DATABASE bench');
    if (create.Status?.State !== 'SUCCEEDED') throw new Error('CREATE DATABASE failed');
    console.log(
      `two CSV objects of ${rows.toLocaleString('en-US')} rows: ${mb(sizes[0])} and ${mb(sizes[1])} (seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    );

    // Ferry: one profile query per dataset in Athena; only counts come back.
    const ferryAgent = new CountingAgent({ keepAlive: true });
    const ferry = client(ferryAgent);
    const svc = new AthenaService(
      () => ({ athena: ferry.athena, s3: async () => ferry.s3 }),
      () => ({ workGroup: 'primary', outputLocation: 's3://bench-results/results/', catalog: 'AwsDataCatalog' }),
    );
    t0 = performance.now();
    const inAthena = await compareDatasets(
      { athena: svc, s3: async () => ferry.s3, database: 'bench', catalog: 'AwsDataCatalog' },
      { kind: 's3', bucket: 'bench-data', key: 'customers/a/a.csv' },
      { kind: 's3', bucket: 'bench-data', key: 'customers/b/b.csv' },
      { threshold: 0.2 },
    );
    const athenaMs = performance.now() - t0;
    const athenaBytes = ferryAgent.bytesIn;

    // The peer: both objects to the client, profiled there with the same statistics and PSI.
    const localAgent = new CountingAgent({ keepAlive: true });
    const local = client(localAgent);
    t0 = performance.now();
    const base = new LocalProfiler(COLUMNS);
    await profileObject(local.s3, 'bench-data', 'customers/a/a.csv', base);
    const a = base.finish();
    const other = new LocalProfiler(COLUMNS, a.specs);
    await profileObject(local.s3, 'bench-data', 'customers/b/b.csv', other);
    const localReport = driftReport(COLUMNS, a.profile, other.finish().profile, a.specs, 0.2);
    const localMs = performance.now() - t0;
    const localBytes = localAgent.bytesIn;

    if (inAthena.report.rowsA !== rows || inAthena.report.rowsB !== rows)
      throw new Error(`Athena counted ${inAthena.report.rowsA} and ${inAthena.report.rowsB} rows`);
    console.log('column          PSI in Athena   PSI locally');
    let maxDiff = 0;
    for (const c of localReport.columns) {
      const athenaPsi = inAthena.report.columns.find((x) => x.name === c.name)?.psi ?? NaN;
      maxDiff = Math.max(maxDiff, Math.abs(athenaPsi - (c.psi ?? NaN)));
      console.log(`${c.name.padEnd(15)} ${athenaPsi.toFixed(4).padStart(13)} ${(c.psi ?? NaN).toFixed(4).padStart(13)}`);
    }
    const engine = inAthena.executions.map((q) => `${((q.Statistics?.EngineExecutionTimeInMillis ?? 0) / 1000).toFixed(1)} s`).join(' + ');
    console.log(
      `in Athena (2 queries):       ${(athenaMs / 1000).toFixed(1)} s (engine ${engine}), ${mb(athenaBytes)} to the client (scanned ${mb(inAthena.scannedBytes)} server-side)`,
    );
    console.log(`pulled and profiled locally: ${(localMs / 1000).toFixed(1)} s, ${mb(localBytes)} to the client`);
    console.log(
      `ratio (local ÷ Athena): time ${(localMs / athenaMs).toFixed(2)}×, bytes ${(localBytes / Math.max(1, athenaBytes)).toFixed(0)}×; largest PSI difference ${maxDiff.toFixed(4)} (approximate vs exact deciles)`,
    );
    for (const c of [ferry, local, setup]) {
      c.athena.destroy();
      c.s3.destroy();
    }
  } finally {
    await athena.stop();
    await s3.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
