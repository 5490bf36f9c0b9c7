// What the run suites share: a Databricks stand-in over real HTTP, a client for it, a scratch
// project folder on disk, and a RunService wired exactly as the extension wires it.
import fs from 'node:fs';
import path from 'node:path';
import { DatabricksClient } from '../../../src/databricks/client';
import { ClusterGate, ClusterInfo } from '../../../src/run/service/clusterGate';
import { ExecutionApi } from '../../../src/run/service/execution';
import { PathMapper } from '../../../src/run/service/paths';
import { PollSchedule } from '../../../src/run/service/pollSchedule';
import { PushCache, WorkspacePusher } from '../../../src/run/service/push';
import { RunService } from '../../../src/run/service/runService';
import { SessionManager } from '../../../src/run/service/sessions';
import { FAST_TIMINGS, startDatabricksStandIn } from '../../../sandbox/databricks/standIn';
import { adminCall, databricksStandIn, scratchDir, uniqueSuffix } from '../standIns';

export interface RunFixture {
  url: string;
  token: string;
  userName: string;
  runningCluster: string;
  terminatedCluster: string;
  client: DatabricksClient;
  /** Request counts per "METHOD /path" on the stand-in. */
  counts(): Promise<Record<string, number>>;
  resetCounts(): Promise<void>;
  setFaults(f: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

/** An admin call; the Databricks stand-in's admin token is its PAT. */
async function admin<T>(url: string, token: string, method: string, p: string, body?: unknown): Promise<T> {
  return adminCall<T>(url, token, method, p, body);
}

export async function startRunFixture(opts: { latencyMs?: number } = {}): Promise<RunFixture> {
  let url: string;
  let token: string;
  let stop: () => Promise<void>;
  if (process.env.FERRY_DATABRICKS_URL && process.env.FERRY_DATABRICKS_TOKEN) {
    // An external stand-in (the Windows run).
    const ext = await databricksStandIn();
    ({ url, token, stop } = ext);
  } else {
    const dataDir = scratchDir('databricks');
    const s = await startDatabricksStandIn({ dataDir, latencyMs: opts.latencyMs, timings: FAST_TIMINGS });
    ({ url, token } = s);
    stop = async () => {
      await s.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
  }
  const info = await admin<{ userName: string; clusterIds: string[] }>(url, token, 'GET', '/__admin/info');
  const client = new DatabricksClient({ host: url, token, retry: { baseDelayMs: 50, jitterMs: 10 } });
  return {
    url,
    token,
    userName: info.userName,
    runningCluster: info.clusterIds[0],
    terminatedCluster: info.clusterIds[1],
    client,
    counts: async () => (await admin<{ counts: Record<string, number> }>(url, token, 'GET', '/__admin/requests')).counts,
    resetCounts: async () => {
      await admin(url, token, 'POST', '/__admin/reset');
    },
    setFaults: async (f) => {
      await admin(url, token, 'POST', '/__admin/faults', f);
    },
    stop,
  };
}

/** The stand-in's Command Execution request log (every execute, every result's size). */
export interface ExecutionLog {
  executes: Array<{ contextId: string; commandId: string; sha256: string; chars: number }>;
  results: Array<{ contextId: string; commandId: string; resultType: string; chars: number }>;
  maxResultChars: number;
  evicted: number;
  contexts: Array<{ id: string; clusterId: string; status: string; gone: boolean }>;
}

export async function executionLog(fx: RunFixture): Promise<ExecutionLog> {
  return admin<ExecutionLog>(fx.url, fx.token, 'GET', '/__admin/execution');
}

/** Tears a context down on the stand-in as a cluster does when it evicts or detaches it. */
export async function evictContext(fx: RunFixture, contextId: string): Promise<boolean> {
  return (await admin<{ evicted: boolean }>(fx.url, fx.token, 'POST', '/__admin/contexts/evict', { contextId })).evicted;
}

/** Creates a cluster through the Clusters API and waits until it runs; returns its id. */
export async function startCluster(fx: RunFixture, spec: Record<string, unknown>): Promise<string> {
  const { cluster_id } = await fx.client.request<{ cluster_id: string }>('POST', '/api/2.1/clusters/create', {
    body: { node_type_id: 'i3.xlarge', num_workers: 0, ...spec },
  });
  for (let i = 0; i < 200; i++) {
    const c = await fx.client.request<{ state: string }>('GET', '/api/2.1/clusters/get', { query: { cluster_id } });
    if (c.state === 'RUNNING') return cluster_id;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`cluster ${cluster_id} did not start`);
}

export interface Project {
  dir: string;
  mapper: PathMapper;
  folder: string;
  write(rel: string, text: string): string;
}

export function makeProject(userName: string, files: Record<string, string> = {}): Project {
  const dir = path.join(scratchDir('run-project'), `proj ${uniqueSuffix()}`);
  fs.mkdirSync(dir, { recursive: true });
  const mapper = new PathMapper(dir, `/Workspace/Users/${userName}/ferry/${path.basename(dir)}`);
  const write = (rel: string, text: string) => {
    const file = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return { dir, mapper, folder: `file://${dir}`, write };
}

export function makeRunService(
  fx: RunFixture,
  opts: {
    autoStart?: boolean;
    confirmStart?: (c: ClusterInfo) => Promise<boolean>;
    schedule?: PollSchedule;
    cacheFile?: string;
    pollFailureLimit?: number;
    liveOutput?: boolean;
  } = {},
): { service: RunService; sessions: SessionManager; pusher: WorkspacePusher; api: ExecutionApi } {
  const api = new ExecutionApi(fx.client, { pollFailureLimit: opts.pollFailureLimit });
  const sessions = new SessionManager(api);
  const pusher = new WorkspacePusher(fx.client, new PushCache(opts.cacheFile));
  const service = new RunService(sessions, new ClusterGate(fx.client), pusher, {
    settings: () => ({ autoStartCluster: opts.autoStart ?? false, pollIntervalCapMs: 1000 }),
    confirmStart: opts.confirmStart,
    schedule: opts.schedule,
    liveOutput: opts.liveOutput,
  });
  return { service, sessions, pusher, api };
}
