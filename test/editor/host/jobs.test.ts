// Jobs from files inside the real editor, against the sandbox's Databricks stand-in: with
// Serverless as the folder's default, Run File as Job runs a source notebook and an .ipynb as
// notebook tasks and a .py with its requirements.txt as a Python task on a serverless
// environment; Create Job from File makes a serverless notebook job; a notebook cell says plainly
// that it needs a cluster.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_CLUSTER_SEEDS } from '../../../sandbox/databricks/clusters';
import type { JobRunResult } from '../../../src/run/service/jobs';
import { sandboxProfile } from './sandboxProfile';

const EXTENSION_ID = 'ferry-dev.ferry';
const RUNNING = DEFAULT_CLUSTER_SEEDS[0].cluster_id;

interface TaskView {
  notebook_task?: { notebook_path: string; source?: string };
  spark_python_task?: { python_file: string };
  existing_cluster_id?: string;
  environment_key?: string;
}

async function api<T>(p: string): Promise<T> {
  const { host, token } = sandboxProfile();
  const res = await fetch(`${host}${p}`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as T;
}

/** Fails with `what` instead of hanging when a command waits for a user (an error notification). */
async function within<T>(what: string, p: Thenable<T>, ms = 90_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms)));
  try {
    return await Promise.race([Promise.resolve(p), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes every tab that shows `uri` (saved documents only: nothing asks to save). */
async function closeTabsOf(uri: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => {
      const input = t.input as { uri?: vscode.Uri } | undefined;
      return input?.uri?.toString() === uri.toString();
    });
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

function text(result: JobRunResult): string {
  return result.outputs.map((o) => (o.kind === 'text' ? o.text : o.kind === 'error' ? `${o.summary}\n${o.traceback}` : o.kind)).join('\n');
}

describe('jobs from files: notebooks and Serverless (extension host)', function () {
  this.timeout(180_000);
  let folder: vscode.WorkspaceFolder;
  const write = (rel: string, content: string): vscode.Uri => {
    const file = path.join(folder.uri.fsPath, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return vscode.Uri.file(file);
  };
  const taskOf = async (runId: number) => (await api<{ tasks: TaskView[] }>(`/api/2.1/jobs/runs/get?run_id=${runId}`)).tasks[0];

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    folder = vscode.workspace.workspaceFolders![0];
    assert.equal(await vscode.commands.executeCommand('ferry.databricks.setDefaultCluster', 'serverless', folder.uri), 'serverless');
  });
  after(async () => {
    await vscode.commands.executeCommand('ferry.databricks.setDefaultCluster', RUNNING, folder.uri);
  });

  it('Run File as Job runs a source notebook (.py with the header) on Serverless as a notebook task, with its cells and exit value', async () => {
    const uri = write(
      'jobs/host_nb.py',
      '# Databricks notebook source\nprint("host notebook cell")\n\n# COMMAND ----------\n\ndbutils.notebook.exit("host exit " + str(2 + 3))\n',
    );
    const result = await within('runFileAsJob', vscode.commands.executeCommand<JobRunResult>('ferry.databricks.runFileAsJob', uri));
    assert.equal(result?.state, 'succeeded', result && text(result));
    assert.match(text(result), /host notebook cell/);
    assert.match(text(result), /host exit 5/);
    const task = await taskOf(result.runId);
    assert.match(task.notebook_task?.notebook_path ?? '', /\/jobs\/host_nb$/, 'the notebook, without .py');
    assert.equal(task.notebook_task?.source, 'WORKSPACE');
    assert.deepEqual([task.existing_cluster_id, task.environment_key], [undefined, undefined], 'a serverless notebook task carries no compute field');
  });

  it('Run File as Job runs an .ipynb open in the notebook editor (unsaved edits saved first)', async () => {
    const uri = write(
      'jobs/host_analysis.ipynb',
      JSON.stringify({
        cells: [{ cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source: ['print("from the ipynb")'] }],
        metadata: {},
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
    const nb = await vscode.workspace.openNotebookDocument(uri);
    await vscode.window.showNotebookDocument(nb);
    const edit = new vscode.WorkspaceEdit();
    edit.set(uri, [
      vscode.NotebookEdit.insertCells(1, [
        new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'dbutils.notebook.exit("edited before the run")', 'python'),
      ]),
    ]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(nb.isDirty);
    const result = await within('runFileAsJob', vscode.commands.executeCommand<JobRunResult>('ferry.databricks.runFileAsJob'));
    assert.equal(result?.state, 'succeeded', result && text(result));
    assert.match(text(result), /from the ipynb/);
    assert.match(text(result), /edited before the run/, 'the unsaved cell was saved and pushed');
    assert.match((await taskOf(result.runId)).notebook_task?.notebook_path ?? '', /\/jobs\/host_analysis$/);
    // Leave no notebook editor behind for the suites after this one: close its tab by name (the
    // result viewer took the focus, so the active editor is not the notebook).
    await closeTabsOf(uri);
  });

  it('Run File as Job runs a plain .py on Serverless with the dependencies of its requirements.txt', async () => {
    write('svc/requirements.txt', 'pandas\n');
    const uri = write('svc/host_task.py', 'import pandas\nprint("serverless task with pandas", bool(pandas.__version__))\n');
    const result = await within('runFileAsJob', vscode.commands.executeCommand<JobRunResult>('ferry.databricks.runFileAsJob', uri));
    assert.equal(result?.state, 'succeeded', result && text(result));
    assert.match(text(result), /serverless task with pandas True/);
    const task = await taskOf(result.runId);
    assert.match(task.spark_python_task?.python_file ?? '', /\/svc\/host_task\.py$/);
    assert.equal(task.environment_key, 'ferry_environment');
  });

  it('Create Job from File makes a serverless notebook job from an .ipynb', async () => {
    const uri = write(
      'jobs/host_job.ipynb',
      JSON.stringify({
        cells: [{ cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source: ['print(1)'] }],
        metadata: {},
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
    const name = `host-serverless-${Date.now().toString(36)}`;
    const jobId = await within(
      'createJobFromFile',
      vscode.commands.executeCommand<number>('ferry.databricks.createJobFromFile', uri, { name, serverless: true, cron: '' }),
    );
    assert.equal(typeof jobId, 'number');
    const job = await api<{ settings: { name: string; tasks: TaskView[]; environments?: unknown; tags?: Record<string, string> } }>(
      `/api/2.1/jobs/get?job_id=${jobId}`,
    );
    assert.equal(job.settings.name, name);
    assert.match(job.settings.tasks[0].notebook_task?.notebook_path ?? '', /\/jobs\/host_job$/);
    assert.equal(job.settings.tasks[0].existing_cluster_id, undefined);
    assert.equal(job.settings.environments, undefined);
    assert.ok(job.settings.tags?.['ferry-create-id'], 'tagged so that a retried create finds it');
  });

  it('with Serverless chosen, a notebook cell says plainly that it needs a cluster', async () => {
    const data = new vscode.NotebookData([new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'print("never runs")', 'python')]);
    const nb = await vscode.workspace.openNotebookDocument('ferry-databricks-source', data);
    await vscode.window.showNotebookDocument(nb);
    assert.equal(await vscode.commands.executeCommand('notebook.selectKernel', { id: 'ferry.databricks.kernel.source', extension: EXTENSION_ID }), true);
    void vscode.commands.executeCommand('notebook.execute');
    const deadline = Date.now() + 30_000;
    while (nb.cellAt(0).executionSummary?.success === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const cell = nb.cellAt(0);
    assert.equal(cell.executionSummary?.success, false);
    const error = cell.outputs
      .flatMap((o) => o.items)
      .filter((i) => i.mime === 'application/vnd.code.notebook.error')
      .map((i) => new TextDecoder().decode(i.data))
      .join('\n');
    assert.match(error, /Serverless, which runs jobs only/);
    assert.match(error, /need a cluster/);
    assert.match(error, /as a serverless job instead/);
    // The untitled notebook is dirty: make it the active editor, then revert and close it (no save prompt).
    await vscode.window.showNotebookDocument(nb);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    assert.ok(!vscode.workspace.notebookDocuments.some((d) => d.uri.toString() === nb.uri.toString() && d.isDirty), 'the untitled notebook is closed');
  });
});
