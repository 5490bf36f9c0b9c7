// Notebooks run as notebooks, and Serverless (issue 15): a Databricks source notebook (.py with the
// header) and an .ipynb pushed the way Ferry pushes (workspace import, format AUTO) and run as a
// job the way Run File as Job runs them (planFileJob → JobRunner), with their output read back
// from notebook_output and runs/export; plain .py files stay spark_python_task; a serverless
// one-time run gets the dependencies of its requirements.txt (a specifier and a local wheel).
import assert from 'node:assert/strict';
import path from 'node:path';
import { DatabricksError } from '../../../src/databricks/errors';
import { fileJob, JobsService } from '../../../src/databricks/jobs';
import { ComputeChoice, planFileJob } from '../../../src/run/service/jobFile';
import { JobRunner, newIdempotencyToken, submitBody } from '../../../src/run/service/jobs';
import { listPushableFiles, PushCache, WorkspacePusher } from '../../../src/run/service/push';
import { uniqueSuffix } from '../standIns';
import { makeProject, Project, RunFixture, startRunFixture } from './fixture';
import { pureWheel } from './wheel';

const SOURCE_NOTEBOOK = '# Databricks notebook source\nprint("cell one")\n\n# COMMAND ----------\n\ndbutils.notebook.exit("done: " + str(6 * 7))\n';
const IPYNB = JSON.stringify({
  cells: [
    { cell_type: 'markdown', metadata: {}, source: ['# A notebook'] },
    { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: ['total = sum(range(10))\n', 'print("total", total)'] },
    { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: ['dbutils.notebook.exit(f"ipynb {total}")'] },
  ],
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  nbformat: 4,
  nbformat_minor: 5,
});

interface RunTaskView {
  spark_python_task?: { python_file: string };
  notebook_task?: { notebook_path: string; source?: string };
  existing_cluster_id?: string;
  environment_key?: string;
}

describe('notebooks and serverless as jobs (against the Databricks stand-in)', function () {
  this.timeout(120_000);
  let fx: RunFixture;

  before(async () => {
    fx = await startRunFixture();
  });
  after(async () => {
    await fx?.stop();
  });

  async function pushed(files: Record<string, string | Buffer>): Promise<Project> {
    const p = makeProject(fx.userName, {});
    for (const [rel, content] of Object.entries(files)) {
      if (typeof content === 'string') p.write(rel, content);
      else {
        const file = p.write(rel, '');
        (await import('node:fs')).writeFileSync(file, content);
      }
    }
    await new WorkspacePusher(fx.client, new PushCache()).push(await listPushableFiles(p.dir), p.mapper);
    return p;
  }

  function plan(p: Project, rel: string, compute: ComputeChoice) {
    const local = path.join(p.dir, ...rel.split('/'));
    return planFileJob({ localFile: local, remoteFile: p.mapper.toRemote(local)!, compute, remoteOf: (l) => p.mapper.toRemote(l) });
  }

  async function runAsJob(p: Project, rel: string, compute: ComputeChoice) {
    const planned = plan(p, rel, compute);
    const result = await new JobRunner(fx.client).run({ compute: planned.compute, source: planned.source, mapper: p.mapper });
    const run = await fx.client.request<{ tasks: RunTaskView[] }>('GET', '/api/2.1/jobs/runs/get', { query: { run_id: result.runId } });
    return {
      planned,
      result,
      task: run.tasks[0],
      text: result.outputs.map((o) => (o.kind === 'text' ? o.text : o.kind === 'error' ? `${o.summary}\n${o.traceback}` : '')).join('\n'),
    };
  }

  const cluster = (): ComputeChoice => ({ kind: 'cluster', clusterId: fx.runningCluster });

  it('a source notebook (.py with the header) runs as a notebook_task, its path without .py, with its cells and exit value', async () => {
    const p = await pushed({ 'nb.py': SOURCE_NOTEBOOK });
    const { result, task, text } = await runAsJob(p, 'nb.py', cluster());
    assert.equal(result.state, 'succeeded', text);
    assert.equal(task.spark_python_task, undefined);
    assert.equal(
      task.notebook_task?.notebook_path,
      p.mapper
        .toRemote(path.join(p.dir, 'nb.py'))!
        .replace(/^\/Workspace/, '')
        .replace(/\.py$/, ''),
    );
    assert.equal(task.notebook_task?.source, 'WORKSPACE');
    assert.match(text, /cell one/, 'the printed cell output, from runs/export');
    assert.match(text, /done: 42/, 'the exit value, from notebook_output');
  });

  it('an .ipynb runs as a notebook_task, with its cells and exit value', async () => {
    const p = await pushed({ 'analysis.ipynb': IPYNB });
    const { result, task, text } = await runAsJob(p, 'analysis.ipynb', cluster());
    assert.equal(result.state, 'succeeded', text);
    assert.match(task.notebook_task?.notebook_path ?? '', /\/analysis$/);
    assert.match(text, /total 45/);
    assert.match(text, /ipynb 45/);
  });

  it('a failing notebook cell shows its error once, from the cell that failed', async () => {
    const p = await pushed({ 'fails.py': '# Databricks notebook source\nprint("before")\n\n# COMMAND ----------\n\nraise ValueError("bad cell")\n' });
    const { result } = await runAsJob(p, 'fails.py', cluster());
    assert.equal(result.state, 'failed');
    const errors = result.outputs.filter((o) => o.kind === 'error');
    assert.equal(errors.length, 1, JSON.stringify(result.outputs));
    assert.match(errors[0].kind === 'error' ? errors[0].summary : '', /ValueError: bad cell/);
  });

  it('a .py whose first line is not exactly the header stays a Python file (spark_python_task)', async () => {
    const p = await pushed({ 'plain.py': '#  Databricks notebook source\nprint("plain file")\n' });
    const { result, task, text } = await runAsJob(p, 'plain.py', cluster());
    assert.equal(result.state, 'succeeded', text);
    assert.match(task.spark_python_task?.python_file ?? '', /plain\.py$/);
    assert.equal(task.existing_cluster_id, fx.runningCluster);
    assert.match(text, /plain file/);
  });

  it('the stand-in refuses a spark_python_task whose python_file does not exist (the old notebook bug)', async () => {
    const p = await pushed({ 'nb.py': SOURCE_NOTEBOOK });
    const body = submitBody(
      { compute: cluster() as { kind: 'cluster'; clusterId: string }, source: { kind: 'python', path: p.mapper.toRemote(path.join(p.dir, 'nb.py'))! } },
      newIdempotencyToken(),
    );
    await assert.rejects(
      fx.client.request('POST', '/api/2.1/jobs/runs/submit', { body }),
      (err: unknown) => err instanceof DatabricksError && err.status === 400 && /nb\.py does not exist/.test(err.serverMessage),
    );
  });

  it('a serverless one-time run of a .py gets its requirements.txt: environment_key, environments with environment_version, a specifier and a local wheel', async () => {
    const wheel = pureWheel('ferry_dep_demo', '0.3', 'VALUE = "from the wheel"\n');
    const p = await pushed({
      'job/train.py': 'import ferry_dep_demo, pandas\nprint(ferry_dep_demo.VALUE, "pandas", pandas.__version__ != "")\n',
      'job/requirements.txt': `# what the job needs\npandas\n./dist/${wheel.name}\n-r dev.txt\n`,
      [`job/dist/${wheel.name}`]: wheel.bytes,
    });
    const { planned, result, task, text } = await runAsJob(p, 'job/train.py', { kind: 'serverless', environmentVersion: '4' });
    assert.equal(result.state, 'succeeded', text);
    assert.match(text, /from the wheel pandas True/);
    assert.equal(task.existing_cluster_id, undefined);
    assert.equal(task.environment_key, 'ferry_environment');
    assert.ok(planned.compute.kind === 'serverless');
    assert.deepEqual(planned.compute.dependencies, ['pandas', p.mapper.toRemote(path.join(p.dir, 'job', 'dist', wheel.name))]);
    assert.deepEqual(planned.notes.length, 1, 'the -r line is reported as left out');
    const body = submitBody({ compute: planned.compute, source: planned.source }, 't');
    assert.deepEqual(body.environments, [
      { environment_key: 'ferry_environment', spec: { environment_version: '4', dependencies: planned.compute.dependencies } },
    ]);
  });

  it('a serverless run with no requirements.txt declares an environment without dependencies', async () => {
    const p = await pushed({ 'solo.py': 'print("serverless, no deps")\n' });
    const { planned, result, text } = await runAsJob(p, 'solo.py', { kind: 'serverless', environmentVersion: '' });
    assert.equal(result.state, 'succeeded', text);
    assert.match(text, /serverless, no deps/);
    assert.deepEqual(submitBody({ compute: planned.compute, source: planned.source }, 't').environments, [
      { environment_key: 'ferry_environment', spec: { environment_version: '4' } },
    ]);
  });

  it('a serverless notebook task carries no compute field and no environments', async () => {
    const p = await pushed({ 'nb.py': SOURCE_NOTEBOOK, 'requirements.txt': 'pandas\n' });
    const { planned, result, task, text } = await runAsJob(p, 'nb.py', { kind: 'serverless' });
    assert.equal(result.state, 'succeeded', text);
    assert.deepEqual(
      Object.keys(task).filter((k) => ['existing_cluster_id', 'new_cluster', 'job_cluster_key', 'environment_key'].includes(k)),
      [],
    );
    assert.equal(submitBody({ compute: planned.compute, source: planned.source }, 't').environments, undefined);
    assert.match(planned.notes.join('\n'), /requirements\.txt is not used for a notebook on serverless/);
    assert.match(text, /done: 42/);
  });

  it('the stand-in checks the serverless shapes: a Python task needs an environment_key that names an environment with environment_version', async () => {
    const p = await pushed({ 'x.py': 'print(1)\n' });
    const file = p.mapper.toRemote(path.join(p.dir, 'x.py'))!;
    const submit = (body: Record<string, unknown>) => fx.client.request('POST', '/api/2.1/jobs/runs/submit', { body: { run_name: 'shape', ...body } });
    const refused = async (body: Record<string, unknown>, re: RegExp) =>
      assert.rejects(submit(body), (err: unknown) => err instanceof DatabricksError && err.status === 400 && re.test(err.serverMessage));
    await refused({ tasks: [{ task_key: 't', spark_python_task: { python_file: file } }] }, /needs an environment_key/);
    await refused({ tasks: [{ task_key: 't', spark_python_task: { python_file: file }, environment_key: 'e' }] }, /does not name an environment/);
    await refused(
      {
        tasks: [{ task_key: 't', spark_python_task: { python_file: file }, environment_key: 'e' }],
        environments: [{ environment_key: 'e', spec: { environment_version: 4 } }],
      },
      /string holding an integer/,
    );
    await refused(
      { tasks: [{ task_key: 't', spark_python_task: { python_file: file }, environment_key: 'e' }], environments: [{ environment_key: 'e', spec: {} }] },
      /needs an environment_version/,
    );
    await refused(
      {
        tasks: [{ task_key: 't', notebook_task: { notebook_path: '/x' }, environment_key: 'e' }],
        environments: [{ environment_key: 'e', spec: { environment_version: '4' } }],
      },
      /carries no compute field/,
    );
    await refused(
      {
        tasks: [{ task_key: 't', spark_python_task: { python_file: file }, environment_key: 'e', existing_cluster_id: fx.runningCluster }],
        environments: [{ environment_key: 'e', spec: { environment_version: '4' } }],
      },
      /only one of/,
    );
  });

  it('a serverless job made from a notebook and a Python file: jobs/get shows the shapes, run-now runs them', async () => {
    const p = await pushed({ 'nb.py': SOURCE_NOTEBOOK, 'task.py': 'print("scheduled serverless")\n', 'requirements.txt': 'pandas\n' });
    const jobs = new JobsService(fx.client);
    for (const rel of ['nb.py', 'task.py']) {
      const planned = plan(p, rel, { kind: 'serverless', environmentVersion: '5' });
      const jobId = await jobs.createJob(fileJob({ name: `serverless ${rel} ${uniqueSuffix()}`, source: planned.source, compute: planned.compute }));
      const job = await jobs.getJob(jobId);
      const task = job.settings?.tasks?.[0];
      if (rel === 'nb.py') {
        assert.equal(task?.notebook_task?.source, 'WORKSPACE');
        assert.equal(job.settings?.environments, undefined);
      } else {
        assert.equal(task?.environment_key, 'ferry_environment');
        assert.deepEqual(job.settings?.environments, [{ environment_key: 'ferry_environment', spec: { environment_version: '5', dependencies: ['pandas'] } }]);
      }
      const { run_id } = await jobs.runNow(jobId);
      let run = await jobs.getRun(run_id);
      for (let i = 0; i < 600 && !['TERMINATED', 'INTERNAL_ERROR', 'SKIPPED'].includes(String(run.state?.life_cycle_state)); i++) {
        await new Promise((r) => setTimeout(r, 100));
        run = await jobs.getRun(run_id);
      }
      assert.equal(run.state?.result_state, 'SUCCESS', JSON.stringify(run.state));
      assert.equal(run.cluster_instance, undefined, 'no cluster on serverless');
      const outputs = await jobs.runOutputs(run);
      const text = JSON.stringify(outputs);
      assert.match(text, rel === 'nb.py' ? /done: 42/ : /scheduled serverless/);
    }
  });
});
