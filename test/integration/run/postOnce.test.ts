// POSTs that must not repeat (issue 14, hole 9): run-now, runs/submit and jobs/create whose answer
// is lost or replaced by a gateway's 503 after the stand-in carried them out. The stand-in's own
// state (its runs and jobs, listed over the Jobs API) says whether anything happened twice.
import assert from 'node:assert/strict';
import { JobsService, pythonFileJob } from '../../../src/databricks/jobs';
import { importFile } from '../../../src/databricks/workspace';
import { JobRunner, newIdempotencyToken } from '../../../src/run/service/jobs';
import { uniqueSuffix } from '../standIns';
import { RunFixture, startRunFixture } from './fixture';

describe('POSTs that must not repeat (run-now, runs/submit, jobs/create)', function () {
  this.timeout(60_000);
  let fx: RunFixture;
  let jobs: JobsService;
  let file: string;
  const created: number[] = [];

  before(async () => {
    fx = await startRunFixture();
    jobs = new JobsService(fx.client);
    file = `/Workspace/Users/${fx.userName}/ferry/post-once-${uniqueSuffix()}/once.py`;
    await importFile(fx.client, file, Buffer.from('print("once")\n'));
  });
  afterEach(async () => {
    await fx.setFaults({});
  });
  after(async () => {
    for (const job_id of created) await fx.client.request('POST', '/api/2.1/jobs/delete', { body: { job_id } }).catch(() => undefined);
    await fx?.stop();
  });

  async function runsOf(jobId: number): Promise<number[]> {
    const res = await fx.client.request<{ runs?: Array<{ run_id: number }> }>('GET', '/api/2.1/jobs/runs/list', { query: { job_id: jobId, limit: 25 } });
    return (res.runs ?? []).map((r) => r.run_id);
  }

  async function jobsNamed(name: string): Promise<number[]> {
    const res = await fx.client.request<{ jobs?: Array<{ job_id: number }> }>('GET', '/api/2.1/jobs/list', { query: { name, limit: 100 } });
    const ids = (res.jobs ?? []).map((j) => j.job_id);
    created.push(...ids.filter((id) => !created.includes(id)));
    return ids;
  }

  async function newJob(): Promise<number> {
    const { job_id } = await fx.client.request<{ job_id: number }>('POST', '/api/2.1/jobs/create', {
      body: pythonFileJob({ name: `once-${uniqueSuffix()}`, pythonFile: file, clusterId: fx.runningCluster }),
    });
    created.push(job_id);
    return job_id;
  }

  it('run-now answered 503 after the run started: one run on the stand-in, and its id comes back', async () => {
    const jobId = await newJob();
    await fx.setFaults({ failNext: { count: 1, status: 503, after: true, match: '/jobs/run-now' } });
    const res = await jobs.runNow(jobId);
    const runs = await runsOf(jobId);
    assert.equal(runs.length, 1, `runs on the stand-in: ${runs.join(', ')}`);
    assert.equal(res.run_id, runs[0]);
  });

  it('run-now whose answer is lost (connection reset after the run started): the same run comes back, no second run', async () => {
    const jobId = await newJob();
    await fx.setFaults({ failNext: { count: 1, status: 0, after: true, match: '/jobs/run-now' } });
    const res = await jobs.runNow(jobId);
    const runs = await runsOf(jobId);
    assert.deepEqual(runs, [res.run_id]);
  });

  it('runs/submit whose answer is lost: the token brings back the run it started', async () => {
    const runName = `submit-once-${uniqueSuffix()}`;
    await fx.setFaults({ failNext: { count: 1, status: 0, after: true, match: '/jobs/runs/submit' } });
    const runId = await new JobRunner(fx.client).submit(
      { compute: { kind: 'cluster', clusterId: fx.runningCluster }, source: { kind: 'python', path: file }, runName },
      newIdempotencyToken(),
    );
    const list = await fx.client.request<{ runs?: Array<{ run_id: number; run_name: string }> }>('GET', '/api/2.1/jobs/runs/list', {
      query: { run_type: 'SUBMIT_RUN', limit: 25 },
    });
    assert.deepEqual(
      (list.runs ?? []).filter((r) => r.run_name === runName).map((r) => r.run_id),
      [runId],
    );
  });

  it('jobs/create answered 503 after the job was made: one job', async () => {
    const name = `create-once-${uniqueSuffix()}`;
    await fx.setFaults({ failNext: { count: 1, status: 503, after: true, match: '/jobs/create' } });
    const jobId = await jobs.createJob(pythonFileJob({ name, pythonFile: file, clusterId: fx.runningCluster }));
    assert.deepEqual(await jobsNamed(name), [jobId]);
  });

  it('jobs/create whose answer is lost: the job is found by its Ferry tag, not made twice', async () => {
    const name = `create-lost-${uniqueSuffix()}`;
    await fx.setFaults({ failNext: { count: 1, status: 0, after: true, match: '/jobs/create' } });
    const jobId = await jobs.createJob(pythonFileJob({ name, pythonFile: file, clusterId: fx.runningCluster }));
    assert.deepEqual(await jobsNamed(name), [jobId]);
  });

  it('jobs/create refused with 429 before anything was made: retried, one job', async () => {
    const name = `create-throttled-${uniqueSuffix()}`;
    await fx.setFaults({ failNext: { count: 2, status: 429, match: '/jobs/create' }, retryAfterSeconds: 0 });
    const jobId = await jobs.createJob(pythonFileJob({ name, pythonFile: file, clusterId: fx.runningCluster }));
    assert.deepEqual(await jobsNamed(name), [jobId]);
  });
});
