// Linux-only: starts its own S3 and Databricks stand-ins here, with the sandbox's S3 in the cluster's environment, and runs the demo's train.py with /usr/bin/python3 (the Windows layer's Databricks stand-in has no S3 for its cluster).
// The demo's train.py run as Ferry runs it, on the stand-in cluster: Run File on Cluster and Run
// File as Job. Without the mlflow package it logs through MLflow's REST API (mlflow_rest.py):
// params, the AUC and log loss of each of its five epochs, the model and two other artifacts. The
// run's output names the MLflow run the way MLflow prints it, and the facts Ferry puts in the
// result header link exactly that run; a line naming an old run is not linked.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabricksClient } from '../../../src/databricks/client';
import { loggedRunRefs, mlflowRunFacts, outputTexts } from '../../../src/databricks/mlflow/runLink';
import { MlflowService } from '../../../src/databricks/mlflow/service';
import { ClusterGate } from '../../../src/run/service/clusterGate';
import { ExecutionApi } from '../../../src/run/service/execution';
import { JobRunner } from '../../../src/run/service/jobs';
import { PathMapper } from '../../../src/run/service/paths';
import { listPushableFiles, PushCache, WorkspacePusher } from '../../../src/run/service/push';
import { RunService } from '../../../src/run/service/runService';
import { SessionManager } from '../../../src/run/service/sessions';
import { FAST_TIMINGS, startDatabricksStandIn, DatabricksStandIn } from '../../../sandbox/databricks/standIn';
import { seedS3 } from '../../../sandbox/demo/seed';
import { clusterPythonEnv } from '../../../sandbox/launcher/clusterEnv';
import { startS3StandIn, S3StandIn } from '../../../sandbox/s3/standIn';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const DEMO = path.join(REPO, 'sandbox', 'demo', 'workspace');

describe("the demo's train.py logs to MLflow on the stand-in, and the run links to it", function () {
  this.timeout(240_000);
  let s3: S3StandIn;
  let db: DatabricksStandIn;
  let client: DatabricksClient;
  let mlflow: MlflowService;
  let dir: string;
  let mapper: PathMapper;
  const roots: string[] = [];

  before(async () => {
    const tmp = (p: string) => {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), p));
      roots.push(d);
      return d;
    };
    s3 = await startS3StandIn({ dataDir: tmp('ferry-mlflow-s3-'), buckets: [] });
    const seeded = await seedS3({
      region: 'us-east-1',
      s3: { endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      workspaceDir: DEMO,
    });
    assert.equal(seeded.status, 'done', seeded.detail);
    db = await startDatabricksStandIn({
      dataDir: tmp('ferry-mlflow-db-'),
      timings: FAST_TIMINGS,
      pythonEnv: clusterPythonEnv({ s3, settings: { 'ferry.aws.region': 'us-east-1' } }),
    });
    client = new DatabricksClient({ host: db.url, token: db.token, retry: { baseDelayMs: 50, jitterMs: 10 } });
    mlflow = new MlflowService(client);
    dir = path.join(tmp('ferry-mlflow-proj-'), 'demo');
    fs.mkdirSync(dir);
    for (const f of ['train.py', 'mlflow_rest.py']) fs.copyFileSync(path.join(DEMO, f), path.join(dir, f));
    mapper = new PathMapper(dir, `/Workspace/Users/${db.userName}/ferry/demo`);
  });
  after(async () => {
    await db?.stop();
    await s3?.stop();
    for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  });

  async function checkLoggedRun(runId: string): Promise<void> {
    const run = await mlflow.getRun(runId);
    assert.equal(run.status, 'FINISHED');
    assert.equal(run.params.max_depth, '6');
    assert.equal(run.params.epochs, '5');
    assert.equal(run.params.rows, '1200');
    assert.match(run.tags['mlflow.source.name'] ?? '', /train\.py$/);
    const auc = await mlflow.metricHistory(runId, 'auc');
    assert.deepEqual(
      auc.map((m) => m.step),
      [1, 2, 3, 4, 5],
      'one AUC per epoch',
    );
    assert.ok(
      auc.every((m) => m.value > 0.6 && m.value <= 1),
      auc.map((m) => m.value).join(', '),
    );
    assert.equal((await mlflow.metricHistory(runId, 'log_loss')).length, 5);
    const root = await mlflow.listArtifacts(runId, '');
    assert.deepEqual(root.items.map((e) => `${e.path}${e.isDir ? '/' : ''}`).sort(), ['feature_importance.csv', 'model/', 'plots/']);
    const model = await mlflow.listArtifacts(runId, 'model');
    assert.deepEqual(model.items.map((e) => e.path).sort(), ['model/MLmodel', 'model/model.pkl']);
    assert.ok((model.items.find((e) => e.path === 'model/model.pkl')?.size ?? 0) > 1000, 'the pickled model');
  }

  it('Run File on Cluster: the output says "View run … at:" and the header links that run', async () => {
    const sessions = new SessionManager(new ExecutionApi(client));
    const service = new RunService(sessions, new ClusterGate(client), new WorkspacePusher(client, new PushCache()), {
      settings: () => ({ autoStartCluster: false, pollIntervalCapMs: 1000 }),
    });
    const file = path.join(dir, 'train.py');
    const startedAt = Date.now();
    const outcome = await service.run({
      target: { clusterId: db.clusterIds[0], folder: `file://${dir}`, mapper },
      kind: 'file',
      code: fs.readFileSync(file, 'utf8'),
      localFile: file,
      push: await listPushableFiles(dir),
    });
    await sessions.disposeAll();
    const text = outputTexts(outcome.outputs).join('\n');
    assert.equal(outcome.state, 'succeeded', text);
    assert.match(text, /epoch 5: 100 trees, test AUC/);
    const refs = loggedRunRefs(outputTexts(outcome.outputs));
    assert.equal(refs.length, 1, text);
    const facts = await mlflowRunFacts(async () => mlflow, outcome.outputs, { startedAt, endedAt: Date.now() });
    assert.equal(facts.length, 1);
    assert.equal(facts[0].label, 'MLflow run');
    assert.match(facts[0].value, /^churn-rf-\d+ \(finished\)$/);
    assert.deepEqual(facts[0].link?.command, 'ferry.mlflow.openRun');
    assert.deepEqual(facts[0].link?.args, [{ experimentId: refs[0].experimentId, runId: refs[0].runId }]);
    await checkLoggedRun(refs[0].runId);
    // The same line read again later (a replayed log, another day) names a run that started before: no link.
    assert.deepEqual(await mlflowRunFacts(async () => mlflow, outcome.outputs, { startedAt: Date.now() + 3_600_000, endedAt: Date.now() + 3_600_000 }), []);
  });

  it("Run File as Job: the job's logs name the run, and it is another run of the same experiment", async () => {
    const file = path.join(dir, 'train.py');
    await new WorkspacePusher(client, new PushCache()).push(await listPushableFiles(dir), mapper);
    const startedAt = Date.now();
    const result = await new JobRunner(client).run({
      compute: { kind: 'cluster', clusterId: db.clusterIds[0] },
      source: { kind: 'python', path: mapper.toRemote(file)! },
      mapper,
    });
    const text = outputTexts(result.outputs).join('\n');
    assert.equal(result.state, 'succeeded', text);
    const facts = await mlflowRunFacts(async () => mlflow, result.outputs, { startedAt, endedAt: Date.now() });
    assert.equal(facts.length, 1, text);
    const ref = (facts[0].link?.args as Array<{ experimentId: string; runId: string }>)[0];
    await checkLoggedRun(ref.runId);
    const exp = await mlflow.searchExperiments({ filter: "name = '/Shared/ferry-demo-churn'" });
    assert.equal(exp.items.length, 1);
    assert.equal(exp.items[0].id, ref.experimentId);
    const runs = await mlflow.searchRuns([ref.experimentId]);
    assert.equal(runs.items.length, 2, 'the cluster run and the job run');
  });
});
