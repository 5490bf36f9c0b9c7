// Time to the first rows of the Catalog view's "Tables" node in a schema of 10,000 tables, against
// two peers run side by side on the same Databricks stand-in, through the same HTTP client, with
// the same latency added to every request:
//   (a) the deprecated unpaginated listing (no max_results: every table with its columns in one
//       answer), what a client that predates paging gets;
//   (b) the CLI-style full listing (`databricks tables list`: max_results=0, columns included,
//       every page in turn until the token runs out).
// Ferry asks for one server-sized page without columns (they come when a table is expanded).
// Usage: npm run bench -- catalog/catalogFirstPage [tables=10000] [rounds=5] [latencyMs=30]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabricksClient } from '../../src/databricks/client';
import { UnityCatalogService } from '../../src/databricks/unityCatalog';
import { tablePages } from '../../src/views/catalog/pages';
import { PagedList } from '../../src/views/shared/paged';
import { startDatabricksStandIn } from '../../sandbox/databricks/standIn';

const TABLES = Number(process.argv[2] ?? 10_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const LATENCY_MS = Number(process.argv[4] ?? 30);
const UC = '/api/2.1/unity-catalog';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Twenty columns a table, as a warehouse's fact tables have (the first a partition key). */
const COLUMNS = Array.from({ length: 20 }, (_, i) => ({
  name: i === 0 ? 'event_date' : `metric_${i}`,
  type_text: i === 0 ? 'date' : i % 3 ? 'double' : 'string',
  comment: i % 4 ? undefined : `Column ${i} of the fact table`,
  ...(i === 0 ? { partition_index: 0 } : {}),
}));

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-catalog-'));
  const standIn = await startDatabricksStandIn({ dataDir });
  try {
    const client = new DatabricksClient({ host: standIn.url, token: standIn.token });
    await client.request('POST', `${UC}/catalogs`, { body: { name: 'bench' } });
    await client.request('POST', `${UC}/schemas`, { body: { name: 'facts', catalog_name: 'bench' } });
    const seeded = await fetch(`${standIn.url}/__admin/unity-catalog/tables`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${standIn.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ catalog_name: 'bench', schema_name: 'facts', count: TABLES, prefix: 'events_', columns: COLUMNS }),
    });
    if (!seeded.ok) throw new Error(`seeding: HTTP ${seeded.status}`);
    standIn.setFaults({ latencyMs: LATENCY_MS });
    const uc = new UnityCatalogService(client);

    const peers: Array<{ name: string; run: () => Promise<{ tables: number; requests: number }>; times: number[]; requests: number; tables: number }> = [
      {
        name: "Ferry: the tree's first page",
        run: async () => {
          const list = new PagedList(tablePages(() => Promise.resolve(uc), 'bench', 'facts'));
          await list.ensureLoaded();
          return { tables: list.items.length, requests: 1 };
        },
        times: [],
        requests: 0,
        tables: 0,
      },
      {
        name: '(a) unpaginated listing',
        run: async () => {
          const out = await client.request<{ tables: unknown[] }>('GET', `${UC}/tables`, { query: { catalog_name: 'bench', schema_name: 'facts' } });
          return { tables: out.tables.length, requests: 1 };
        },
        times: [],
        requests: 0,
        tables: 0,
      },
      {
        name: '(b) CLI-style full listing',
        run: async () => {
          let token: string | undefined;
          let tables = 0;
          let requests = 0;
          do {
            const out: { tables?: unknown[]; next_page_token?: string } = await client.request('GET', `${UC}/tables`, {
              query: { catalog_name: 'bench', schema_name: 'facts', max_results: 0, page_token: token },
            });
            tables += out.tables?.length ?? 0;
            token = out.next_page_token;
            requests++;
          } while (token);
          return { tables, requests };
        },
        times: [],
        requests: 0,
        tables: 0,
      },
    ];
    for (const p of peers) await p.run(); // warm-up (connections, JIT)
    for (let round = 0; round < ROUNDS; round++) {
      for (const p of round % 2 ? [...peers].reverse() : peers) {
        const t = performance.now();
        const r = await p.run();
        p.times.push(performance.now() - t);
        p.requests = r.requests;
        p.tables = r.tables;
      }
    }
    const ferry = median(peers[0].times);
    console.log(
      `Catalog first page: ${TABLES.toLocaleString()} tables of ${COLUMNS.length} columns, ${LATENCY_MS} ms added per request, ${ROUNDS} interleaved rounds (medians)`,
    );
    for (const p of peers) {
      const m = median(p.times);
      console.log(
        `  ${p.name.padEnd(32)} ${m.toFixed(0).padStart(7)} ms  ${String(p.tables).padStart(6)} tables in ${p.requests} request${p.requests === 1 ? '' : 's'}${p === peers[0] ? '' : `   Ferry ÷ this = ${(ferry / m).toFixed(3)}`}`,
      );
    }
  } finally {
    await standIn.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
