// Athena result export: for a 1,000,000-row result, the time to the first rows the grid shows
// (one GetQueryResults page), and a full export by streaming the CSV result object from S3 in one
// GET against paging GetQueryResults 1,000 rows at a time, as most Athena extensions do. Both read
// the same query's result from the same stand-ins, in this run. Prints the ratio (goal ≥ 10×).
// `npm run bench -- athena/resultExport [rows]`
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startAthenaStandIn } from '../../sandbox/athena/standIn';
import { startS3StandIn } from '../../sandbox/s3/standIn';
import { AthenaService } from '../../src/aws/athena/service';

function ms(t0: number): number {
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-athena-'));
  const s3 = await startS3StandIn({ dataDir: path.join(root, 's3') });
  const athena = await startAthenaStandIn({
    dataDir: path.join(root, 'athena'),
    s3: { endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  const credentials = { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
  const athenaClient = new AthenaClient({ endpoint: athena.endpoint, region: 'us-east-1', credentials });
  const s3Client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
  try {
    await s3Client.send(new CreateBucketCommand({ Bucket: 'bench-results' }));
    const svc = new AthenaService(
      () => ({ athena: athenaClient, s3: async () => s3Client }),
      () => ({ workGroup: 'primary', outputLocation: 's3://bench-results/results/', catalog: 'AwsDataCatalog' }),
    );
    let t0 = performance.now();
    const q = await svc.run(
      `SELECT i AS id, 'name ' || CAST(i AS VARCHAR) AS name, i * 1.5 AS score, CASE WHEN i % 10 = 0 THEN NULL ELSE DATE '2024-01-01' + CAST(i % 365 AS INTEGER) END AS day FROM range(${rows}) t(i)`,
      { pollMs: { first: 100, max: 500 } },
    );
    const queryMs = ms(t0);
    console.log(
      `query of ${rows.toLocaleString('en-US')} rows finished on the stand-in in ${(queryMs / 1000).toFixed(1)} s (includes writing the CSV result object)`,
    );

    t0 = performance.now();
    const grid = svc.rows(q);
    await grid.open();
    const first = await grid.getRows(0, 100);
    const firstMs = ms(t0);
    console.log(`time to first rows (one GetQueryResults page, ${first.length} rows shown): ${firstMs.toFixed(0)} ms`);

    t0 = performance.now();
    const streamed = svc.rows(q);
    await streamed.open();
    let streamedRows = 0;
    for await (const batch of streamed.allRows()) streamedRows += batch.length;
    const streamMs = ms(t0);

    t0 = performance.now();
    const paged = svc.rows(q);
    let pagedRows = 0;
    for (let start = 0; ; start += 1000) {
      const page = await paged.getRows(start, 1000);
      pagedRows += page.length;
      if (page.length < 1000) break;
    }
    const pageMs = ms(t0);
    if (streamedRows !== rows || pagedRows !== rows) throw new Error(`row counts differ: streamed ${streamedRows}, paged ${pagedRows}, expected ${rows}`);

    const rate = (n: number, t: number) => `${Math.round(n / (t / 1000)).toLocaleString('en-US')} rows/s`;
    console.log(`full export, stream the S3 CSV result (1 GET):        ${(streamMs / 1000).toFixed(2)} s  (${rate(rows, streamMs)})`);
    console.log(`full export, page GetQueryResults (${paged.requests} requests): ${(pageMs / 1000).toFixed(2)} s  (${rate(rows, pageMs)})`);
    console.log(`ratio (paging / streaming): ${(pageMs / streamMs).toFixed(1)}×  (goal ≥ 10×)`);
  } finally {
    athenaClient.destroy();
    s3Client.destroy();
    await athena.stop();
    await s3.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
