// A Parquet object written as one huge row group (no page index, as DuckDB and pyarrow write by
// default): the preview reads the footer by range and then either stays within its byte budget or
// refuses with a message that says why and what to do, never reading the whole group into memory.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readParquetPreview } from '../../../src/aws/preview/parquet';
import { S3Endpoint, s3StandIn, scratchDir, uniqueSuffix } from '../standIns';
import { createBucket, serviceFor } from './helpers';

const MB = 1024 * 1024;

describe('Parquet preview of one huge row group', function () {
  this.timeout(120_000);
  let standIn: S3Endpoint;
  const bucket = `ferry-pq-${uniqueSuffix()}`;
  const tmp = scratchDir('pq-group');

  before(async () => {
    standIn = await s3StandIn();
    await createBucket(serviceFor(standIn.endpoint).clients.client(), bucket);
  });
  after(async () => {
    await standIn?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('[linux-only] (DuckDB writes the fixture) refuses a group larger than the budget, having read only the footer', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const file = path.join(tmp, 'one-group.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(
      `COPY (SELECT i AS id, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS noise FROM range(1000000) t(i)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 2000000)`,
    );
    conn.closeSync();
    const size = fs.statSync(file).size;
    assert.ok(size > 30 * MB, `fixture is ${size} bytes`);
    const s3 = serviceFor(standIn.endpoint);
    await s3.putBytes(bucket, 'one-group.parquet', fs.readFileSync(file));
    const source = { byteLength: size, read: (start: number, end: number) => s3.getBytes(bucket, 'one-group.parquet', { start, end: end - 1 }) };

    const stats = { bytesRead: 0, requests: 0 };
    await assert.rejects(readParquetPreview(source, { maxRows: 100, maxBytes: 8 * MB, stats }), (err: Error) => {
      assert.match(err.message, /row group of 1,000,000 rows/);
      assert.match(err.message, /reads at most 8 MB/);
      assert.match(err.message, /Athena/);
      return true;
    });
    assert.ok(stats.bytesRead < 1 * MB, `read ${stats.bytesRead} of ${size} bytes before refusing`);

    // Within a budget that holds the group, the same object previews, reading it by range.
    const within = { bytesRead: 0, requests: 0 };
    const table = await readParquetPreview(source, { maxRows: 100, maxBytes: 64 * MB, stats: within });
    assert.equal(table.rows.length, 100);
    assert.deepEqual(table.rows[2][0], 2);
    assert.ok(within.bytesRead <= 64 * MB, `read ${within.bytesRead} bytes`);
  });
});
