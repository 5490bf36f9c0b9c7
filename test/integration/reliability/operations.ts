// The operations of a fault run, each through Ferry's own service layer as a command would call it,
// and the ledger of what each one claimed (done, or failed with what message). The claims are
// checked afterwards against the stand-ins' own state (audit.ts), never taken on trust.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { downloadKeys, planUpload, uploadFiles } from '../../../src/aws/s3/transfer';
import { classifyError } from '../../../src/core/errors';
import { exportTableToFile } from '../../../src/results/exportFile';
import { ResultOutput } from '../../../src/results/model';
import { adaptiveSchedule } from '../../../src/run/service/pollSchedule';
import type { World } from './world';

export const OPERATION_KINDS = {
  's3.list': 10,
  's3.upload': 13,
  's3.uploadMultipart': 2,
  's3.download': 10,
  's3.downloadPrefix': 5,
  's3.delete': 6,
  'athena.query': 9,
  'athena.page': 5,
  'athena.export': 5,
  'databricks.push': 10,
  'databricks.runFile': 13,
  'databricks.runJob': 5,
  'databricks.clusterStart': 3,
} as const;
export type OperationKind = keyof typeof OPERATION_KINDS;

export const DATA_BUCKET = 'fault-data';
export const RESULTS_BUCKET = 'fault-results';

export interface Claim {
  op: number;
  kind: OperationKind;
  verdict: 'done' | 'failed';
  /** What the user was told when it failed. */
  message?: string;
  /** Wrong on Ferry's own evidence (a result that does not match), found at once. */
  wrong?: string;
}

export interface Ledger {
  claims: Claim[];
  uploads: Array<{ op: number; key: string; sha: string; size: number; done: boolean; deleted?: boolean }>;
  deletes: Array<{ op: number; key: string; done: boolean }>;
  downloads: Array<{ op: number; dir: string; files: Array<{ rel: string; sha: string }>; done: boolean; failedNames: string[] }>;
  exports: Array<{ op: number; file: string; rows: number; done: boolean }>;
  pushes: Array<{ op: number; remote: string; sha: string; done: boolean }>;
  jobs: Array<{ op: number; runName: string; done: boolean }>;
  queries: Array<{ op: number; tag: string; done: boolean }>;
  clusterStarts: Array<{ op: number; done: boolean }>;
}

export interface Stable {
  objects: Array<{ key: string; sha: string }>;
  dirFiles: Array<{ key: string; sha: string }>;
  table: string;
  tableRows: number;
}

const sha = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');

export function newLedger(): Ledger {
  return { claims: [], uploads: [], deletes: [], downloads: [], exports: [], pushes: [], jobs: [], queries: [], clusterStarts: [] };
}

/** Objects, a table and a project that the operations read; made with faults off. */
export async function seed(w: World, random: () => number): Promise<Stable> {
  const client = w.clients.client();
  const { CreateBucketCommand } = await import('@aws-sdk/client-s3');
  for (const b of [DATA_BUCKET, RESULTS_BUCKET]) await client.send(new CreateBucketCommand({ Bucket: b }));
  const objects: Stable['objects'] = [];
  for (let i = 0; i < 8; i++) {
    const body = crypto.randomBytes(1024 + Math.floor(random() * 300_000));
    const key = `stable/obj-${i}.bin`;
    await w.s3.putBytes(DATA_BUCKET, key, body);
    objects.push({ key, sha: sha(body) });
  }
  const dirFiles: Stable['dirFiles'] = [];
  for (let i = 0; i < 5; i++) {
    const body = `file ${i}\n${'x'.repeat(Math.floor(random() * 5000))}\n`;
    const key = `stable/dir/part-${i}.txt`;
    await w.s3.putBytes(DATA_BUCKET, key, body);
    dirFiles.push({ key, sha: sha(body) });
  }
  const tableRows = 200;
  const csv = ['id,name,score', ...Array.from({ length: tableRows }, (_, i) => `${i + 1},name ${i + 1},${(i % 17) * 1.5}`)].join('\n') + '\n';
  await w.s3.putBytes(DATA_BUCKET, 'tables/people/people.csv', csv);
  const table = `people_${crypto.randomBytes(4).toString('hex')}`;
  await w.athena.run(
    `CREATE EXTERNAL TABLE ${table} (id bigint, name string, score double) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://${DATA_BUCKET}/tables/people/' TBLPROPERTIES ('skip.header.line.count'='1')`,
    { database: 'default', pollMs: { first: 20, max: 100 } },
  );
  fs.writeFileSync(path.join(w.project.dir, 'main.py'), 'print("ready")\n');
  const warm = await w.runService.run({
    target: target(w),
    kind: 'file',
    code: 'print("ready")\n',
    localFile: path.join(w.project.dir, 'main.py'),
    push: [path.join(w.project.dir, 'main.py')],
  });
  if (warm.state !== 'succeeded') throw new Error(`the warm-up run failed: ${JSON.stringify(warm.outputs)}`);
  return { objects, dirFiles, table, tableRows };
}

function target(w: World) {
  return { clusterId: w.runningCluster, folder: w.project.folder, mapper: w.project.mapper };
}

/** Uploads reported done that no delete has taken yet. */
export function deletable(ledger: Ledger): Ledger['uploads'] {
  return ledger.uploads.filter((u) => u.done && !ledger.deletes.some((d) => d.key === u.key));
}

export function pickKind(random: () => number): OperationKind {
  const entries = Object.entries(OPERATION_KINDS) as Array<[OperationKind, number]>;
  const total = entries.reduce((n, [, w]) => n + w, 0);
  let r = random() * total;
  for (const [k, weight] of entries) {
    r -= weight;
    if (r < 0) return k;
  }
  return entries[entries.length - 1][0];
}

/** What a user would read for this failure: Ferry's classified message (the toast's text). */
export function userMessage(err: unknown): string {
  return classifyError(err).message;
}

function textOf(outputs: ResultOutput[]): string {
  return outputs.map((o) => (o.kind === 'text' ? o.text : o.kind === 'error' ? `${o.summary}\n${o.traceback}` : '')).join('\n');
}

function errorOf(outputs: ResultOutput[]): string | undefined {
  const e = outputs.find((o) => o.kind === 'error');
  return e && e.kind === 'error' ? e.summary : undefined;
}

export interface OpContext {
  w: World;
  stable: Stable;
  ledger: Ledger;
  random: () => number;
  signal: AbortSignal;
}

type Result = Omit<Claim, 'op' | 'kind'>;

let clusterTurn: Promise<void> = Promise.resolve();

const fail = (err: unknown): Result => ({ verdict: 'failed', message: userMessage(err) });

export async function runOperation(op: number, kind: OperationKind, c: OpContext): Promise<Result> {
  const { w, stable, ledger, random, signal } = c;
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const scratch = path.join(w.root, 'local', `op-${op}`);
  fs.mkdirSync(scratch, { recursive: true });
  const opts = { concurrency: 4, partSizeBytes: 5 * 1024 * 1024, signal };
  switch (kind) {
    case 's3.list': {
      try {
        const page = await w.s3.listLevel(DATA_BUCKET, 'stable/', undefined, 1000, signal);
        const want = stable.objects
          .map((o) => o.key)
          .sort()
          .join(',');
        const got = page.objects
          .map((o) => o.key)
          .sort()
          .join(',');
        return { verdict: 'done', wrong: got !== want || page.prefixes.join() !== 'stable/dir/' ? `listing ${got} / ${page.prefixes.join()}` : undefined };
      } catch (err) {
        return fail(err);
      }
    }
    case 's3.upload':
    case 's3.uploadMultipart': {
      const size = kind === 's3.upload' ? Math.floor(random() * 200_000) : 5 * 1024 * 1024 + 1 + Math.floor(random() * 3 * 1024 * 1024);
      const file = path.join(scratch, `up-${op}.bin`);
      const body = crypto.randomBytes(size);
      fs.writeFileSync(file, body);
      const items = planUpload([file], `uploads/${op}/`);
      const entry = { op, key: items[0].key, sha: sha(body), size, done: false };
      ledger.uploads.push(entry);
      try {
        const r = await uploadFiles(w.s3, DATA_BUCKET, items, opts);
        entry.done = r.done.includes(entry.key);
        if (entry.done) return { verdict: 'done' };
        return { verdict: 'failed', message: r.failed[0]?.reason ?? (r.cancelled ? 'Cancelled' : 'no reason given') };
      } catch (err) {
        return fail(err);
      } finally {
        // The audit knows the bytes by their hash; a 10,000-operation run would otherwise keep gigabytes.
        fs.rmSync(file, { force: true });
      }
    }
    case 's3.download':
    case 's3.downloadPrefix': {
      const dir = path.join(scratch, 'download');
      fs.mkdirSync(dir, { recursive: true });
      const prefix = kind === 's3.download' ? 'stable/' : 'stable/dir/';
      const chosen = kind === 's3.download' ? [pick(stable.objects)] : stable.dirFiles;
      const entry = { op, dir, files: chosen.map((o) => ({ rel: o.key.slice(prefix.length), sha: o.sha })), done: false, failedNames: [] as string[] };
      ledger.downloads.push(entry);
      try {
        const items = kind === 's3.download' ? await w.s3.keysUnder(DATA_BUCKET, chosen[0].key, signal) : await w.s3.keysUnder(DATA_BUCKET, prefix, signal);
        const r = await downloadKeys(
          w.s3,
          DATA_BUCKET,
          prefix,
          items.map((i) => ({ key: i.key, size: i.size ?? 0 })),
          dir,
          opts,
        );
        entry.failedNames = [...r.failed, ...r.refused, ...r.skipped].map((f) => f.name);
        entry.done = r.done.length === chosen.length && !r.failed.length && !r.cancelled;
        if (entry.done) return { verdict: 'done' };
        return {
          verdict: 'failed',
          message:
            r.failed[0]?.reason ?? r.refused[0]?.reason ?? (r.done.length !== chosen.length ? `${r.done.length} of ${chosen.length} downloaded` : 'Cancelled'),
        };
      } catch (err) {
        return fail(err);
      }
    }
    case 's3.delete': {
      const candidates = deletable(ledger);
      if (!candidates.length) return { verdict: 'done', wrong: 'no object to delete (the run picks another operation then)' };
      const victim = pick(candidates);
      const entry = { op, key: victim.key, done: false };
      ledger.deletes.push(entry);
      try {
        const r = await w.s3.deleteKeys(DATA_BUCKET, [victim.key], undefined, signal);
        entry.done = r.deleted === 1 && !r.errors.length;
        return entry.done ? { verdict: 'done' } : { verdict: 'failed', message: r.errors[0]?.message ?? 'not deleted' };
      } catch (err) {
        return fail(err);
      }
    }
    case 'athena.query': {
      const tag = `op${op}`;
      const min = 1 + Math.floor(random() * 150);
      const entry = { op, tag, done: false };
      ledger.queries.push(entry);
      try {
        const q = await w.athena.run(`SELECT id, name, '${tag}' AS tag FROM ${stable.table} WHERE id >= ${min} ORDER BY id`, {
          database: 'default',
          signal,
          pollMs: { first: 20, max: 150 },
        });
        entry.done = true;
        const rows = await w.athena.rows(q).getRows(0, 1000, signal);
        const ok = rows.length === stable.tableRows - min + 1 && rows[0][0] === min && rows.every((r) => r[2] === tag);
        return { verdict: 'done', wrong: ok ? undefined : `query ${tag} answered ${rows.length} rows, first ${JSON.stringify(rows[0])}` };
      } catch (err) {
        return fail(err);
      }
    }
    case 'athena.page': {
      const tag = `op${op}`;
      const entry = { op, tag, done: false };
      ledger.queries.push(entry);
      try {
        const q = await w.athena.run(`SELECT i AS n, '${tag}' AS tag FROM range(2500) t(i)`, { database: 'default', signal, pollMs: { first: 20, max: 150 } });
        entry.done = true;
        const start = 1000 + Math.floor(random() * 1400);
        const rows = await w.athena.rows(q).getRows(start, 50, signal);
        const ok = rows.length === 50 && rows.every((r, i) => r[0] === start + i && r[1] === tag);
        return { verdict: 'done', wrong: ok ? undefined : `page at ${start} of ${tag}: ${JSON.stringify(rows.slice(0, 2))}` };
      } catch (err) {
        return fail(err);
      }
    }
    case 'athena.export': {
      const tag = `op${op}`;
      const file = path.join(scratch, `export-${op}.csv`);
      const entry = { op, file, rows: stable.tableRows, done: false };
      ledger.exports.push(entry);
      const query = { op, tag, done: false };
      ledger.queries.push(query);
      try {
        const q = await w.athena.run(`SELECT id, name, score, '${tag}' AS tag FROM ${stable.table} ORDER BY id`, {
          database: 'default',
          signal,
          pollMs: { first: 20, max: 150 },
        });
        query.done = true;
        const rows = w.athena.rows(q);
        const columns = await rows.open(signal);
        const written = await exportTableToFile({ columns, allRows: (s) => rows.allRows(s) }, 'csv', file, signal);
        entry.done = true;
        return { verdict: 'done', wrong: written === stable.tableRows ? undefined : `export wrote ${written} rows` };
      } catch (err) {
        return fail(err);
      }
    }
    case 'databricks.push': {
      const rel = `pushed/op_${op}.py`;
      const local = path.join(w.project.dir, ...rel.split('/'));
      fs.mkdirSync(path.dirname(local), { recursive: true });
      const text = `# op ${op}\nVALUE = ${JSON.stringify(crypto.randomBytes(12).toString('hex'))}\n`;
      fs.writeFileSync(local, text);
      const entry = { op, remote: w.project.mapper.toRemote(local)!, sha: sha(text), done: false };
      ledger.pushes.push(entry);
      try {
        const r = await w.pusher.push([local], w.project.mapper, { signal });
        entry.done = r.uploaded.includes(entry.remote);
        return entry.done ? { verdict: 'done' } : { verdict: 'failed', message: r.skipped[0]?.reason ?? 'not pushed' };
      } catch (err) {
        return fail(err);
      }
    }
    case 'databricks.runFile': {
      const a = 1 + Math.floor(random() * 1000);
      const b = 1 + Math.floor(random() * 1000);
      // A file of its own: operations in other lanes run files of the same folder (one session) meanwhile.
      const local = path.join(w.project.dir, 'runs', `op_${op}.py`);
      const code = `# op ${op}\nprint("product", ${a} * ${b})\n`;
      fs.mkdirSync(path.dirname(local), { recursive: true });
      fs.writeFileSync(local, code);
      try {
        const outcome = await w.runService.run({ target: target(w), kind: 'file', code, localFile: local, push: [local], signal });
        if (outcome.state === 'succeeded') {
          const out = textOf(outcome.outputs);
          return { verdict: 'done', wrong: out.includes(`product ${a * b}`) ? undefined : `run printed ${JSON.stringify(out.slice(0, 200))}` };
        }
        return { verdict: 'failed', message: outcome.lost ?? errorOf(outcome.outputs) ?? `the run ended ${outcome.state} with no message` };
      } catch (err) {
        return fail(err);
      }
    }
    case 'databricks.runJob': {
      const rel = `jobs/job_${op}.py`;
      const local = path.join(w.project.dir, ...rel.split('/'));
      fs.mkdirSync(path.dirname(local), { recursive: true });
      fs.writeFileSync(local, `print("job ${op} ran")\n`);
      const runName = `fault-run op ${op}`;
      const entry = { op, runName, done: false };
      ledger.jobs.push(entry);
      try {
        await w.pusher.push([local], w.project.mapper, { signal });
        const r = await w.jobs.run({
          compute: { kind: 'cluster', clusterId: w.runningCluster },
          source: { kind: 'python', path: w.project.mapper.toRemote(local)! },
          runName,
          signal,
          schedule: adaptiveSchedule({ firstMs: 30, capMs: 200 }),
          mapper: w.project.mapper,
        });
        entry.done = r.state === 'succeeded';
        if (entry.done)
          return {
            verdict: 'done',
            wrong: textOf(r.outputs).includes(`job ${op} ran`) ? undefined : `job output ${JSON.stringify(textOf(r.outputs).slice(0, 200))}`,
          };
        return { verdict: 'failed', message: errorOf(r.outputs) ?? `the job run ended ${r.state} (${r.resultState ?? r.lifeCycleState})` };
      } catch (err) {
        return fail(err);
      }
    }
    case 'databricks.clusterStart': {
      const entry = { op, done: false };
      ledger.clusterStarts.push(entry);
      // One cluster for every start: starts in other lanes wait their turn (a user starts a cluster once).
      const turn = clusterTurn;
      let release = () => undefined as void;
      clusterTurn = new Promise<void>((r) => (release = r));
      await turn;
      try {
        const c0 = await w.clusters.get(w.startCluster, signal);
        if (c0.state !== 'TERMINATED') {
          if (c0.state === 'RUNNING') await w.clusters.stop(w.startCluster, signal);
          await w.clusters.waitFor(w.startCluster, 'TERMINATED', { signal, capMs: 100 });
        }
        await w.clusters.start(w.startCluster, signal);
        await w.clusters.waitFor(w.startCluster, 'RUNNING', { signal, capMs: 100 });
        entry.done = true;
        return { verdict: 'done' };
      } catch (err) {
        return fail(err);
      } finally {
        release();
      }
    }
  }
}
