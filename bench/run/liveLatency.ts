// Live output: time from print() on the driver to the line reaching Ferry's caller (what the
// result viewer and the notebook draw), with 100 ms of added latency per request on the
// Databricks stand-in. The code prints a timestamp, then stays quiet for a while (so the reader has
// backed off, the worst case for a line after a pause), ten times; latency = arrival - print time
// (one machine, one clock). The floor, measured in the same run: one reader round trip (a read
// command: execute + status) plus the poll interval the reader waits at most (the
// `ferry.databricks.pollIntervalCapMs` setting, 1 s by default).
// Usage: npm run bench -- run/liveLatency [prints=10] [pause seconds=2.5]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabricksClient } from '../../src/databricks/client';
import { ClusterGate } from '../../src/run/service/clusterGate';
import { ExecutionApi } from '../../src/run/service/execution';
import { PathMapper } from '../../src/run/service/paths';
import { RunService } from '../../src/run/service/runService';
import { SessionManager } from '../../src/run/service/sessions';
import { FAST_TIMINGS, startDatabricksStandIn } from '../../sandbox/databricks/standIn';

const LATENCY_MS = 100;
const CAP_MS = 1000;
const PRINTS = Number(process.argv[2] ?? 10);
const PAUSE_S = Number(process.argv[3] ?? 2.5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-live-'));
  const standIn = await startDatabricksStandIn({ dataDir: path.join(root, 'databricks'), latencyMs: LATENCY_MS, timings: FAST_TIMINGS });
  try {
    const client = new DatabricksClient({ host: standIn.url, token: standIn.token });
    const cluster = standIn.clusterIds[0];
    const project = path.join(root, 'proj');
    fs.mkdirSync(project);
    const mapper = new PathMapper(project, `/Workspace/Users/${standIn.userName}/ferry/proj`);
    const service = new RunService(new SessionManager(new ExecutionApi(client)), new ClusterGate(client), undefined, {
      settings: () => ({ autoStartCluster: false, pollIntervalCapMs: CAP_MS }),
    });
    const target = { clusterId: cluster, folder: 'bench:live', mapper };
    const localFile = path.join(project, 'live.py');
    // Warm-up: the session and the reader session exist, as after a first run.
    await service.run({ target, kind: 'file', code: 'print("warm")', localFile });

    // One reader round trip, measured: a read of a spool that does not exist (one read command).
    const trips: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await service.readers.read(cluster, 'none', 0, 45_000, 0);
      trips.push(performance.now() - t0);
    }
    const trip = median(trips);

    const latencies: number[] = [];
    const code = [
      'import time',
      `for i in range(${PRINTS}):`,
      `    time.sleep(${PAUSE_S})`,
      '    print(f"tick {i} {time.time() * 1000:.1f}", flush=True)',
    ].join('\n');
    const outcome = await service.run({
      target,
      kind: 'file',
      code,
      localFile,
      onText: (chunk) => {
        const now = Date.now();
        for (const m of chunk.matchAll(/tick (\d+) ([\d.]+)/g)) latencies.push(now - Number(m[2]));
      },
    });
    if (outcome.state !== 'succeeded') throw new Error(`run failed: ${JSON.stringify(outcome.outputs)}`);
    const live = latencies.slice(0, PRINTS);
    const floor = trip + CAP_MS;
    const med = median(live);
    console.log(`print() on the driver → line at the caller; ${LATENCY_MS} ms added per request; ${live.length} prints, each after ${PAUSE_S} s of quiet`);
    console.log(`one reader round trip (read command: execute + status), median of ${trips.length}: ${trip.toFixed(0)} ms`);
    console.log(`floor: one reader round trip + the reader's longest wait (${CAP_MS} ms) = ${floor.toFixed(0)} ms`);
    console.log(`latency median ${med.toFixed(0)} ms (min ${Math.min(...live).toFixed(0)}, max ${Math.max(...live).toFixed(0)})`);
    console.log(
      `ratio median / floor: ${(med / floor).toFixed(2)}x   (goal: within 1 s + two round trips of the print, i.e. <= ${((1000 + 2 * trip) / floor).toFixed(2)}x of this floor)`,
    );
  } finally {
    await standIn.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
