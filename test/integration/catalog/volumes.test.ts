// Files on a Unity Catalog volume over real HTTP: a 100 MB upload with progress, a folder upload
// with hostile names, conflicts that are not overwritten without asking, a cancelled upload that
// leaves nothing, downloads of a file and a folder, folder creation and a recursive delete, and a
// CSV preview that reads only the start of the file (bytes counted by the stand-in).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { previewVolumeFile } from '../../../src/databricks/volumePreview';
import { deleteFromVolume, downloadFromVolume, planVolumeDelete, planVolumeUpload, uploadToVolume } from '../../../src/databricks/volumeTransfer';
import { TransferProgress } from '../../../src/aws/s3/transfer';
import { folderPages } from '../../../src/views/catalog/pages';
import { PagedList } from '../../../src/views/shared/paged';
import { scratchDir } from '../standIns';
import { CatalogFixture, catalogFixture, createSchema, createVolume } from './fixture';

const MB = 1024 * 1024;

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** A file of `size` pseudo-random bytes (so nothing along the way can compress it away). */
function writeRandomFile(file: string, size: number): void {
  const fd = fs.openSync(file, 'w');
  const block = crypto.randomBytes(MB);
  for (let written = 0; written < size; written += MB) fs.writeSync(fd, block, 0, Math.min(MB, size - written));
  fs.closeSync(fd);
}

describe('Volume files against the stand-in', function () {
  this.timeout(180_000);
  let f: CatalogFixture;
  let volume: string;
  const tmp = scratchDir('volumes');
  const files = () => Promise.resolve(f.files);

  async function bytesReceived(p: string): Promise<number> {
    return (await f.admin<{ received: Record<string, number> }>('GET', '/files')).received[p] ?? 0;
  }
  async function bytesSent(p: string): Promise<number> {
    return (await f.admin<{ sent: Record<string, number> }>('GET', '/files')).sent[p] ?? 0;
  }

  before(async () => {
    f = await catalogFixture('vol');
    await createSchema(f, 'landing');
    volume = await createVolume(f, 'landing', 'raw');
  });
  afterEach(() => f.admin('POST', '/faults', {}));
  after(async () => {
    await f?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('uploads a 100 MB file in one streamed PUT with progress, and it downloads back byte for byte', async () => {
    const local = path.join(tmp, 'big.bin');
    writeRandomFile(local, 100 * MB);
    const items = planVolumeUpload([local], `${volume}/big files`);
    assert.deepEqual(
      items.map((i) => i.remotePath),
      [`${volume}/big files/big.bin`],
    );
    const seen: TransferProgress[] = [];
    const rssBefore = process.memoryUsage().rss;
    const result = await uploadToVolume(f.files, items, { concurrency: 2, overwrite: false, onProgress: (p) => seen.push(p) });
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    assert.deepEqual(result.failed, []);
    assert.deepEqual(result.done, [`${volume}/big files/big.bin`]);
    assert.ok(seen.length > 10, `progress reported ${seen.length} times`);
    assert.equal(seen[seen.length - 1].bytesDone, 100 * MB);
    assert.equal(await bytesReceived(`${volume}/big files/big.bin`), 100 * MB, 'the stand-in received the body once');
    console.log(`      100 MB upload: ${seen.length} progress reports, RSS grew ${(rssGrowth / MB).toFixed(0)} MB`);
    assert.equal((await f.files.head(`${volume}/big files/big.bin`)).size, 100 * MB);
    const back = scratchDir('volumes-down');
    const down = await downloadFromVolume(f.files, { path: `${volume}/big files/big.bin`, isDirectory: false, size: 100 * MB }, back, { concurrency: 2 });
    assert.deepEqual(down.failed, []);
    assert.equal(sha256(path.join(back, 'big.bin')), sha256(local));
    fs.rmSync(back, { recursive: true, force: true });
  });

  it('uploads a folder with sub-folders and hostile names as "/" paths, and lists it through the tree\'s folder pages', async () => {
    const src = path.join(tmp, 'run 2024 #1');
    fs.mkdirSync(path.join(src, 'part ü', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(src, 'a,b.csv'), 'x,y\n1,2\n');
    // Names that are hard on URLs (% # + space, non-ASCII) but legal on every OS's disk.
    fs.writeFileSync(path.join(src, 'part ü', '100% done #2 + more.txt'), 'done');
    fs.writeFileSync(path.join(src, 'part ü', 'deep', 'z.jsonl'), '{"a":1}\n');
    const items = planVolumeUpload([src], volume);
    const result = await uploadToVolume(f.files, items, { concurrency: 3, overwrite: false });
    assert.deepEqual(result.failed, []);
    assert.equal(result.done.length, 3);
    const top = new PagedList(folderPages(files, `${volume}/run 2024 #1`));
    await top.ensureLoaded();
    assert.deepEqual(
      top.items.map((e) => [e.name, e.isDirectory]),
      [
        ['part ü', true],
        ['a,b.csv', false],
      ],
      'folders first, then files',
    );
    const deep = new PagedList(folderPages(files, `${volume}/run 2024 #1/part ü`));
    await deep.ensureLoaded();
    assert.deepEqual(
      deep.items.map((e) => [e.name, e.isDirectory, e.size]),
      [
        ['deep', true, undefined],
        ['100% done #2 + more.txt', false, 4],
      ],
    );
    // A name no Windows disk takes ("?") is still a fine name on a volume.
    await f.files.uploadBytes(`${volume}/odd names/what? *really*.csv`, Buffer.from('a\n1\n'), { overwrite: false });
    const odd = await f.files.listDirectory(`${volume}/odd names`);
    assert.deepEqual(
      odd.items.map((e) => e.name),
      ['what? *really*.csv'],
    );
  });

  it('does not overwrite existing files without being told: they come back as conflicts, then go up with overwrite', async () => {
    const local = path.join(tmp, 'report.csv');
    fs.writeFileSync(local, 'v\n1\n');
    const items = planVolumeUpload([local], `${volume}/reports`);
    assert.deepEqual((await uploadToVolume(f.files, items, { concurrency: 1, overwrite: false })).done.length, 1);
    fs.writeFileSync(local, 'v\n2\n');
    const second = await uploadToVolume(f.files, items, { concurrency: 1, overwrite: false });
    assert.equal(second.done.length, 0);
    assert.deepEqual(
      second.conflicts.map((c) => c.remotePath),
      [`${volume}/reports/report.csv`],
    );
    const { body } = await f.files.openRead(`${volume}/reports/report.csv`);
    let text = '';
    for await (const c of body) text += String(c);
    assert.equal(text, 'v\n1\n', 'the existing file is untouched');
    const third = await uploadToVolume(f.files, second.conflicts, { concurrency: 1, overwrite: true });
    assert.equal(third.done.length, 1);
    assert.equal((await f.files.readRange(`${volume}/reports/report.csv`, 0, 4)).toString(), 'v\n2\n');
  });

  it('cancels an upload mid-body and leaves no file, not even a partial one', async () => {
    const local = path.join(tmp, 'slow.bin');
    writeRandomFile(local, 40 * MB);
    const controller = new AbortController();
    const items = planVolumeUpload([local], `${volume}/cancelled`);
    const result = await uploadToVolume(f.files, items, {
      concurrency: 1,
      overwrite: false,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytesDone > 5 * MB) controller.abort();
      },
    });
    assert.equal(result.cancelled, true);
    assert.deepEqual(result.done, []);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await f.files.exists(`${volume}/cancelled/slow.bin`), false, 'no file');
    const listing = await f.files.listDirectory(`${volume}/cancelled`).catch(() => ({ items: [] }));
    assert.deepEqual(listing.items, [], 'and no temporary leftovers in the listing');
  });

  it('retries an upload the service throttled, sending the whole body again', async () => {
    const local = path.join(tmp, 'retry.bin');
    writeRandomFile(local, 3 * MB);
    await f.admin('POST', '/faults', { failNext: { count: 1, status: 503, match: 'PUT /api/2.0/fs/files' }, retryAfterSeconds: 0 });
    const result = await uploadToVolume(f.files, planVolumeUpload([local], `${volume}/retried`), { concurrency: 1, overwrite: false });
    assert.deepEqual(result.failed, []);
    assert.equal((await f.files.head(`${volume}/retried/retry.bin`)).size, 3 * MB);
  });

  it('asks before replacing a local file, as an S3 download does: kept without an answer, replaced when the user says so', async () => {
    const local = path.join(tmp, 'ask.csv');
    fs.writeFileSync(local, 'x\n1\n');
    const uploaded = await uploadToVolume(f.files, planVolumeUpload([local], `${volume}/ask`), { concurrency: 1, overwrite: true });
    assert.deepEqual(uploaded.failed, []);
    const target = scratchDir('volumes-ask');
    fs.writeFileSync(path.join(target, 'ask.csv'), 'mine\n');
    const kept = await downloadFromVolume(f.files, { path: `${volume}/ask/ask.csv`, isDirectory: false }, target, { concurrency: 1 });
    assert.equal(fs.readFileSync(path.join(target, 'ask.csv'), 'utf8'), 'mine\n', 'no answer: the local file is kept');
    assert.deepEqual(
      kept.skipped.map((k) => k.name),
      [`${volume}/ask/ask.csv`],
    );
    const asked: string[] = [];
    const replaced = await downloadFromVolume(f.files, { path: `${volume}/ask/ask.csv`, isDirectory: false }, target, {
      concurrency: 1,
      confirmReplace: async (file) => {
        asked.push(path.basename(file));
        return 'replace';
      },
    });
    assert.deepEqual(asked, ['ask.csv']);
    assert.deepEqual(replaced.done, [`${volume}/ask/ask.csv`]);
    assert.equal(fs.readFileSync(path.join(target, 'ask.csv'), 'utf8'), 'x\n1\n');
    fs.rmSync(target, { recursive: true, force: true });
  });

  it('downloads a folder keeping its name and sub-folders, creates a folder, and deletes a folder with everything in it', async () => {
    const target = scratchDir('volumes-folder');
    const down = await downloadFromVolume(f.files, { path: `${volume}/run 2024 #1`, isDirectory: true }, target, { concurrency: 2 });
    assert.deepEqual(down.failed, []);
    assert.equal(fs.readFileSync(path.join(target, 'run 2024 #1', 'part ü', 'deep', 'z.jsonl'), 'utf8'), '{"a":1}\n');
    assert.equal(fs.readFileSync(path.join(target, 'run 2024 #1', 'a,b.csv'), 'utf8'), 'x,y\n1,2\n');
    fs.rmSync(target, { recursive: true, force: true });

    await f.files.createDirectory(`${volume}/empty/nested`);
    await f.files.createDirectory(`${volume}/empty/nested`); // idempotent
    const plan = await planVolumeDelete(f.files, { path: `${volume}/run 2024 #1`, isDirectory: true });
    assert.equal(plan.files.length, 3);
    assert.equal(plan.directories.length, 3);
    const removed = await deleteFromVolume(f.files, plan, { concurrency: 2 });
    assert.deepEqual(removed.failed, []);
    assert.equal(await f.files.exists(`${volume}/run 2024 #1/a,b.csv`), false);
    await assert.rejects(f.files.listDirectory(`${volume}/run 2024 #1`), (err: unknown) => (err as { status?: number }).status === 404);
    const rest = new PagedList(folderPages(files, volume));
    await rest.ensureLoaded();
    assert.ok(rest.items.some((e) => e.name === 'empty' && e.isDirectory));
  });

  it('previews a CSV from the start of the file and stops reading: the stand-in sends far less than the file', async () => {
    const local = path.join(tmp, 'wide.csv');
    const out = fs.createWriteStream(local);
    out.write('id,name,score,day\n');
    for (let i = 0; i < 400_000; i++) out.write(`${i},"name, ${i}",${(i * 0.25).toFixed(2)},2024-01-${String((i % 28) + 1).padStart(2, '0')}\n`);
    await new Promise<void>((resolve) => out.end(resolve));
    const size = fs.statSync(local).size;
    await uploadToVolume(f.files, planVolumeUpload([local], `${volume}/csv`), { concurrency: 1, overwrite: true });
    const p = `${volume}/csv/wide.csv`;
    const before = await bytesSent(p);
    const table = await previewVolumeFile(f.files, p, { maxRows: 100 });
    await new Promise((r) => setTimeout(r, 300));
    const sent = (await bytesSent(p)) - before;
    console.log(`      CSV preview: ${table.rows.length} rows, the stand-in sent ${sent.toLocaleString()} of ${size.toLocaleString()} bytes`);
    assert.equal(table.format, 'csv');
    assert.deepEqual(
      table.columns.map((c) => [c.name, c.type]),
      [
        ['id', 'integer'],
        ['name', 'string'],
        ['score', 'number'],
        ['day', 'date'],
      ],
    );
    assert.equal(table.rows.length, 100);
    assert.deepEqual(table.rows[1], [1, 'name, 1', 0.25, '2024-01-02']);
    assert.equal(table.truncated, true);
    assert.ok(sent < size / 2, `sent ${sent} of ${size} bytes`);
  });

  it('says plainly when a path is not on a volume, or the volume does not exist', async () => {
    await assert.rejects(
      previewVolumeFile(f.files, `/Volumes/${f.catalog}/landing/nope/x.csv`, {}),
      (err: unknown) => (err as { status?: number }).status === 404,
    );
    await assert.rejects(f.files.listDirectory('/tmp/x'), /not a volume path/);
    await assert.rejects(f.files.listDirectory(`${volume}/../escape`), /"\." or "\.\." segment/);
  });
});
