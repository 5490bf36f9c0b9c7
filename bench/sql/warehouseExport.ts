// SQL warehouse results, 1,000,000 rows: Ferry's way (disposition EXTERNAL_LINKS, chunks downloaded
// from their links as the grid asks, export streaming every chunk a few downloads ahead) against
// paging the INLINE result chunk by chunk through the chunk API, following next_chunk_internal_link
// one request after another, as a client of the API without cloud fetch does. The same statement on
// the same Databricks stand-in, interleaved rounds, medians. Prints Ferry ÷ peer for the time to the
// first rows the grid shows and for a full CSV export (lower is better).
// The statement is kept narrow (two columns) so that its INLINE result stays under the 25 MiB cap.
// `npm run bench -- sql/warehouseExport [rows] [latencyMs]` — latency is added to every request.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FAST_TIMINGS, startDatabricksStandIn } from '../../sandbox/databricks/standIn';
import { DEFAULT_WAREHOUSE_SEEDS } from '../../sandbox/databricks/warehouses';
import { DatabricksClient } from '../../src/databricks/client';
import { ResultData, StatementApi } from '../../src/databricks/sql/statementApi';
import { StatementRunner } from '../../src/databricks/sql/statementRunner';
import { convertRows, statementColumns } from '../../src/databricks/sql/values';
import { csvHeader, csvLines } from '../../src/results/serialize';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function writeAll(file: string, header: string, batches: AsyncIterable<string>): Promise<void> {
  const out = fs.createWriteStream(file);
  out.write(header);
  for await (const text of batches) if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((r) => out.end(() => r()));
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const latencyMs = Number(process.argv[3] ?? 0);
  const rounds = Number(process.env.FERRY_BENCH_ROUNDS ?? 3);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-sql-'));
  const db = await startDatabricksStandIn({ dataDir: path.join(root, 'db'), timings: FAST_TIMINGS, latencyMs });
  const client = new DatabricksClient({ host: db.url, token: db.token });
  const api = new StatementApi(client);
  const runner = new StatementRunner(api);
  const warehouseId = DEFAULT_WAREHOUSE_SEEDS[0].id!;
  const sql = `SELECT event_id, kind FROM workspace.ferry_demo.events WHERE event_id < ${rows} ORDER BY event_id`;
  const times = { ferryFirst: [] as number[], peerFirst: [] as number[], ferryExport: [] as number[], peerExport: [] as number[] };
  let ferryChunks = 0;
  let peerRequests = 0;
  try {
    // Warm the engine (it loads its tables on the first statement) so neither side pays for that.
    await runner.run('SELECT 1', { warehouseId });
    for (let round = 0; round < rounds; round++) {
      // Ferry: external links.
      let t0 = performance.now();
      const ext = await runner.run(sql, { warehouseId, disposition: 'EXTERNAL_LINKS', waitTimeoutSeconds: 50 });
      const statementMs = performance.now() - t0;
      await ext.rows!.getRows(0, 100);
      times.ferryFirst.push(performance.now() - t0);
      t0 = performance.now();
      let n = 0;
      await writeAll(
        path.join(root, 'ferry.csv'),
        csvHeader(ext.columns),
        (async function* () {
          for await (const batch of ext.rows!.allRows()) {
            n += batch.length;
            yield csvLines(batch);
          }
        })(),
      );
      times.ferryExport.push(performance.now() - t0);
      ferryChunks = ext.rows!.chunkCount();
      if (n !== rows) throw new Error(`Ferry exported ${n} rows, expected ${rows}`);

      // Peer: INLINE, chunk by chunk.
      t0 = performance.now();
      const inl = await api.execute({ warehouse_id: warehouseId, statement: sql, disposition: 'INLINE', format: 'JSON_ARRAY', wait_timeout: '50s' });
      if (inl.status?.state !== 'SUCCEEDED') throw new Error(`the INLINE statement ended ${inl.status?.state}: ${inl.status?.error?.message ?? ''}`);
      const columns = statementColumns(inl.manifest?.schema?.columns);
      let data: ResultData | undefined = inl.result;
      if (!data?.data_array) throw new Error('the INLINE statement brought no first chunk');
      convertRows(data.data_array.slice(0, 100), columns);
      times.peerFirst.push(performance.now() - t0);
      t0 = performance.now();
      let m = 0;
      let requests = 0;
      const id = inl.statement_id;
      await writeAll(
        path.join(root, 'peer.csv'),
        csvHeader(columns),
        (async function* () {
          while (data) {
            const cells = convertRows(data.data_array ?? [], columns);
            m += cells.length;
            yield csvLines(cells);
            if (!data.next_chunk_internal_link && data.next_chunk_index === undefined) break;
            requests++;
            data = await api.chunk(id, data.next_chunk_index ?? 0, data.next_chunk_internal_link);
          }
        })(),
      );
      times.peerExport.push(performance.now() - t0);
      peerRequests = requests;
      if (m !== rows) throw new Error(`the peer exported ${m} rows, expected ${rows}`);
      console.log(
        `round ${round + 1}: statement ${statementMs.toFixed(0)} ms; first rows Ferry ${times.ferryFirst[round].toFixed(0)} ms / peer ${times.peerFirst[round].toFixed(0)} ms; export Ferry ${times.ferryExport[round].toFixed(0)} ms / peer ${times.peerExport[round].toFixed(0)} ms`,
      );
    }
    const f = (x: number) => `${(x / 1000).toFixed(2)} s`;
    console.log(`\n${rows.toLocaleString('en-US')} rows, ${latencyMs} ms added per request, ${rounds} rounds (medians):`);
    console.log(
      `  first rows (statement + first screen): Ferry ${f(median(times.ferryFirst))}, peer ${f(median(times.peerFirst))}  → ratio ${(median(times.ferryFirst) / median(times.peerFirst)).toFixed(2)}`,
    );
    console.log(
      `  full CSV export: Ferry ${f(median(times.ferryExport))} (${ferryChunks} link downloads, 3 ahead), peer ${f(median(times.peerExport))} (${peerRequests} chunk requests in a row)  → ratio ${(median(times.ferryExport) / median(times.peerExport)).toFixed(2)}`,
    );
  } finally {
    await db.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
