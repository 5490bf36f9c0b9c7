import assert from 'node:assert/strict';
import path from 'node:path';
import { JobRunner, newIdempotencyToken } from '../../../src/run/service/jobs';
import { listPushableFiles, PushCache, WorkspacePusher } from '../../../src/run/service/push';
import { makeProject, RunFixture, startRunFixture } from './fixture';

describe('run file as job (against the Databricks stand-in)', function () {
  this.timeout(60_000);
  let fx: RunFixture;

  before(async () => {
    fx = await startRunFixture();
  });
  after(async () => {
    await fx?.stop();
  });

  async function pushed(files: Record<string, string>) {
    const p = makeProject(fx.userName, files);
    await new WorkspacePusher(fx.client, new PushCache()).push(await listPushableFiles(p.dir), p.mapper);
    return p;
  }

  it('submits with an idempotency token, waits, and shows the task run output', async () => {
    const p = await pushed({ 'helper.py': 'GREETING = "hello from a job"\n', 'job.py': 'import helper\nprint(helper.GREETING)\n' });
    const states: string[] = [];
    const result = await new JobRunner(fx.client).run({
      compute: { kind: 'cluster', clusterId: fx.runningCluster },
      source: { kind: 'python', path: p.mapper.toRemote(path.join(p.dir, 'job.py'))! },
      mapper: p.mapper,
      onState: (s) => states.push(s.life_cycle_state),
    });
    assert.equal(result.state, 'succeeded');
    assert.ok(result.taskRunId !== undefined && result.taskRunId !== result.runId, 'output read from the task run, not the parent');
    assert.match(JSON.stringify(result.outputs), /hello from a job/);
    assert.equal(states[states.length - 1], 'TERMINATED');
  });

  it('a retried submit starts one run (counted on the stand-in), even across an injected 503', async () => {
    const p = await pushed({ 'once.py': 'print("once")\n' });
    const runner = new JobRunner(fx.client);
    const opts = {
      compute: { kind: 'cluster' as const, clusterId: fx.runningCluster },
      source: { kind: 'python' as const, path: p.mapper.toRemote(path.join(p.dir, 'once.py'))! },
      runName: `once-${Date.now()}`,
    };
    const token = newIdempotencyToken();
    await fx.resetCounts();
    await fx.setFaults({ failNext: { count: 1, status: 503, match: 'runs/submit' } });
    const first = await runner.submit(opts, token);
    const retried = await runner.submit(opts, token);
    assert.equal(retried, first, 'the same run comes back for the same token');
    const counts = await fx.counts();
    assert.equal(counts['POST /api/2.1/jobs/runs/submit'], 3, 'one 503, its automatic retry, and the explicit retry');
    const list = await fx.client.request<{ runs?: Array<{ run_id: number; run_name: string }> }>('GET', '/api/2.1/jobs/runs/list', {
      query: { run_type: 'SUBMIT_RUN', limit: 25 },
    });
    assert.equal((list.runs ?? []).filter((r) => r.run_name === opts.runName).length, 1, 'one run on the stand-in');
  });

  it('maps a failing job traceback to the local file and line', async () => {
    const p = await pushed({ 'bad.py': 'x = 1\nraise ValueError("bad input")\n' });
    const result = await new JobRunner(fx.client).run({
      compute: { kind: 'cluster', clusterId: fx.runningCluster },
      source: { kind: 'python', path: p.mapper.toRemote(path.join(p.dir, 'bad.py'))! },
      mapper: p.mapper,
    });
    assert.equal(result.state, 'failed');
    const err = result.outputs.find((o) => o.kind === 'error');
    assert.ok(err && err.kind === 'error', JSON.stringify(result.outputs));
    assert.match(err.summary, /ValueError: bad input/);
    const frame = err.frames.find((f) => f.localUri);
    assert.ok(frame, JSON.stringify(err.frames));
    assert.equal(frame.line, 2);
  });

  it('cancels a running job', async () => {
    const p = await pushed({ 'slow.py': 'import time\nwhile True:\n    time.sleep(0.1)\n' });
    const ac = new AbortController();
    const run = new JobRunner(fx.client).run({
      compute: { kind: 'cluster', clusterId: fx.runningCluster },
      source: { kind: 'python', path: p.mapper.toRemote(path.join(p.dir, 'slow.py'))! },
      signal: ac.signal,
      onState: (s) => s.life_cycle_state === 'RUNNING' && ac.abort(),
    });
    const result = await run;
    assert.equal(result.state, 'cancelled');
  });
});
