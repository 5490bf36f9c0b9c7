// Puts the demo content into the stand-ins, following the flow: raw CSV under s3://ferry-demo/raw/,
// train.py in the Databricks workspace with a scheduled job that runs it, an Athena database, and
// a Unity Catalog volume holding the raw CSV beside the warehouse's tables.
// Each step reports done / skipped / failed instead of throwing, so a sandbox whose Athena or
// Databricks stand-in is missing (or broken) still starts with what works.
import fs from 'node:fs';
import path from 'node:path';
import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SQL_CATALOG, SQL_SCHEMA } from '../databricks/sqlTables';
import { ATHENA_DATABASE, customersCsv, DEMO_BUCKET, generateShiftedCustomers, INCOMING_KEY, RAW_FILE, RAW_KEY } from './data';

export const DEMO_JOB_NAME = 'Nightly churn scoring';
export const DEMO_JOB_CRON = '0 0 2 * * ?';
export const DEMO_WORKSPACE_FOLDER = 'ferry-demo';

export interface SeedTarget {
  region: string;
  s3: { endpoint: string; accessKeyId: string; secretAccessKey: string };
  /** The Athena stand-in; absent while it does not exist. */
  athena?: { endpoint: string; outputLocation: string };
  /** The Databricks stand-in; absent while it does not exist. */
  databricks?: { host: string; token: string };
  /** Local folder holding train.py (the demo workspace). */
  workspaceDir: string;
}

export interface SeedStep {
  name: string;
  status: 'done' | 'skipped' | 'failed';
  detail: string;
}

function message(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0];
  return String(err);
}

export async function seedS3(target: SeedTarget): Promise<SeedStep> {
  const s3 = new S3Client({
    region: target.region,
    endpoint: target.s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: target.s3.accessKeyId, secretAccessKey: target.s3.secretAccessKey },
  });
  try {
    try {
      await s3.send(new CreateBucketCommand({ Bucket: DEMO_BUCKET }));
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw err;
    }
    const body = customersCsv();
    await s3.send(new PutObjectCommand({ Bucket: DEMO_BUCKET, Key: RAW_KEY, Body: body, ContentType: 'text/csv' }));
    // A second, shifted month of customers, so that Compare Datasets shows a real drift.
    const shifted = customersCsv(generateShiftedCustomers());
    await s3.send(new PutObjectCommand({ Bucket: DEMO_BUCKET, Key: INCOMING_KEY, Body: shifted, ContentType: 'text/csv' }));
    return {
      name: 'S3',
      status: 'done',
      detail: `s3://${DEMO_BUCKET}/${RAW_KEY} (${body.split('\n').length - 2} rows), s3://${DEMO_BUCKET}/${INCOMING_KEY} (${shifted.split('\n').length - 2} rows, shifted)`,
    };
  } catch (err) {
    return { name: 'S3', status: 'failed', detail: message(err) };
  } finally {
    s3.destroy();
  }
}

export async function seedAthena(target: SeedTarget): Promise<SeedStep> {
  if (!target.athena) return { name: 'Athena', status: 'skipped', detail: 'no Athena stand-in in this sandbox yet' };
  const athena = new AthenaClient({
    region: target.region,
    endpoint: target.athena.endpoint,
    credentials: { accessKeyId: target.s3.accessKeyId, secretAccessKey: target.s3.secretAccessKey },
    maxAttempts: 2,
  });
  try {
    const started = await athena.send(
      new StartQueryExecutionCommand({
        QueryString: `CREATE DATABASE IF NOT EXISTS ${ATHENA_DATABASE}`,
        ResultConfiguration: { OutputLocation: target.athena.outputLocation },
      }),
    );
    const id = started.QueryExecutionId;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const got = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const state = got.QueryExecution?.Status?.State;
      if (state === 'SUCCEEDED') return { name: 'Athena', status: 'done', detail: `database ${ATHENA_DATABASE}` };
      if (state === 'FAILED' || state === 'CANCELLED') {
        return { name: 'Athena', status: 'failed', detail: got.QueryExecution?.Status?.StateChangeReason ?? String(state) };
      }
      if (Date.now() > deadline) return { name: 'Athena', status: 'failed', detail: `CREATE DATABASE still ${state} after 30 s` };
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (err) {
    return { name: 'Athena', status: 'failed', detail: message(err) };
  } finally {
    athena.destroy();
  }
}

type Json = Record<string, unknown>;

async function call(host: string, token: string, method: 'GET' | 'POST', apiPath: string, body?: Json): Promise<Json> {
  const url = new URL(apiPath, host.endsWith('/') ? host : `${host}/`);
  if (method === 'GET' && body) for (const [k, v] of Object.entries(body)) url.searchParams.set(k, String(v));
  const res = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}) },
    body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  const json = (text ? JSON.parse(text) : {}) as Json;
  if (!res.ok) throw new Error(`${method} ${apiPath}: HTTP ${res.status} ${String(json.error_code ?? '')} ${String(json.message ?? json.error ?? '')}`.trim());
  return json;
}

/** The workspace path train.py is imported to, and that the scheduled job runs. */
export function demoRemoteDir(user: string): string {
  return `/Workspace/Users/${user}/${DEMO_WORKSPACE_FOLDER}`;
}

export async function seedDatabricks(target: SeedTarget): Promise<SeedStep> {
  const db = target.databricks;
  if (!db) return { name: 'Databricks', status: 'skipped', detail: 'no Databricks stand-in in this sandbox yet' };
  try {
    let user = 'sandbox@ferry.local';
    try {
      const me = await call(db.host, db.token, 'GET', 'api/2.0/preview/scim/v2/Me');
      if (typeof me.userName === 'string' && me.userName) user = me.userName;
    } catch {
      // a stand-in without SCIM: keep the default user name
    }
    const dir = demoRemoteDir(user);
    const script = `${dir}/train.py`;
    await call(db.host, db.token, 'POST', 'api/2.0/workspace/mkdirs', { path: dir });
    const content = fs.readFileSync(path.join(target.workspaceDir, 'train.py')).toString('base64');
    let imported: unknown;
    // AUTO keeps a plain .py as a workspace file, as Ferry's own push does; older doubles only know SOURCE.
    for (const format of ['AUTO', 'SOURCE']) {
      try {
        await call(db.host, db.token, 'POST', 'api/2.0/workspace/import', { path: script, content, format, language: 'PYTHON', overwrite: true });
        imported = undefined;
        break;
      } catch (err) {
        imported = err;
      }
    }
    if (imported) throw imported;

    const clusters = ((await call(db.host, db.token, 'GET', 'api/2.0/clusters/list')).clusters ?? []) as Array<{
      cluster_id: string;
      cluster_name?: string;
      state?: string;
    }>;
    const cluster = clusters.find((c) => c.state === 'RUNNING') ?? clusters[0];
    if (!cluster) return { name: 'Databricks', status: 'done', detail: `${script} imported; no cluster to schedule a job on` };

    const existing = ((await call(db.host, db.token, 'GET', 'api/2.1/jobs/list', { name: DEMO_JOB_NAME })).jobs ?? []) as Array<{ job_id: number }>;
    if (existing.length > 0) {
      return { name: 'Databricks', status: 'done', detail: `${script}; job "${DEMO_JOB_NAME}" (${existing[0].job_id}) already there` };
    }
    const created = await call(db.host, db.token, 'POST', 'api/2.1/jobs/create', {
      name: DEMO_JOB_NAME,
      max_concurrent_runs: 1,
      schedule: { quartz_cron_expression: DEMO_JOB_CRON, timezone_id: 'UTC', pause_status: 'UNPAUSED' },
      tasks: [{ task_key: 'train', spark_python_task: { python_file: script }, existing_cluster_id: cluster.cluster_id }],
    });
    return {
      name: 'Databricks',
      status: 'done',
      detail: `${script}; job "${DEMO_JOB_NAME}" (${String(created.job_id)}) daily at 02:00 UTC on ${cluster.cluster_name ?? cluster.cluster_id}`,
    };
  } catch (err) {
    return { name: 'Databricks', status: 'failed', detail: message(err) };
  }
}

/** Where the Unity Catalog demo lives: the workspace catalog's demo schema (whose tables the stand-in's SQL warehouse holds) and the volume holding the raw CSV. */
export const UC_CATALOG = SQL_CATALOG;
export const UC_SCHEMA = SQL_SCHEMA;
export const UC_VOLUME = 'raw';
export const UC_CSV_PATH = `/Volumes/${UC_CATALOG}/${UC_SCHEMA}/${UC_VOLUME}/${RAW_FILE}`;

/**
 * What the Catalog view shows in the sandbox: workspace.ferry_demo, whose tables (customers,
 * events, a partitioned external table and a view) the Databricks stand-in lists from its SQL
 * warehouse, so Preview Table runs; and the volume workspace.ferry_demo.raw with the demo CSV,
 * made and filled through the real Unity Catalog and Files APIs. Twice without harm.
 */
export async function seedUnityCatalog(target: SeedTarget): Promise<SeedStep> {
  const db = target.databricks;
  if (!db) return { name: 'Unity Catalog', status: 'skipped', detail: 'no Databricks stand-in in this sandbox' };
  try {
    const uc = 'api/2.1/unity-catalog';
    const full = `${UC_CATALOG}.${UC_SCHEMA}.${UC_VOLUME}`;
    try {
      await call(db.host, db.token, 'GET', `${uc}/volumes/${full}`);
    } catch (err) {
      if (!/HTTP 404/.test(message(err))) throw err;
      await call(db.host, db.token, 'POST', `${uc}/volumes`, {
        name: UC_VOLUME,
        catalog_name: UC_CATALOG,
        schema_name: UC_SCHEMA,
        volume_type: 'MANAGED',
        comment: 'Raw files as they arrive',
      });
    }
    const csv = customersCsv();
    const put = await fetch(
      new URL(`api/2.0/fs/files${UC_CSV_PATH.split('/').map(encodeURIComponent).join('/')}?overwrite=true`, db.host.endsWith('/') ? db.host : `${db.host}/`),
      {
        method: 'PUT',
        headers: { Authorization: `Bearer ${db.token}`, 'Content-Type': 'application/octet-stream' },
        body: csv,
        signal: AbortSignal.timeout(15_000),
      },
    );
    if (!put.ok) throw new Error(`PUT ${UC_CSV_PATH}: HTTP ${put.status} ${await put.text()}`);
    const tables = ((
      await call(db.host, db.token, 'GET', `${uc}/tables`, { catalog_name: UC_CATALOG, schema_name: UC_SCHEMA, max_results: 0, omit_columns: true })
    ).tables ?? []) as Array<{ name: string }>;
    return {
      name: 'Unity Catalog',
      status: 'done',
      detail: `${UC_CATALOG}.${UC_SCHEMA}: ${tables.map((t) => t.name).join(', ') || 'no tables'}; ${UC_CSV_PATH}`,
    };
  } catch (err) {
    return { name: 'Unity Catalog', status: 'failed', detail: message(err) };
  }
}

/** Seeds everything; never throws. */
export async function seedDemo(target: SeedTarget): Promise<SeedStep[]> {
  const s3 = await seedS3(target);
  const [athena, databricks, unityCatalog] = await Promise.all([seedAthena(target), seedDatabricks(target), seedUnityCatalog(target)]);
  return [s3, athena, databricks, unityCatalog];
}
