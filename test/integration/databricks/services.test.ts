// The services and view models against the Databricks stand-in: connection (profiles, sign in),
// clusters (list, start until running, events, the model's polling), jobs (paging, create from a
// pushed file, run now, output, cancel, schedule pause/resume).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DatabricksClient } from '../../../src/databricks/client';
import { ClustersService } from '../../../src/databricks/clusters';
import { ClustersModel } from '../../../src/databricks/clustersModel';
import { ConnectionManager, tokenKey } from '../../../src/databricks/connection';
import { DatabricksError } from '../../../src/databricks/errors';
import { JobsService, pythonFileJob, runStatus } from '../../../src/databricks/jobs';
import { runOutputsToResults } from '../../../src/databricks/runOutput';
import { currentUser, importFile, remotePathFor } from '../../../src/databricks/workspace';
import { memoryStores } from './memoryStores';
import { DatabricksEndpoint, databricksStandIn, scratchDir, uniqueSuffix } from '../standIns';

async function admin(db: DatabricksEndpoint, method: 'GET' | 'POST', p: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${db.admin}/${p}`, {
    method,
    headers: { Authorization: `Bearer ${db.token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

describe('Databricks services and models against the stand-in', function () {
  this.timeout(90_000);
  let db: DatabricksEndpoint;
  let client: DatabricksClient;
  let clusterIds: string[];
  before(async () => {
    db = await databricksStandIn();
    client = new DatabricksClient({ host: db.url, token: db.token, retry: { jitterMs: 50 } });
    clusterIds = ((await admin(db, 'GET', 'info')) as { clusterIds: string[] }).clusterIds;
  });
  after(() => db.stop());

  describe('connection', () => {
    it('resolves a profile from DATABRICKS_CONFIG_FILE and connects', async () => {
      const dir = scratchDir('dbcfg');
      const file = path.join(dir, 'cfg');
      fs.writeFileSync(file, `[DEFAULT]\nhost = https://wrong.example\n\n[sandbox]\nhost = ${db.url}\ntoken = ${db.token}\ncluster_id = ${clusterIds[0]}\n`);
      const { secrets, state } = memoryStores();
      const env = { DATABRICKS_CONFIG_FILE: file };
      const mgr = new ConnectionManager(secrets, state, {
        env,
        homedir: dir,
        readFile: async (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined),
        profileSetting: () => 'sandbox',
      });
      const conn = await mgr.current();
      assert.equal(conn.host, db.url);
      assert.equal(conn.profile, 'sandbox');
      assert.equal(conn.clusterIdHint, clusterIds[0]);
      assert.ok((await conn.clusters.list()).length >= 2);
      const options = await mgr.options();
      assert.deepEqual(
        options.map((o) => `${o.name}:${o.active}`),
        ['DEFAULT:false', 'sandbox:true'],
      );
    });

    it('explains a malformed config file', async () => {
      const dir = scratchDir('dbcfg');
      fs.writeFileSync(path.join(dir, '.databrickscfg'), '[sandbox\nhost = x\n');
      const { secrets, state } = memoryStores();
      const mgr = new ConnectionManager(secrets, state, {
        env: {},
        homedir: dir,
        readFile: async (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined),
        profileSetting: () => '',
      });
      await assert.rejects(
        mgr.current(),
        (err: unknown) =>
          err instanceof DatabricksError &&
          err.kind === 'config' &&
          /line 1/.test(err.message) &&
          err.actions.some((a) => a.command === 'ferry.databricks.selectProfile'),
      );
    });

    it('signs in: a bad token is refused and nothing is stored; a good one goes to secret storage only', async () => {
      const { secrets, state } = memoryStores();
      const mgr = new ConnectionManager(secrets, state, { env: {}, homedir: scratchDir('home'), readFile: async () => undefined, profileSetting: () => '' });
      await assert.rejects(
        mgr.signIn(db.url, 'dapi00000000000000000000000000000bad'),
        (err: unknown) => err instanceof DatabricksError && err.kind === 'auth' && /Invalid access token/.test(err.message),
      );
      assert.equal(secrets.data.size, 0);
      await assert.rejects(mgr.signIn('http://127.0.0.1:9', db.token), (err: unknown) => err instanceof DatabricksError && err.kind === 'network');
      await assert.rejects(mgr.signIn('not a host at all', db.token), (err: unknown) => err instanceof DatabricksError && err.kind === 'config');
      const user = await mgr.signIn(`${db.url}/`, db.token);
      assert.match(user, /@/);
      assert.equal(secrets.data.get(tokenKey(db.url)), db.token);
      assert.ok(!JSON.stringify([...state.data.entries()]).includes(db.token), 'the token is not in global state');
      const conn = await mgr.current();
      assert.equal(conn.host, db.url);
      await mgr.signOut(db.url);
      assert.equal(secrets.data.size, 0);
      await assert.rejects(mgr.current(), /No Databricks workspace is configured/);
    });
  });

  describe('clusters', () => {
    it('starts a terminated cluster and the model follows it to RUNNING, then terminates it', async () => {
      const service = new ClustersService(client);
      const model = new ClustersModel(async () => service);
      try {
        await model.refresh();
        const terminated = model.clusters?.find((c) => c.state === 'TERMINATED');
        assert.ok(terminated, JSON.stringify(model.clusters));
        await model.act(terminated.cluster_id, 'start');
        const seen: string[] = [];
        const running = await service.waitFor(terminated.cluster_id, 'RUNNING', { capMs: 300, onState: (c) => seen.push(String(c.state)) });
        assert.equal(running.state, 'RUNNING');
        await model.refresh();
        assert.equal(model.find(terminated.cluster_id)?.state, 'RUNNING');
        await model.act(terminated.cluster_id, 'stop');
        const done = await service.waitFor(terminated.cluster_id, 'TERMINATED', { capMs: 300 });
        assert.equal(done.state, 'TERMINATED');
        const events = await service.events(terminated.cluster_id);
        assert.ok(events.length >= 2, JSON.stringify(events));
      } finally {
        model.dispose();
      }
    });

    it('starting a cluster that is already running is not an error', async () => {
      const service = new ClustersService(client);
      const running = (await service.list()).find((c) => c.state === 'RUNNING');
      assert.ok(running);
      await service.start(running.cluster_id);
    });
  });

  describe('jobs', () => {
    it('creates a job from a pushed .py file, runs it and reads its logs', async () => {
      const me = await currentUser(client);
      const remote = remotePathFor({ userName: me.userName, folderName: `proj ${uniqueSuffix()}`, relativePath: 'src\\jobs\\hello.py' });
      assert.match(remote, /^\/Workspace\/Users\/.+\/ferry\/proj [a-z0-9]+\/src\/jobs\/hello\.py$/);
      await importFile(client, remote, Buffer.from('import sys\nprint("hello from the job", sys.argv[1:])\n'));
      const jobs = new JobsService(client);
      const jobId = await jobs.createJob(
        pythonFileJob({ name: `hello ${uniqueSuffix()}`, pythonFile: remote, clusterId: clusterIds[0], cron: '0 0 6 * * ?', timezone: 'UTC' }),
      );
      const job = await jobs.getJob(jobId);
      assert.equal(job.settings?.schedule?.quartz_cron_expression, '0 0 6 * * ?');
      const { run_id } = await jobs.runNow(jobId, { pythonParams: ['a b', 'c'] });
      let run = await jobs.getRun(run_id);
      for (let i = 0; i < 200 && ['queued', 'pending', 'running', 'terminating'].includes(runStatus(run.state)); i++) {
        await new Promise((r) => setTimeout(r, 250));
        run = await jobs.getRun(run_id);
      }
      assert.equal(runStatus(run.state), 'succeeded', JSON.stringify(run.state));
      const outputs = runOutputsToResults(await jobs.runOutputs(run));
      const text = outputs.map((o) => (o.kind === 'text' ? o.text : '')).join('\n');
      assert.match(text, /hello from the job \['a b', 'c'\]/);
      const runs = await jobs.listRuns(jobId);
      assert.ok(runs.items.some((r) => r.run_id === run_id));

      await jobs.setPaused(job, true);
      assert.equal((await jobs.getJob(jobId)).settings?.schedule?.pause_status, 'PAUSED');
      await jobs.setPaused(await jobs.getJob(jobId), false);
      assert.equal((await jobs.getJob(jobId)).settings?.schedule?.pause_status, 'UNPAUSED');
    });

    it('shows a failing run as an error output with the traceback frames', async () => {
      const me = await currentUser(client);
      const remote = remotePathFor({ userName: me.userName, folderName: `fail-${uniqueSuffix()}`, relativePath: 'boom.py' });
      await importFile(client, remote, Buffer.from('def f():\n    raise ValueError("bad shape")\nf()\n'));
      const jobs = new JobsService(client);
      const jobId = await jobs.createJob(pythonFileJob({ name: `boom ${uniqueSuffix()}`, pythonFile: remote, clusterId: clusterIds[0] }));
      const { run_id } = await jobs.runNow(jobId);
      let run = await jobs.getRun(run_id);
      for (let i = 0; i < 200 && ['queued', 'pending', 'running', 'terminating'].includes(runStatus(run.state)); i++) {
        await new Promise((r) => setTimeout(r, 250));
        run = await jobs.getRun(run_id);
      }
      assert.equal(runStatus(run.state), 'failed');
      const outputs = runOutputsToResults(await jobs.runOutputs(run));
      const err = outputs.find((o) => o.kind === 'error');
      assert.ok(err && err.kind === 'error', JSON.stringify(outputs));
      assert.match(err.summary + err.traceback, /ValueError: bad shape/);
      assert.ok(
        err.frames.some((f) => f.file.endsWith('boom.py') && f.line === 2),
        JSON.stringify(err.frames),
      );
    });

    it('pages jobs with page_token, and cancels a run', async () => {
      const jobs = new JobsService(client);
      const me = await currentUser(client);
      const remote = remotePathFor({ userName: me.userName, folderName: `page-${uniqueSuffix()}`, relativePath: 'sleep.py' });
      await importFile(client, remote, Buffer.from('import time\ntime.sleep(30)\n'));
      const ids: number[] = [];
      for (let i = 0; i < 3; i++)
        ids.push(await jobs.createJob(pythonFileJob({ name: `page ${i} ${uniqueSuffix()}`, pythonFile: remote, clusterId: clusterIds[0] })));
      const seen = new Set<number>();
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await jobs.listJobs(token, 2);
        page.items.forEach((j) => seen.add(j.job_id));
        token = page.nextPageToken;
        pages++;
      } while (token && pages < 50);
      assert.ok(pages >= 2, `several pages (${pages})`);
      for (const id of ids) assert.ok(seen.has(id));
      const { run_id } = await jobs.runNow(ids[0]);
      await jobs.cancelRun(run_id);
      let run = await jobs.getRun(run_id);
      for (let i = 0; i < 100 && runStatus(run.state) !== 'cancelled'; i++) {
        await new Promise((r) => setTimeout(r, 200));
        run = await jobs.getRun(run_id);
      }
      assert.equal(runStatus(run.state), 'cancelled', JSON.stringify(run.state));
    });
  });
});
