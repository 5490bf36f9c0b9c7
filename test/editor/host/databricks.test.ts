// The Databricks commands inside the real extension host, against the sandbox's stand-in
// (profile `sandbox` from DATABRICKS_CONFIG_FILE): sign in with a token (secret storage), default
// cluster, create a job from hello.py, run it with parameters, follow its output.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sandboxProfile } from './sandboxProfile';

describe('databricks (extension host)', function () {
  this.timeout(90_000);
  before(async () => {
    await vscode.extensions.getExtension('ferry-dev.ferry')?.activate();
  });
  after(async () => {
    await vscode.commands.executeCommand('ferry.databricks.selectProfile', 'sandbox');
  });

  // (A refused token is covered by test/integration/databricks: through the command, the error
  // notification waits for the user, so the command would not return here.)
  it('signs in with host and token (kept in secret storage), signs out, and goes back to the profile', async () => {
    const { host, token } = sandboxProfile();
    const user = await vscode.commands.executeCommand<string>('ferry.databricks.signIn', host, token);
    assert.match(String(user), /@/);
    const cfg = vscode.workspace.getConfiguration('ferry');
    assert.ok(!JSON.stringify(cfg).includes(token), 'the token is not in the settings');
    await vscode.commands.executeCommand('ferry.databricks.signOut', host);
    await vscode.commands.executeCommand('ferry.databricks.selectProfile', 'sandbox');
  });

  it('creates a job from hello.py on the default cluster, runs it with parameters and follows its output', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const { host, token } = sandboxProfile();
    const res = await fetch(`${host}/api/2.1/clusters/list`, { headers: { authorization: `Bearer ${token}` } });
    const clusters = ((await res.json()) as { clusters: Array<{ cluster_id: string; state: string }> }).clusters;
    const running = clusters.find((c) => c.state === 'RUNNING');
    assert.ok(running);
    assert.equal(await vscode.commands.executeCommand('ferry.databricks.setDefaultCluster', running.cluster_id), running.cluster_id);
    const hello = vscode.Uri.joinPath(folder.uri, 'hello.py');
    const jobId = await vscode.commands.executeCommand<number>('ferry.databricks.createJobFromFile', hello, {
      name: `host-${Date.now().toString(36)}`,
      clusterId: running.cluster_id,
      cron: '0 0 6 * * ?',
      timezone: 'UTC',
    });
    assert.equal(typeof jobId, 'number');
    const runId = await vscode.commands.executeCommand<number>('ferry.databricks.runJobNowWithParameters', jobId, ['--rows', '10']);
    assert.equal(typeof runId, 'number');
    assert.equal(await vscode.commands.executeCommand('ferry.databricks.showRunOutput', runId), runId, 'the output command follows the run to its end');
    const run = (await (await fetch(`${host}/api/2.1/jobs/runs/get?run_id=${runId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      state: { result_state?: string };
    };
    assert.equal(run.state.result_state, 'SUCCESS');
    await vscode.commands.executeCommand('ferry.databricks.pauseJobSchedule', jobId);
    const job = (await (await fetch(`${host}/api/2.1/jobs/get?job_id=${jobId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      settings: { schedule: { pause_status: string } };
    };
    assert.equal(job.settings.schedule.pause_status, 'PAUSED');
  });
});
