// MLflow tracking over real HTTP against the Databricks stand-in: 1,050 runs paged as the
// Experiments view pages them (each run once, newest first, a request per page, throttled
// searches retried), a filter (and a refused one with the service's words), a metric's history
// across pages with NaN on the wire, artifacts listed across pages, downloaded byte for byte,
// previewed by stream (CSV) and by range (Parquet), a download that asks before replacing a local
// file, a signed URL that expired in between, and a refused token as a sign-in failure of the tree.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { previewFromSource } from '../../../src/aws/preview/byteSource';
import { staticNetwork } from '../../../src/core/network';
import { ArtifactReader } from '../../../src/databricks/mlflow/artifactReader';
import { downloadArtifacts } from '../../../src/databricks/mlflow/artifactTransfer';
import { DatabricksClient } from '../../../src/databricks/client';
import { checkRunFilter } from '../../../src/databricks/mlflow/filter';
import { MlflowService } from '../../../src/databricks/mlflow/service';
import { MlflowRun } from '../../../src/databricks/mlflow/types';
import { artifactPages, experimentPages, runPages } from '../../../src/views/mlflow/pages';
import { failureGroup } from '../../../src/views/shared/failures';
import { PagedList } from '../../../src/views/shared/paged';
import { scratchDir } from '../standIns';
import { MlflowFixture, mlflowFixture, RunSeed } from './fixture';

const BASE_TIME = Date.UTC(2026, 10, 1, 8, 0, 0);

/** 1,050 runs: two models, depths 2–8, an AUC that climbs with the run number (mod 50). */
function pagingRuns(): RunSeed[] {
  return Array.from({ length: 1050 }, (_, i) => ({
    run_name: `run-${String(i).padStart(4, '0')}`,
    start_time: BASE_TIME + i * 1000,
    params: { model: i % 2 ? 'rf' : 'gbm', max_depth: 2 + (i % 7) },
    metrics: { auc: 0.5 + (i % 50) / 100, loss: [1 - (i % 10) / 20] },
  }));
}

describe('MLflow tracking against the Databricks stand-in', function () {
  this.timeout(180_000);
  let f: MlflowFixture;
  const tmp = scratchDir('mlflow');
  const agents = staticNetwork().current().createAgents();
  const service = () => Promise.resolve(f.mlflow);

  before(async () => {
    f = await mlflowFixture();
  });
  afterEach(() => f.admin('POST', '/mlflow', { searchPerSecond: 7, trackingPerSecond: 120, artifactPageSize: 1000, signedUrlTtlSeconds: 900 }));
  after(async () => {
    await f?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('pages 1,050 runs 100 at a time: each run once, newest first, one search per page', async () => {
    const { experimentId, runIds, experimentName } = await f.seed('paging', pagingRuns());
    assert.equal(runIds.length, 1050);
    const before = await f.count('POST /api/2.0/mlflow/runs/search');
    const list = new PagedList<MlflowRun>(runPages(service, experimentId, { pageSize: 100 }), { key: (r) => r.id });
    await list.ensureLoaded();
    assert.equal(list.items.length, 100, 'the first page only');
    assert.ok(list.hasMore, 'Load more… is offered');
    while (list.hasMore) await list.loadMore();
    assert.equal(list.failed, false, String(list.error));
    assert.equal(list.items.length, 1050);
    assert.equal(new Set(list.items.map((r) => r.id)).size, 1050, 'no run twice');
    assert.deepEqual(new Set(list.items.map((r) => r.id)), new Set(runIds));
    for (let i = 1; i < list.items.length; i++) assert.ok((list.items[i - 1].startTime ?? 0) >= (list.items[i].startTime ?? 0), 'newest first');
    assert.equal(list.items[0].name, 'run-1049');
    const requests = (await f.count('POST /api/2.0/mlflow/runs/search')) - before;
    // 11 pages; a throttled page (429) is asked again, so there may be a few more, never fewer.
    assert.ok(requests >= 11, `${requests} searches`);
    const run = list.items.find((r) => r.name === 'run-0003')!;
    assert.deepEqual(run.params, { model: 'rf', max_depth: '5' });
    assert.equal(run.metrics.find((m) => m.key === 'auc')?.value, 0.53);
    // The experiment is listed by the view's experiment pages too.
    const exps = new PagedList(experimentPages(service, 1000));
    const found = await exps.find((e) => e.id === experimentId);
    assert.equal(found?.name, experimentName);
  });

  it('retries throttled searches (429 with Retry-After) and still gets every run once', async () => {
    const { experimentId } = await f.seed('throttled', pagingRuns().slice(0, 300));
    await f.admin('POST', '/mlflow', { searchPerSecond: 2 });
    const before = await f.count('POST /api/2.0/mlflow/runs/search');
    const list = new PagedList<MlflowRun>(runPages(service, experimentId, { pageSize: 50 }), { key: (r) => r.id });
    await list.ensureLoaded();
    while (list.hasMore) await list.loadMore();
    assert.equal(list.failed, false, String(list.error));
    assert.equal(list.items.length, 300);
    assert.equal(new Set(list.items.map((r) => r.id)).size, 300);
    // Six pages at two searches a second: some were refused with 429 and asked again.
    assert.ok((await f.count('POST /api/2.0/mlflow/runs/search')) - before > 6, 'the stand-in throttled some searches');
  });

  it("filters with MLflow's syntax, and the service's refusal of a bad filter reaches the user in its words", async () => {
    const seeds = pagingRuns().slice(0, 200);
    const { experimentId } = await f.seed('filter', seeds);
    const filter = "metrics.auc > 0.8 and params.model = 'rf'";
    assert.deepEqual(checkRunFilter(filter), { ok: true, clauses: 2 });
    const list = new PagedList<MlflowRun>(runPages(service, experimentId, { filter, pageSize: 25 }));
    await list.ensureLoaded();
    while (list.hasMore) await list.loadMore();
    const expected = seeds.filter((s) => (s.metrics!.auc as number) > 0.8 && s.params!.model === 'rf').map((s) => s.run_name);
    assert.ok(expected.length > 10, 'the filter keeps some runs');
    assert.deepEqual(list.items.map((r) => r.name).sort(), [...expected].sort());
    // What checkRunFilter catches never goes out; what it would let through, the service refuses.
    const bad = checkRunFilter("metrics.auc > 'high'");
    assert.equal(bad.ok, false);
    assert.match((bad as { message: string }).message, /metrics\.auc is a number/);
    await assert.rejects(f.mlflow.searchRuns([experimentId], { filter: 'metrics.auc > high' }), (err: Error & { errorCode?: string }) => {
      assert.equal(err.errorCode, 'INVALID_PARAMETER_VALUE');
      assert.match(err.message, /numeric value type for metric/);
      return true;
    });
    const none = await f.mlflow.searchRuns([experimentId], { filter: 'metrics.auc > 5' });
    assert.deepEqual(none.items, [], 'an empty answer ({}) is no runs');
  });

  it("reads a metric's whole history across pages, in step order, with NaN and Infinity from their string form", async () => {
    const long = Array.from({ length: 30_000 }, (_, i) => Math.exp(-i / 5000));
    const { runIds } = await f.seed('history', [{ run_name: 'long', metrics: { loss: long, odd: [1, 'NaN', 'Infinity', '-Infinity', 0.5] } }]);
    const before = await f.count('GET /api/2.0/mlflow/metrics/get-history');
    const history = await f.mlflow.metricHistory(runIds[0], 'loss');
    assert.equal(history.length, 30_000);
    assert.equal((await f.count('GET /api/2.0/mlflow/metrics/get-history')) - before, 2, 'two pages of at most 25,000');
    history.forEach((m, i) => assert.equal(m.step, i));
    assert.equal(history[10_000].value, long[10_000]);
    const odd = await f.mlflow.metricHistory(runIds[0], 'odd');
    assert.deepEqual(
      odd.map((m) => m.value),
      [1, NaN, Infinity, -Infinity, 0.5],
    );
    const run = await f.mlflow.getRun(runIds[0]);
    assert.equal(run.metrics.find((m) => m.key === 'odd')?.value, 0.5, 'runs/get gives the latest value only');
  });

  it('lists artifacts across pages, downloads a folder byte for byte, and previews CSV by stream and Parquet by range', async () => {
    const blob = crypto.randomBytes(300_000);
    const csvLines = ['epoch,loss,auc', ...Array.from({ length: 20_000 }, (_, i) => `${i},${(1 / (i + 1)).toFixed(6)},${(0.5 + i / 40_000).toFixed(6)}`)];
    const parquet = fs.readFileSync(path.join(__dirname, '../../../../test/integration/athena/fixtures/metrics.parquet'));
    const { runIds } = await f.seed('artifacts', [
      {
        run_name: 'with-artifacts',
        artifacts: {
          'model/MLmodel': 'flavors:\n  sklearn:\n    pickled_model: model.pkl\n',
          'model/model.pkl': { base64: blob.toString('base64') },
          'model/requirements.txt': 'scikit-learn==1.2.1\n',
          'history.csv': `${csvLines.join('\n')}\n`,
          'metrics.parquet': { base64: parquet.toString('base64') },
          'reports/ünïcode report #1.txt': 'hostile but legal\n',
        },
      },
    ]);
    const runId = runIds[0];
    await f.admin('POST', '/mlflow', { artifactPageSize: 2 });
    const root = new PagedList(artifactPages(service, runId, ''));
    await root.ensureLoaded();
    assert.equal(root.items.length, 2, 'one page of two');
    while (root.hasMore) await root.loadMore();
    assert.deepEqual(root.items.map((e) => `${e.path}${e.isDir ? '/' : ''}`).sort(), ['history.csv', 'metrics.parquet', 'model/', 'reports/'].sort());
    const model = new PagedList(artifactPages(service, runId, 'model'));
    await model.ensureLoaded();
    while (model.hasMore) await model.loadMore();
    assert.deepEqual(model.items.map((e) => e.path).sort(), ['model/MLmodel', 'model/model.pkl', 'model/requirements.txt']);
    assert.equal(model.items.find((e) => e.path === 'model/model.pkl')?.size, 300_000);

    // The model folder downloads with its own name, every byte as stored.
    const target = path.join(tmp, 'download');
    const progress: number[] = [];
    const result = await downloadArtifacts(f.mlflow, agents, runId, { path: 'model', isDir: true }, target, {
      concurrency: 2,
      onProgress: (p) => progress.push(p.bytesDone),
    });
    assert.deepEqual(result.failed, []);
    assert.equal(result.done.length, 3);
    assert.ok(fs.readFileSync(path.join(target, 'model', 'model.pkl')).equals(blob));
    assert.equal(fs.readFileSync(path.join(target, 'model', 'requirements.txt'), 'utf8'), 'scikit-learn==1.2.1\n');
    assert.ok(progress.at(-1)! >= 300_000, 'progress counts the bytes');
    assert.deepEqual(
      fs.readdirSync(path.join(target, 'model')).filter((n) => n.endsWith('.ferry-part')),
      [],
      'no partial file is left',
    );
    const hostile = await downloadArtifacts(f.mlflow, agents, runId, { path: 'reports/ünïcode report #1.txt', isDir: false }, target, { concurrency: 1 });
    assert.deepEqual(hostile.done, ['reports/ünïcode report #1.txt']);
    assert.equal(fs.readFileSync(path.join(target, 'ünïcode report #1.txt'), 'utf8'), 'hostile but legal\n');

    // Again into the same folder: an existing file is replaced only when the user says so.
    fs.writeFileSync(path.join(target, 'model', 'requirements.txt'), 'my own edits\n');
    const kept = await downloadArtifacts(f.mlflow, agents, runId, { path: 'model', isDir: true }, target, { concurrency: 2 });
    assert.deepEqual(kept.skipped.map((x) => x.name).sort(), ['model/MLmodel', 'model/model.pkl', 'model/requirements.txt']);
    assert.equal(fs.readFileSync(path.join(target, 'model', 'requirements.txt'), 'utf8'), 'my own edits\n', 'kept without a question');
    const asked: string[] = [];
    const answered = await downloadArtifacts(f.mlflow, agents, runId, { path: 'model', isDir: true }, target, {
      concurrency: 2,
      confirmReplace: async (file) => (asked.push(path.basename(file)), path.basename(file) === 'requirements.txt' ? 'replace' : 'skip'),
    });
    assert.deepEqual(asked.sort(), ['MLmodel', 'model.pkl', 'requirements.txt']);
    assert.deepEqual(answered.done, ['model/requirements.txt']);
    assert.equal(fs.readFileSync(path.join(target, 'model', 'requirements.txt'), 'utf8'), 'scikit-learn==1.2.1\n');
    fs.writeFileSync(path.join(target, 'model', 'requirements.txt'), 'edited again\n');
    const stopped = await downloadArtifacts(f.mlflow, agents, runId, { path: 'model', isDir: true }, target, {
      concurrency: 1,
      confirmReplace: async () => 'cancel',
    });
    assert.equal(stopped.cancelled, true);
    assert.deepEqual(stopped.done, []);
    assert.equal(fs.readFileSync(path.join(target, 'model', 'requirements.txt'), 'utf8'), 'edited again\n', 'Cancel replaces nothing');

    // CSV: the first 1,000 rows from a stream that is dropped early (how much the store sent: the next test).
    const csv = await previewFromSource(new ArtifactReader(f.mlflow, agents, runId, 'history.csv'), 'csv', { maxRows: 1000 });
    assert.equal(csv.rows.length, 1000);
    assert.deepEqual(
      csv.columns.map((c) => c.name),
      ['epoch', 'loss', 'auc'],
    );
    assert.equal(csv.rows[999][0], 999);
    assert.equal(csv.truncated, true);

    // Parquet: the footer and row groups by Range requests.
    const rangesBefore = (await f.admin<{ storage: { ranges: string[] } }>('GET', '/mlflow')).storage.ranges.length;
    const pq = await previewFromSource(new ArtifactReader(f.mlflow, agents, runId, 'metrics.parquet'), 'parquet', { maxRows: 50 });
    assert.ok(pq.rows.length > 0 && pq.rows.length <= 50);
    assert.ok(pq.columns.length > 0);
    const ranges = (await f.admin<{ storage: { ranges: string[] } }>('GET', '/mlflow')).storage.ranges.slice(rangesBefore);
    assert.ok(ranges.length >= 2, `read by range: ${ranges.join(', ')}`);
  });

  it('a CSV preview drops the stream early: the artifact store sends less than the file', async () => {
    // About 9 MB, written as training code writes artifacts (too big for one seed call), so that
    // socket buffers cannot hold the rest when the preview stops.
    const text = `${['epoch,loss,auc', ...Array.from({ length: 400_000 }, (_, i) => `${i},${(1 / (i + 1)).toFixed(6)},${(0.5 + i / 800_000).toFixed(6)}`)].join('\n')}\n`;
    const { runIds } = await f.seed('csv-stream', [{ run_name: 'big-history', status: 'RUNNING' }]);
    const write = await f.client.request<{ credential_infos: Array<{ signed_uri: string }> }>('POST', '/api/2.0/mlflow/artifacts/credentials-for-write', {
      body: { run_id: runIds[0], path: ['history.csv'] },
    });
    const put = await fetch(write.credential_infos[0].signed_uri, { method: 'PUT', body: text });
    assert.equal(put.status, 200, await put.text());
    const csv = await previewFromSource(new ArtifactReader(f.mlflow, agents, runIds[0], 'history.csv'), 'csv', { maxRows: 1000 });
    assert.equal(csv.rows.length, 1000);
    await new Promise((r) => setTimeout(r, 300));
    const sentNow = (await f.admin<{ storage: { bytesSent: Record<string, number> } }>('GET', '/mlflow')).storage.bytesSent;
    const sent = Object.entries(sentNow).find(([k]) => k.includes(runIds[0]) && k.endsWith('/history.csv'))?.[1] ?? 0;
    assert.ok(sent > 0, 'the store sent something');
    const size = Buffer.byteLength(text);
    assert.ok(sent < size / 2, `sent ${sent} of ${size} bytes`);
  });

  it('asks for a new signed URL once when the one it holds has expired, and says so when it cannot read', async () => {
    const { runIds } = await f.seed('expiry', [{ run_name: 'expiring', artifacts: { 'notes.txt': 'hello artifacts\n' } }]);
    await f.admin('POST', '/mlflow', { signedUrlTtlSeconds: 1 });
    const reader = new ArtifactReader(f.mlflow, agents, runIds[0], 'notes.txt');
    assert.equal(await reader.size(), 16);
    await new Promise((r) => setTimeout(r, 2100));
    await f.admin('POST', '/mlflow', { signedUrlTtlSeconds: 900 });
    const before = await f.count('POST /api/2.0/mlflow/artifacts/credentials-for-read');
    assert.equal(Buffer.from(await reader.readRange(0, 5)).toString(), 'hello');
    assert.equal((await f.count('POST /api/2.0/mlflow/artifacts/credentials-for-read')) - before, 1, 'one new URL');
    await assert.rejects(new ArtifactReader(f.mlflow, agents, runIds[0], 'missing.txt').readRange(0, 4), /HTTP 404 NoSuchKey/);
    await assert.rejects(f.mlflow.listArtifacts('0'.repeat(32), ''), /Run '0{32}' not found/);
  });

  it('a token the workspace refuses becomes a sign-in failure of the tree, not an empty experiment list', async () => {
    const refused = new MlflowService(new DatabricksClient({ host: f.db.url, token: 'dapi0000000000000000000000000000dead', retry: { maxAttempts: 1 } }));
    const list = new PagedList(experimentPages(() => Promise.resolve(refused)));
    await list.ensureLoaded();
    assert.equal(list.failed, true);
    assert.equal(failureGroup(list.error), 'signIn');
    assert.match(String((list.error as Error).message), /Invalid access token/);
    assert.deepEqual(list.items, []);
  });
});
