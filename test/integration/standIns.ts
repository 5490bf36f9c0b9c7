// The stand-ins an integration suite talks to. When the run is given stand-ins that are already
// running (the Windows run: tests in Windows Node under Wine, stand-ins in Linux Node), their URLs
// come through the environment; otherwise the suite starts its own. Suites must therefore use
// unique bucket names, paths and ids per run, and reach fault injection and counters over HTTP.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startS3StandIn } from '../../sandbox/s3/standIn';
import { watchStandIn } from './standInWatch';

export interface S3Endpoint {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `Authorization: Bearer <adminToken>` opens {endpoint}/__admin. */
  adminToken: string;
  /** The stand-in's process, when this suite started it. */
  pid?: number;
  /** Stops the stand-in if this suite started it; a no-op for an external one. */
  stop(): Promise<void>;
}

export function scratchDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ferry-${prefix}-`));
}

/** A unique suffix for bucket names and paths (lower-case letters and digits). */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export async function s3StandIn(): Promise<S3Endpoint> {
  if (process.env.FERRY_S3_ENDPOINT) {
    return {
      endpoint: process.env.FERRY_S3_ENDPOINT,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      adminToken: process.env.FERRY_S3_ADMIN_TOKEN ?? '',
      stop: async () => undefined,
    };
  }
  const s3 = await startS3StandIn({ dataDir: scratchDir('s3') });
  watchStandIn(s3);
  return {
    endpoint: s3.endpoint,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    adminToken: s3.adminToken,
    pid: s3.pid,
    stop: () => s3.stop(),
  };
}

export interface AthenaEndpoint {
  endpoint: string;
  /** Admin URL root for faults, timings and request counters. */
  admin: string;
  /** `Authorization: Bearer <adminToken>` opens {admin}. */
  adminToken: string;
  /** Stops the stand-in if this suite started it; a no-op for an external one. */
  stop(): Promise<void>;
}

/** The Athena stand-in, reading tables from the given S3 stand-in (or FERRY_ATHENA_ENDPOINT when set). */
export async function athenaStandIn(s3: S3Endpoint): Promise<AthenaEndpoint> {
  if (process.env.FERRY_ATHENA_ENDPOINT) {
    const endpoint = process.env.FERRY_ATHENA_ENDPOINT;
    return { endpoint, admin: `${endpoint}/__admin`, adminToken: process.env.FERRY_ATHENA_ADMIN_TOKEN ?? '', stop: async () => undefined };
  }
  // Loaded lazily: the stand-in pulls in DuckDB's native module, which only the Athena suites need.
  const { startAthenaStandIn } = await import('../../sandbox/athena/standIn');
  const athena = await startAthenaStandIn({
    dataDir: scratchDir('athena'),
    s3: { endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  return { endpoint: athena.endpoint, admin: `${athena.endpoint}/__admin`, adminToken: athena.adminToken, stop: () => athena.stop() };
}

export interface DatabricksEndpoint {
  /** Workspace URL (http://127.0.0.1:port). */
  url: string;
  token: string;
  /** Admin URL root: POST {admin}/faults, GET {admin}/requests, POST {admin}/reset, GET {admin}/info; the PAT opens it. */
  admin: string;
  /** The password of the stand-in's OAuth sign-in page. */
  signInPassword: string;
  /** Stops the stand-in if this suite started it; a no-op for an external one. */
  stop(): Promise<void>;
}

/**
 * The Databricks stand-in (or FERRY_DATABRICKS_URL + FERRY_DATABRICKS_TOKEN when set). A suite
 * started here gets quick timings (cluster transitions of about 200 ms); an external one has
 * whatever timings it was started with. Seeded cluster ids: GET {admin}/info → clusterIds.
 */
export async function databricksStandIn(): Promise<DatabricksEndpoint> {
  if (process.env.FERRY_DATABRICKS_URL && process.env.FERRY_DATABRICKS_TOKEN) {
    const url = process.env.FERRY_DATABRICKS_URL;
    return {
      url,
      token: process.env.FERRY_DATABRICKS_TOKEN,
      admin: `${url}/__admin`,
      signInPassword: process.env.FERRY_DATABRICKS_SIGNIN_PASSWORD ?? '',
      stop: async () => undefined,
    };
  }
  const { startDatabricksStandIn, FAST_TIMINGS } = await import('../../sandbox/databricks/standIn');
  const dataDir = scratchDir('databricks');
  const db = await startDatabricksStandIn({ dataDir, timings: FAST_TIMINGS });
  const stop = async (): Promise<void> => {
    await db.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { url: db.url, token: db.token, admin: `${db.url}/__admin`, signInPassword: db.signInPassword, stop };
}

/** An admin call with the stand-in's token: JSON in and out; throws on anything but 200. */
export async function adminCall<T = Record<string, unknown>>(root: string, token: string, method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${root}${p.startsWith('/') ? p : `/${p}`}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`admin ${method} ${p}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}
