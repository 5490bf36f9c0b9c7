import assert from 'node:assert/strict';
import fs from 'node:fs';
import { FAST_TIMINGS, startDatabricksStandIn } from '../../../sandbox/databricks/standIn';
import { scratchDir } from '../standIns';
import { Api, until } from './http';

// Always an in-process stand-in: it is started with an interpreter that does not exist, to show
// that a missing Python (or one without pandas) is reported in words a user can act on.
describe('Databricks stand-in: a missing Python is reported clearly', function () {
  this.timeout(60_000);
  it('refuses a context and fails a job run with the install hint', async () => {
    const dataDir = scratchDir('databricks-nopy');
    const db = await startDatabricksStandIn({ dataDir, timings: FAST_TIMINGS, python: `${dataDir}/no-such-python3` });
    const api = new Api({ url: db.url, token: db.token, admin: `${db.url}/__admin`, signInPassword: db.signInPassword, stop: () => db.stop() });
    try {
      const running = db.clusterIds[0];
      const ctx = await api.post('/api/1.2/contexts/create', { clusterId: running, language: 'python' });
      assert.equal(ctx.status, 500);
      assert.match(String(ctx.body.error), /python3-pandas/);
      await api.post('/api/2.0/dbfs/put', { path: '/tmp/x.py', contents: Buffer.from('print(1)').toString('base64'), overwrite: true });
      const sub = await api.post<{ run_id: number }>('/api/2.1/jobs/runs/submit', {
        tasks: [{ task_key: 't', existing_cluster_id: running, spark_python_task: { python_file: 'dbfs:/tmp/x.py' } }],
      });
      const state = await until(async () => {
        const r = await api.get<{ state: { life_cycle_state: string; state_message: string } }>('/api/2.1/jobs/runs/get', { run_id: sub.body.run_id });
        return r.body.state.life_cycle_state === 'INTERNAL_ERROR' ? r.body.state : undefined;
      });
      assert.match(state.state_message, /FERRY_PYTHON/);
    } finally {
      await db.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
