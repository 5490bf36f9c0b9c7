import assert from 'node:assert/strict';
import { uniqueSuffix } from '../standIns';
import { Api, connect, runningCluster, until } from './http';

interface RunState {
  life_cycle_state: string;
  result_state?: string;
  state_message: string;
  user_cancelled_or_timedout: boolean;
}
interface Run {
  run_id: number;
  job_id: number;
  number_in_job: number;
  run_type: string;
  state: RunState;
  tasks: Array<{ run_id: number; task_key: string; state: RunState; run_page_url: string }>;
  run_page_url: string;
  start_time: number;
  end_time: number;
}
interface RunOutput {
  metadata: Run;
  logs?: string;
  logs_truncated?: boolean;
  error?: string;
  error_trace?: string;
  notebook_output?: { result?: string; truncated?: boolean };
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('Databricks stand-in: Jobs 2.1 / 2.2', function () {
  this.timeout(120_000);
  let api: Api;
  let cluster: string;
  let dir: string;
  const jobs: number[] = [];

  const runDone = (runId: number, v = '2.1'): Promise<Run> =>
    until(async () => {
      const r = await api.get<Run>(`/api/${v}/jobs/runs/get`, { run_id: runId });
      assert.equal(r.status, 200, r.text);
      return ['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR'].includes(r.body.state.life_cycle_state) ? r.body : undefined;
    });
  const push = async (name: string, source: string): Promise<string> => {
    const r = await api.post('/api/2.0/workspace/import', { path: `${dir}/${name}`, content: b64(source), format: 'AUTO', overwrite: true });
    assert.equal(r.status, 200, r.text);
    return `${dir}/${name}`;
  };

  before(async () => {
    api = await connect();
    const user = (await api.get<{ userName: string }>('/api/2.0/preview/scim/v2/Me')).body.userName;
    dir = `/Users/${user}/jobs-${uniqueSuffix()}`;
    await api.post('/api/2.0/workspace/mkdirs', { path: dir });
    cluster = await runningCluster(api, `jobs-${uniqueSuffix()}`);
  });
  after(async () => {
    for (const job_id of jobs) await api.post('/api/2.1/jobs/delete', { job_id });
    await api.post('/api/2.0/workspace/delete', { path: dir, recursive: true });
    if (cluster) await api.post('/api/2.1/clusters/permanent-delete', { cluster_id: cluster });
    await api?.db.stop();
  });

  it('runs a pushed file with runs/submit and reads its output back through the task run id', async () => {
    const file = await push('train.py', 'import sys\nprint("training on", sys.argv[1:])\nprint("warn", file=sys.stderr)\nprint("accuracy=0.93")\n');
    const sub = await api.post<{ run_id: number }>('/api/2.1/jobs/runs/submit', {
      run_name: 'ferry standin',
      tasks: [{ task_key: 'ferry_run', existing_cluster_id: cluster, spark_python_task: { python_file: file, parameters: ['--epochs', '3'] } }],
    });
    assert.equal(sub.status, 200, sub.text);
    assert.equal(typeof sub.body.run_id, 'number');
    const run = await runDone(sub.body.run_id);
    assert.equal(run.state.life_cycle_state, 'TERMINATED');
    assert.equal(run.state.result_state, 'SUCCESS');
    assert.equal(run.run_type, 'SUBMIT_RUN');
    assert.equal(run.number_in_job, run.run_id);
    assert.equal(run.tasks.length, 1);
    assert.notEqual(run.tasks[0].run_id, run.run_id);
    assert.match(run.run_page_url, new RegExp(`#job/${run.job_id}/run/${run.run_id}$`));

    const parent = await api.get('/api/2.1/jobs/runs/get-output', { run_id: run.run_id });
    assert.equal(parent.status, 400);
    assert.deepEqual(parent.body, {
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'Retrieving the output of runs with multiple tasks is not supported. Please retrieve the output of each individual task run instead.',
    });
    const out = await api.get<RunOutput>('/api/2.1/jobs/runs/get-output', { run_id: run.tasks[0].run_id });
    assert.equal(out.status, 200);
    assert.equal(out.body.logs, "training on ['--epochs', '3']\nwarn\naccuracy=0.93\n");
    assert.equal(out.body.logs_truncated, false);
    assert.equal(out.body.metadata.state.result_state, 'SUCCESS');
  });

  it('honours idempotency_token: the same token gives the same run', async () => {
    const file = await push('idem.py', 'print("once")\n');
    const token = `tok-${uniqueSuffix()}`;
    const body = { idempotency_token: token, tasks: [{ task_key: 't', existing_cluster_id: cluster, spark_python_task: { python_file: file } }] };
    const a = await api.post<{ run_id: number }>('/api/2.1/jobs/runs/submit', body);
    const b = await api.post<{ run_id: number }>('/api/2.1/jobs/runs/submit', body);
    assert.equal(a.body.run_id, b.body.run_id);
    const c = await api.post<{ run_id: number }>('/api/2.1/jobs/runs/submit', { ...body, idempotency_token: `${token}-other` });
    assert.notEqual(c.body.run_id, a.body.run_id);
    const tooLong = await api.post('/api/2.1/jobs/runs/submit', { ...body, idempotency_token: 'x'.repeat(65) });
    assert.equal(tooLong.status, 400);
  });

  it('reports a failing script: result FAILED, error and error_trace from the traceback', async () => {
    const file = await push('fail.py', 'print("before")\nraise ValueError("bad input")\n');
    const sub = await api.post<{ run_id: number }>('/api/2.2/jobs/runs/submit', {
      tasks: [{ task_key: 'f', existing_cluster_id: cluster, spark_python_task: { python_file: file } }],
    });
    const run = await runDone(sub.body.run_id, '2.2');
    assert.equal(run.state.result_state, 'FAILED');
    const out = await api.get<RunOutput>('/api/2.2/jobs/runs/get-output', { run_id: run.tasks[0].run_id });
    assert.equal(out.body.error, 'ValueError: bad input');
    assert.match(out.body.error_trace ?? '', /^Traceback \(most recent call last\):/);
    assert.match(out.body.logs ?? '', /^before\n/);
  });

  it('runs a file from DBFS, and a notebook_task with its exit value', async () => {
    const dbfsPath = `/tmp/jobs-${uniqueSuffix()}/hello.py`;
    await api.post('/api/2.0/dbfs/put', { path: dbfsPath, contents: b64('print("from dbfs")'), overwrite: true });
    const sub = await api.post<{ run_id: number }>('/api/2.1/jobs/runs/submit', {
      tasks: [{ task_key: 'd', existing_cluster_id: cluster, spark_python_task: { python_file: `dbfs:${dbfsPath}` } }],
    });
    const run = await runDone(sub.body.run_id);
    assert.equal((await api.get<RunOutput>('/api/2.1/jobs/runs/get-output', { run_id: run.tasks[0].run_id })).body.logs, 'from dbfs\n');

    const nb = `${dir}/nb`;
    await api.post('/api/2.0/workspace/import', {
      path: nb,
      content: b64('x = dbutils.widgets.get("n")\n\n# COMMAND ----------\n\ndbutils.notebook.exit(f"got {x}")\n'),
      format: 'SOURCE',
      language: 'PYTHON',
      overwrite: true,
    });
    const nsub = await api.post<{ run_id: number }>('/api/2.1/jobs/runs/submit', {
      tasks: [{ task_key: 'n', existing_cluster_id: cluster, notebook_task: { notebook_path: nb, base_parameters: { n: '5' } } }],
    });
    const nrun = await runDone(nsub.body.run_id);
    assert.equal(nrun.state.result_state, 'SUCCESS');
    const nout = await api.get<RunOutput>('/api/2.1/jobs/runs/get-output', { run_id: nrun.tasks[0].run_id });
    assert.deepEqual(nout.body.notebook_output, { result: 'got 5', truncated: false });
    assert.equal(nout.body.logs, undefined, 'notebook tasks have no logs');
  });

  it('exports a notebook task run (runs/export): the notebook model in the page, each cell with its results', async () => {
    const nb = `${dir}/cells`;
    await api.post('/api/2.0/workspace/import', {
      path: nb,
      content: b64(
        'print("one")\n\n# COMMAND ----------\n\n# MAGIC %md\n# MAGIC notes\n\n# COMMAND ----------\n\nimport pandas as pd\nprint("two")\ndisplay(pd.DataFrame({"a": [1, 2]}))\n\n# COMMAND ----------\n\nraise KeyError("k")\n',
      ),
      format: 'SOURCE',
      language: 'PYTHON',
      overwrite: true,
    });
    const sub = await api.post<{ run_id: number }>('/api/2.1/jobs/runs/submit', {
      tasks: [{ task_key: 'c', existing_cluster_id: cluster, notebook_task: { notebook_path: nb } }],
    });
    const run = await runDone(sub.body.run_id);
    assert.equal(run.state.result_state, 'FAILED');
    const parent = await api.get('/api/2.1/jobs/runs/export', { run_id: run.run_id });
    assert.equal(parent.status, 400);
    const exp = await api.get<{ views: Array<{ content: string; name: string; type: string }> }>('/api/2.1/jobs/runs/export', {
      run_id: run.tasks[0].run_id,
      views_to_export: 'CODE',
    });
    assert.equal(exp.status, 200, exp.text);
    assert.deepEqual([exp.body.views.length, exp.body.views[0].name, exp.body.views[0].type], [1, 'cells', 'NOTEBOOK']);
    const m = /var __DATABRICKS_NOTEBOOK_MODEL = '([^']+)';/.exec(exp.body.views[0].content);
    assert.ok(m, exp.body.views[0].content.slice(0, 300));
    const model = JSON.parse(decodeURIComponent(Buffer.from(m[1], 'base64').toString('utf8'))) as {
      commands: Array<{ position: number; results: { type: string; data: unknown } | null }>;
    };
    const results = model.commands.map((c) => c.results);
    assert.deepEqual(results[0], { type: 'raw', data: 'one\n' });
    assert.equal(results[1], null, 'a %md cell has no results');
    assert.equal(results[2]?.type, 'listResults');
    assert.deepEqual(
      (results[2]?.data as Array<{ type: string }>).map((r) => r.type),
      ['raw', 'table'],
    );
    assert.equal(results[3]?.type, 'error');
    assert.deepEqual(
      (await api.get<{ views: unknown[] }>('/api/2.1/jobs/runs/export', { run_id: run.tasks[0].run_id, views_to_export: 'DASHBOARDS' })).body.views,
      [],
    );
    const py = await push('notnb.py', 'print(1)\n');
    const pyRun = await runDone(
      (
        await api.post<{ run_id: number }>('/api/2.1/jobs/runs/submit', {
          tasks: [{ task_key: 'p', existing_cluster_id: cluster, spark_python_task: { python_file: py } }],
        })
      ).body.run_id,
    );
    assert.equal((await api.get('/api/2.1/jobs/runs/export', { run_id: pyRun.tasks[0].run_id })).status, 400, 'only notebook runs export');
  });

  it('refuses, at submit, a python_file that does not exist or is a notebook, a notebook_path that is not a notebook, an unknown cluster or task type', async () => {
    const missing = await api.post('/api/2.1/jobs/runs/submit', {
      tasks: [{ task_key: 'm', existing_cluster_id: cluster, spark_python_task: { python_file: `${dir}/missing.py` } }],
    });
    assert.equal(missing.status, 400, missing.text);
    assert.equal(missing.body.error_code, 'INVALID_PARAMETER_VALUE');
    assert.match(String(missing.body.message), /missing\.py does not exist/);
    // A source notebook imported with AUTO is a NOTEBOOK without its extension: its .py path is no file.
    await push('nbsrc.py', '# Databricks notebook source\nprint(1)\n');
    const asFile = await api.post('/api/2.1/jobs/runs/submit', {
      tasks: [{ task_key: 'n', existing_cluster_id: cluster, spark_python_task: { python_file: `${dir}/nbsrc.py` } }],
    });
    assert.equal(asFile.status, 400);
    const notebookAsFile = await api.post('/api/2.1/jobs/runs/submit', {
      tasks: [{ task_key: 'n', existing_cluster_id: cluster, spark_python_task: { python_file: `${dir}/nbsrc` } }],
    });
    assert.match(String(notebookAsFile.body.message), /is a notebook, not a file/);
    const fileAsNotebook = await api.post('/api/2.1/jobs/runs/submit', {
      tasks: [{ task_key: 'f', existing_cluster_id: cluster, notebook_task: { notebook_path: await push('plainfile.py', 'print(1)\n') } }],
    });
    assert.match(String(fileAsNotebook.body.message), /is a file, not a notebook/);
    const noNotebook = await api.post('/api/2.1/jobs/runs/submit', {
      tasks: [{ task_key: 'f', existing_cluster_id: cluster, notebook_task: { notebook_path: `${dir}/nothing` } }],
    });
    assert.match(String(noNotebook.body.message), /Unable to access the notebook/);
    const badCluster = await api.post('/api/2.1/jobs/runs/submit', {
      tasks: [{ task_key: 'm', existing_cluster_id: '0000-000000-nothere0', spark_python_task: { python_file: 'x.py' } }],
    });
    assert.equal(badCluster.status, 400);
    assert.equal(badCluster.body.error_code, 'INVALID_PARAMETER_VALUE');
    const jar = await api.post('/api/2.1/jobs/runs/submit', {
      tasks: [{ task_key: 'j', existing_cluster_id: cluster, spark_jar_task: { main_class_name: 'x' } }],
    });
    assert.equal(jar.status, 400);
  });

  it('cancels a running run: TERMINATED / CANCELED', async () => {
    const file = await push('slow.py', 'import time\nprint("start", flush=True)\ntime.sleep(60)\n');
    const sub = await api.post<{ run_id: number }>('/api/2.1/jobs/runs/submit', {
      tasks: [{ task_key: 's', existing_cluster_id: cluster, spark_python_task: { python_file: file } }],
    });
    await until(async () =>
      (await api.get<Run>('/api/2.1/jobs/runs/get', { run_id: sub.body.run_id })).body.state.life_cycle_state === 'RUNNING' ? true : undefined,
    );
    const active = await api.get<{ runs: Run[] }>('/api/2.1/jobs/runs/list', { active_only: true });
    assert.ok(active.body.runs.some((r) => r.run_id === sub.body.run_id));
    assert.deepEqual((await api.post('/api/2.1/jobs/runs/cancel', { run_id: sub.body.run_id })).body, {});
    const run = await runDone(sub.body.run_id);
    assert.deepEqual([run.state.life_cycle_state, run.state.result_state, run.state.user_cancelled_or_timedout], ['TERMINATED', 'CANCELED', true]);
  });

  it('creates a job with a schedule, gets, lists with paging, resets, updates, runs it now and deletes it', async () => {
    const file = await push('job.py', 'import sys\nprint("job", *sys.argv[1:])\n');
    const name = `ferry-job-${uniqueSuffix()}`;
    const settings = {
      name,
      schedule: { quartz_cron_expression: '0 0 6 * * ?', timezone_id: 'UTC' },
      tasks: [{ task_key: 'main', existing_cluster_id: cluster, spark_python_task: { python_file: file, parameters: ['a'] } }],
    };
    const created = await api.post<{ job_id: number }>('/api/2.1/jobs/create', settings);
    assert.equal(created.status, 200, created.text);
    jobs.push(created.body.job_id);
    const second = await api.post<{ job_id: number }>('/api/2.2/jobs/create', { ...settings, name: `${name}-2` });
    jobs.push(second.body.job_id);
    const badSchedule = await api.post('/api/2.1/jobs/create', { ...settings, schedule: { quartz_cron_expression: '0 0 6 * * ?' } });
    assert.equal(badSchedule.status, 400);

    const got = await api.get<{ job_id: number; creator_user_name: string; settings: { name: string; schedule: { pause_status: string }; tasks: unknown[] } }>(
      '/api/2.1/jobs/get',
      { job_id: created.body.job_id },
    );
    assert.equal(got.body.settings.name, name);
    assert.equal(got.body.settings.schedule.pause_status, 'UNPAUSED');
    assert.equal(got.body.settings.tasks.length, 1);
    const missing = await api.get('/api/2.1/jobs/get', { job_id: 1 });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error_code, 'INVALID_PARAMETER_VALUE');

    const page1 = await api.get<{ jobs: Array<{ job_id: number; settings: { tasks?: unknown } }>; has_more: boolean; next_page_token?: string }>(
      '/api/2.1/jobs/list',
      { limit: 1 },
    );
    assert.equal(page1.body.jobs.length, 1);
    assert.equal(page1.body.has_more, true);
    assert.equal(page1.body.jobs[0].settings.tasks, undefined, 'tasks only with expand_tasks');
    const page2 = await api.get<{ jobs: Array<{ job_id: number }> }>('/api/2.1/jobs/list', { limit: 1, page_token: page1.body.next_page_token! });
    assert.notEqual(page2.body.jobs[0].job_id, page1.body.jobs[0].job_id);
    const byName = await api.get<{ jobs: Array<{ job_id: number }> }>('/api/2.1/jobs/list', { name: name.toUpperCase() });
    assert.deepEqual(
      byName.body.jobs.map((j) => j.job_id),
      [created.body.job_id],
    );

    assert.equal((await api.post('/api/2.1/jobs/update', { job_id: created.body.job_id, new_settings: { max_concurrent_runs: 3 } })).status, 200);
    const updated = await api.get<{ settings: { max_concurrent_runs: number; name: string } }>('/api/2.1/jobs/get', { job_id: created.body.job_id });
    assert.deepEqual([updated.body.settings.max_concurrent_runs, updated.body.settings.name], [3, name]);
    assert.equal((await api.post('/api/2.1/jobs/reset', { job_id: created.body.job_id, new_settings: { ...settings, name: `${name}-reset` } })).status, 200);
    const reset = await api.get<{ settings: { max_concurrent_runs: number; name: string } }>('/api/2.1/jobs/get', { job_id: created.body.job_id });
    assert.deepEqual([reset.body.settings.max_concurrent_runs, reset.body.settings.name], [1, `${name}-reset`]);

    const now = await api.post<{ run_id: number; number_in_job: number }>('/api/2.1/jobs/run-now', { job_id: created.body.job_id, python_params: ['b', 'c'] });
    assert.equal(now.body.number_in_job, 1);
    const run = await runDone(now.body.run_id);
    assert.equal(run.run_type, 'JOB_RUN');
    assert.equal(run.job_id, created.body.job_id);
    const out = await api.get<RunOutput>('/api/2.1/jobs/runs/get-output', { run_id: run.tasks[0].run_id });
    assert.equal(out.body.logs, 'job b c\n');
    const runs = await api.get<{ runs: Run[]; has_more: boolean }>('/api/2.1/jobs/runs/list', { job_id: created.body.job_id, completed_only: true });
    assert.deepEqual(
      runs.body.runs.map((r) => r.run_id),
      [now.body.run_id],
    );
    assert.equal(runs.body.has_more, false);

    assert.equal((await api.post('/api/2.1/jobs/delete', { job_id: second.body.job_id })).status, 200);
    assert.equal((await api.get('/api/2.1/jobs/get', { job_id: second.body.job_id })).status, 400);
    jobs.splice(jobs.indexOf(second.body.job_id), 1);
  });

  it('accepts the 2.0 single-task submit form, and runs/get by task run id', async () => {
    const file = await push('legacy.py', 'print("legacy form")\n');
    const sub = await api.post<{ run_id: number }>('/api/2.0/jobs/runs/submit', {
      run_name: 'legacy',
      existing_cluster_id: cluster,
      spark_python_task: { python_file: file },
    });
    assert.equal(sub.status, 200, sub.text);
    const run = await runDone(sub.body.run_id);
    const task = await api.get<Run & { parent_run_id: number }>('/api/2.1/jobs/runs/get', { run_id: run.tasks[0].run_id });
    assert.equal(task.body.parent_run_id, run.run_id);
    assert.equal(task.body.state.result_state, 'SUCCESS');
    const out = await api.get<RunOutput>('/api/2.0/jobs/runs/get-output', { run_id: run.tasks[0].run_id });
    assert.equal(out.body.logs, 'legacy form\n');
    const paged = await api.get<{ runs: Run[]; has_more: boolean; next_page_token?: string }>('/api/2.1/jobs/runs/list', { limit: 2, run_type: 'SUBMIT_RUN' });
    assert.equal(paged.body.runs.length, 2);
    assert.equal(paged.body.has_more, true);
    assert.ok(paged.body.runs[0].start_time >= paged.body.runs[1].start_time, 'newest first');
    const next = await api.get<{ runs: Run[] }>('/api/2.1/jobs/runs/list', { limit: 2, run_type: 'SUBMIT_RUN', page_token: paged.body.next_page_token! });
    assert.ok(!next.body.runs.some((r) => paged.body.runs.some((p) => p.run_id === r.run_id)));
  });

  it('starts a terminated existing cluster for a run, as the real service does', async () => {
    const file = await push('wake.py', 'print("awake")\n');
    await api.post('/api/2.1/clusters/delete', { cluster_id: cluster });
    await until(async () =>
      (await api.get<{ state: string }>('/api/2.1/clusters/get', { cluster_id: cluster })).body.state === 'TERMINATED' ? true : undefined,
    );
    const sub = await api.post<{ run_id: number }>('/api/2.1/jobs/runs/submit', {
      tasks: [{ task_key: 'w', existing_cluster_id: cluster, spark_python_task: { python_file: file } }],
    });
    const run = await runDone(sub.body.run_id);
    assert.equal(run.state.result_state, 'SUCCESS');
    assert.equal((await api.get<{ state: string }>('/api/2.1/clusters/get', { cluster_id: cluster })).body.state, 'RUNNING');
  });

  it('answers an unknown run id with 400 INVALID_PARAMETER_VALUE', async () => {
    const r = await api.get('/api/2.1/jobs/runs/get', { run_id: 42 });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, { error_code: 'INVALID_PARAMETER_VALUE', message: 'Run 42 does not exist.' });
  });
});
