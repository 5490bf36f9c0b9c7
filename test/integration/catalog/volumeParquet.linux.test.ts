// Linux-only: writes its Parquet fixture with DuckDB (a native module) in the test process.
// A Parquet file on a volume opens as a table from its footer and first row group, read by HTTP
// Range requests: the stand-in's byte counter shows how little of the file was sent.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { previewVolumeFile } from '../../../src/databricks/volumePreview';
import { planVolumeUpload, uploadToVolume } from '../../../src/databricks/volumeTransfer';
import { scratchDir } from '../standIns';
import { CatalogFixture, catalogFixture, createSchema, createVolume } from './fixture';

describe('Volume files: Parquet preview by range', function () {
  this.timeout(120_000);
  let f: CatalogFixture;
  const tmp = scratchDir('volume-parquet');
  before(async () => {
    f = await catalogFixture('pq');
    await createSchema(f, 'metrics');
  });
  after(async () => {
    await f?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reads the footer and the first row group only: the stand-in sends a fraction of the file', async () => {
    const volume = await createVolume(f, 'metrics', 'exports');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const file = path.join(tmp, 'rows.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(
      `COPY (SELECT i AS id, 'name-' || i AS name, i * 0.5 AS score, DATE '2024-01-01' + (i % 300)::INTEGER AS day, md5(i::VARCHAR) AS noise FROM range(400000) t(i)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 50000)`,
    );
    conn.closeSync();
    const size = fs.statSync(file).size;
    const up = await uploadToVolume(f.files, planVolumeUpload([file], `${volume}/daily`), { concurrency: 1, overwrite: false });
    assert.deepEqual(up.failed, []);
    const remote = `${volume}/daily/rows.parquet`;
    const counts = () => f.admin<{ sent: Record<string, number> }>('GET', '/files');
    const before = (await counts()).sent[remote] ?? 0;
    const table = await previewVolumeFile(f.files, remote, { maxRows: 20 });
    const sent = ((await counts()).sent[remote] ?? 0) - before;
    console.log(
      `      Parquet preview: ${table.rows.length} rows of ${table.totalRows?.toLocaleString()}, the stand-in sent ${sent.toLocaleString()} of ${size.toLocaleString()} bytes`,
    );
    assert.equal(table.format, 'parquet');
    assert.equal(table.totalRows, 400_000);
    assert.equal(table.rows.length, 20);
    assert.deepEqual(
      table.columns.map((c) => c.name),
      ['id', 'name', 'score', 'day', 'noise'],
    );
    assert.deepEqual(table.rows[3].slice(0, 3), [3, 'name-3', 1.5]);
    assert.ok(sent > 0, 'bytes were counted');
    assert.ok(sent < size / 3, `sent ${sent} of ${size} bytes`);
  });
});
