// What the MLflow suites share: the Databricks stand-in (or the one the run hands in), Ferry's
// client and MLflow service on it, the stand-in's admin endpoints, and seeding of an experiment of
// the suite's own (a unique workspace path, so suites sharing a stand-in stay apart).
import { DatabricksClient } from '../../../src/databricks/client';
import { MlflowService } from '../../../src/databricks/mlflow/service';
import { adminCall, DatabricksEndpoint, databricksStandIn, uniqueSuffix } from '../standIns';

export interface RunSeed {
  run_name?: string;
  status?: string;
  start_time?: number;
  end_time?: number;
  user_id?: string;
  params?: Record<string, string | number>;
  tags?: Record<string, string>;
  /** A value, or one value per step. */
  metrics?: Record<string, number | string | Array<number | string>>;
  /** Artifact path → UTF-8 text, or {base64}. */
  artifacts?: Record<string, string | { base64: string }>;
}

export interface MlflowFixture {
  db: DatabricksEndpoint;
  client: DatabricksClient;
  mlflow: MlflowService;
  admin<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  /** Seeds runs into `/Users/…/<name>-<suffix>`; returns the experiment id and the run ids in seed order. */
  seed(name: string, runs: RunSeed[]): Promise<{ experimentId: string; runIds: string[]; experimentName: string }>;
  /** Requests the stand-in counted for "METHOD /path". */
  count(key: string): Promise<number>;
  stop(): Promise<void>;
}

export async function mlflowFixture(): Promise<MlflowFixture> {
  const db = await databricksStandIn();
  const client = new DatabricksClient({ host: db.url, token: db.token, retry: { jitterMs: 20, baseDelayMs: 100 } });
  const admin = <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => adminCall<T>(db.admin, db.token, method, path, body);

  const suffix = uniqueSuffix();
  return {
    db,
    client,
    mlflow: new MlflowService(client),
    admin,
    seed: async (name, runs) => {
      const experimentName = `/Users/sandbox@ferry.dev/${name}-${suffix}`;
      const out = await admin<{ experiment_id: string; run_ids: string[] }>('POST', '/mlflow/seed', { experiment: experimentName, runs });
      return { experimentId: out.experiment_id, runIds: out.run_ids, experimentName };
    },
    count: async (key) => (await admin<{ counts: Record<string, number> }>('GET', '/requests')).counts[key] ?? 0,
    stop: () => db.stop(),
  };
}
