// The cost of the output channel: 10 MB of printed output fetched in slices (Ferry's run: spool
// on the driver, compressed slices of at most 45,000 characters, read live and drained) against the
// same output as one unsliced text result (what a client without a spool does, and what only an
// uncapped cluster allows), on the stand-in's runtime-17 cluster with
// spark.databricks.driver.maxReplOutputLength at 20 MB, so the unsliced peer is not cut.
// Interleaved rounds, median of each; time from sending the command to having every byte.
// Usage: npm run bench -- run/sliceCost [rounds=5] [megabytes=10]
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

const ROUNDS = Number(process.argv[2] ?? 5);
const MB = Number(process.argv[3] ?? 10);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-slices-'));
  const standIn = await startDatabricksStandIn({
    dataDir: path.join(root, 'databricks'),
    timings: FAST_TIMINGS,
    clusters: [
      {
        cluster_name: 'uncapped',
        state: 'RUNNING',
        spark_version: '16.4.x-scala2.12',
        spark_conf: { 'spark.databricks.driver.maxReplOutputLength': String(20 * 1024 * 1024) },
      },
    ],
  });
  try {
    const client = new DatabricksClient({ host: standIn.url, token: standIn.token });
    const cluster = standIn.clusterIds[0];
    const project = path.join(root, 'proj');
    fs.mkdirSync(project);
    const mapper = new PathMapper(project, `/Workspace/Users/${standIn.userName}/ferry/proj`);
    const api = new ExecutionApi(client);
    const service = new RunService(new SessionManager(api), new ClusterGate(client), undefined, {
      settings: () => ({ autoStartCluster: false, pollIntervalCapMs: 1000 }),
    });
    const target = { clusterId: cluster, folder: 'bench:slices', mapper };
    const localFile = path.join(project, 'loud.py');
    const lines = Math.round((MB * 1_000_000) / 105);
    // Varied text (numbers and a hash per line), not one repeated line: compression is not free.
    const code = [
      'import hashlib',
      `for i in range(${lines}):`,
      '    print(f"line {i:08d} " + hashlib.sha256(str(i).encode()).hexdigest() + " " + "payload" * 4)',
    ].join('\n');
    const expectedChars = async (): Promise<number> => {
      const o = await service.run({ target, kind: 'file', code, localFile });
      return o.outputs.filter((x) => x.kind === 'text').reduce((n, x) => n + (x.kind === 'text' ? x.text.length : 0), 0);
    };
    const total = await expectedChars();
    const peerContext = await api.createContext(cluster);
    const ferry: number[] = [];
    const peer: number[] = [];
    let slices = 0;
    let maxChars = 0;
    for (let r = 0; r < ROUNDS; r++) {
      let t0 = performance.now();
      const o = await service.run({ target, kind: 'file', code, localFile });
      ferry.push(performance.now() - t0);
      slices = o.reads.slices;
      maxChars = Math.max(maxChars, ...o.reads.resultChars);
      const got = o.outputs.filter((x) => x.kind === 'text').reduce((n, x) => n + (x.kind === 'text' ? x.text.length : 0), 0);
      if (got !== total) throw new Error(`Ferry got ${got} characters, expected ${total}`);
      t0 = performance.now();
      const p = await api.execute(cluster, peerContext, code);
      peer.push(performance.now() - t0);
      const text = typeof p.results?.data === 'string' ? p.results.data : '';
      if (text.length < total || /WARNING: skipped/.test(text)) throw new Error(`the unsliced result was cut (${text.length} characters)`);
    }
    const f = median(ferry);
    const q = median(peer);
    console.log(
      `${(total / 1e6).toFixed(1)} million characters of printed output; ${ROUNDS} interleaved rounds; uncapped stand-in cluster (16.4, maxReplOutputLength 20 MB)`,
    );
    console.log(
      `Ferry, spool + slices: median ${f.toFixed(0)} ms (min ${Math.min(...ferry).toFixed(0)}), ${slices} slice reads, largest result read ${maxChars} characters`,
    );
    console.log(`one unsliced result  : median ${q.toFixed(0)} ms (min ${Math.min(...peer).toFixed(0)})`);
    console.log(`ratio sliced / unsliced: ${(f / q).toFixed(2)}x   (goal <= 1.5x)`);
  } finally {
    await standIn.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
