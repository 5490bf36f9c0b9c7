// Command → result time of "Run File on Cluster" for a trivial file, on a running cluster with a
// live session, with 100 ms of added latency per request on the Databricks stand-in. Compared in
// the same run, against the same stand-in, with:
//   (a) the floor: the minimal round trips (commands/execute + one commands/status) × latency;
//   (b) the official Databricks extension's documented polling: first status check after 1 s,
//       then 2 s, 3 s … up to 10 s;
//   (c) Databricks Power Tools' polling: first check after 300 ms, then every 1 s.
// (b) and (c) run through Ferry's own RunService with only the poll schedule swapped, so the
// difference is the schedule and nothing else. Usage: npm run bench -- runLatency [runs=8]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabricksClient } from '../../src/databricks/client';
import { ClusterGate } from '../../src/run/service/clusterGate';
import { ExecutionApi } from '../../src/run/service/execution';
import { PathMapper } from '../../src/run/service/paths';
import { adaptiveSchedule, officialExtensionSchedule, PollSchedule, powerToolsSchedule } from '../../src/run/service/pollSchedule';
import { listPushableFiles, PushCache, WorkspacePusher } from '../../src/run/service/push';
import { RunService } from '../../src/run/service/runService';
import { SessionManager } from '../../src/run/service/sessions';
import { FAST_TIMINGS, startDatabricksStandIn } from '../../sandbox/databricks/standIn';

const LATENCY_MS = 100;
const RUNS = Number(process.argv[2] ?? 8);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-run-'));
  const dataDir = path.join(root, 'databricks');
  const standIn = await startDatabricksStandIn({ dataDir, latencyMs: LATENCY_MS, timings: FAST_TIMINGS, python: '/usr/bin/python3' });
  try {
    const client = new DatabricksClient({ host: standIn.url, token: standIn.token });
    const cluster = standIn.clusterIds[0];
    const project = path.join(root, 'proj');
    fs.mkdirSync(project);
    const file = path.join(project, 'trivial.py');
    fs.writeFileSync(file, 'print("ok")\n');
    const mapper = new PathMapper(project, `/Workspace/Users/${standIn.userName}/ferry/proj`);

    const peers: Array<{ name: string; schedule: PollSchedule }> = [
      { name: 'Ferry (adaptive, cap 1 s)', schedule: adaptiveSchedule({ capMs: 1000 }) },
      { name: 'official extension (1 s → 10 s)', schedule: officialExtensionSchedule },
      { name: 'Power Tools (300 ms, then 1 s)', schedule: powerToolsSchedule },
    ];
    const cache = new PushCache();
    const services = peers.map((p) => ({
      ...p,
      service: new RunService(new SessionManager(new ExecutionApi(client)), new ClusterGate(client), new WorkspacePusher(client, cache), {
        settings: () => ({ autoStartCluster: false, pollIntervalCapMs: 1000 }),
        schedule: p.schedule,
      }),
      times: [] as number[],
      requests: [] as number[],
    }));
    const pushed = await listPushableFiles(project);
    const run = (s: (typeof services)[number]) =>
      s.service.run({
        target: { clusterId: cluster, folder: `bench:${s.name}`, mapper },
        kind: 'file',
        code: fs.readFileSync(file, 'utf8'),
        localFile: file,
        push: pushed,
      });
    // Warm-up: push the file once and create each peer's live session.
    for (const s of services) {
      const o = await run(s);
      if (o.state !== 'succeeded') throw new Error(`warm-up failed: ${JSON.stringify(o.outputs)}`);
    }
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so machine noise hits every peer alike.
      for (const s of services) {
        standIn.resetCounters();
        const t0 = performance.now();
        const o = await run(s);
        s.times.push(performance.now() - t0);
        s.requests.push(Object.values(standIn.requestCounts()).reduce((a, b) => a + b, 0));
        if (o.state !== 'succeeded' || !o.outputs.some((x) => x.kind === 'text' && x.text.includes('ok')))
          throw new Error(`run failed: ${JSON.stringify(o.outputs)}`);
      }
    }
    const floor = 2 * LATENCY_MS;
    const ferry = median(services[0].times);
    console.log(`run a trivial file on a running cluster with a live session; ${LATENCY_MS} ms added per request; median of ${RUNS} runs each`);
    console.log(`(a) floor: 2 round trips (execute + 1 status) x ${LATENCY_MS} ms = ${floor} ms`);
    for (const s of services) {
      console.log(
        `${s.name.padEnd(34)} median ${median(s.times).toFixed(0).padStart(5)} ms  (min ${Math.min(...s.times).toFixed(0)}, max ${Math.max(...s.times).toFixed(0)})  requests/run ${median(s.requests)}`,
      );
    }
    const official = median(services[1].times);
    const power = median(services[2].times);
    console.log(`ratio Ferry / floor              : ${(ferry / floor).toFixed(2)}x   (goal <= 1.3x)`);
    console.log(`speed-up vs official extension   : ${(official / ferry).toFixed(2)}x   (goal >= 3x)`);
    console.log(`speed-up vs Power Tools          : ${(power / ferry).toFixed(2)}x   (goal >= 1.5x)`);
  } finally {
    await standIn.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  // Exits when done: a live-output tail read that was in flight when the last run ended is not
  // waited for (RunOutputReader.stopTail), and with the stand-in stopped it would go on retrying
  // its status checks against a closed port for minutes before giving up.
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
