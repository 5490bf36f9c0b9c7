import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ResultOutput } from '../../../src/results/model';
import { cellLanguage, parseCells, stripMagic } from '../../../src/run/service/cells';
import { sqlToPython } from '../../../src/run/service/sqlCell';
import { ClusterGate, ClusterNotRunningError } from '../../../src/run/service/clusterGate';
import { localFileUri } from '../../../src/run/service/paths';
import { listPushableFiles } from '../../../src/run/service/push';
import { RunOutcome } from '../../../src/run/service/runService';
import { makeProject, makeRunService, RunFixture, startRunFixture } from './fixture';

function texts(outcome: RunOutcome): string {
  return outcome.outputs
    .filter((o): o is Extract<ResultOutput, { kind: 'text' }> => o.kind === 'text')
    .map((o) => o.text)
    .join('\n');
}

describe('run on cluster (against the Databricks stand-in)', function () {
  this.timeout(60_000);
  let fx: RunFixture;

  before(async () => {
    fx = await startRunFixture();
  });
  after(async () => {
    await fx?.stop();
  });

  it('runs a file: pushes the folder, sets __file__, cwd and sys.path so sibling imports and reads work', async () => {
    const p = makeProject(fx.userName, {
      'util.py': 'def double(x):\n    return 2 * x\n',
      'data/values.csv': 'v\n1\n2\n3\n',
      '.gitignore': 'secret.txt\n',
      'secret.txt': 'do not push',
      'train.py': [
        'import os, util',
        'total = sum(int(l) for l in open("data/values.csv").read().split()[1:])',
        'print("doubled", util.double(total))',
        'print("file", os.path.basename(__file__))',
        'print("cwd matches", os.path.samefile(os.getcwd(), os.path.dirname(__file__)))',
      ].join('\n'),
    });
    const { service } = makeRunService(fx);
    const file = path.join(p.dir, 'train.py');
    const outcome = await service.run({
      target: { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper },
      kind: 'file',
      code: fs.readFileSync(file, 'utf8'),
      localFile: file,
      push: await listPushableFiles(p.dir),
    });
    assert.equal(outcome.state, 'succeeded', JSON.stringify(outcome.outputs));
    const out = texts(outcome);
    assert.match(out, /doubled 12/);
    assert.match(out, /file train\.py/);
    assert.match(out, /cwd matches True/);
    assert.equal(outcome.pushed, 4, 'util.py, values.csv, .gitignore and train.py; not secret.txt');
    assert.equal(outcome.remoteFile, `${p.mapper.remoteRoot}/train.py`);
    // A second run sends nothing again: the content-hash cache knows the files are there.
    const again = await service.run({
      target: { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper },
      kind: 'file',
      code: fs.readFileSync(file, 'utf8'),
      localFile: file,
      push: await listPushableFiles(p.dir),
    });
    assert.equal(again.pushed, 0);
    assert.equal(again.newSession, false);
  });

  it('keeps state between runs in the session, and Restart Session clears it', async () => {
    const p = makeProject(fx.userName, { 'a.py': '' });
    const { service, sessions } = makeRunService(fx);
    const target = { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper };
    const localFile = path.join(p.dir, 'a.py');
    const first = await service.run({ target, kind: 'selection', code: 'counter = 41', localFile });
    assert.equal(first.newSession, true);
    const second = await service.run({ target, kind: 'selection', code: 'counter + 1', localFile });
    assert.equal(second.newSession, false);
    assert.equal(texts(second), '42');
    assert.ok(await sessions.restart({ clusterId: fx.runningCluster, folder: p.folder }));
    const third = await service.run({ target, kind: 'selection', code: 'counter', localFile });
    assert.equal(third.newSession, true);
    assert.equal(third.state, 'failed');
    assert.match(JSON.stringify(third.outputs), /NameError/);
  });

  it('runs one cell and a selection, and maps an error in a cell to its local file and line', async () => {
    const source = ['import math', '', '# %% setup', 'base = 10', '', '# %% compute', 'y = base * 2', 'print("y is", y)', 'z = y / 0', ''].join('\n');
    const p = makeProject(fx.userName, { 'cells.py': source });
    const file = path.join(p.dir, 'cells.py');
    const { service } = makeRunService(fx);
    const target = { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper };
    const cells = parseCells(source);
    assert.equal(cells.length, 3);
    const setup = await service.run({ target, kind: 'cell', code: cells[1].code, localFile: file, lineOffset: cells[1].startLine });
    assert.equal(setup.state, 'succeeded');
    const compute = await service.run({ target, kind: 'cell', code: cells[2].code, localFile: file, lineOffset: cells[2].startLine });
    assert.equal(compute.state, 'failed');
    assert.match(texts(compute), /y is 20/, 'output before the error is kept');
    const err = compute.outputs.find((o) => o.kind === 'error');
    assert.ok(err && err.kind === 'error');
    assert.match(err.summary, /ZeroDivisionError/);
    const frame = err.frames.find((f) => f.localUri);
    assert.ok(frame, JSON.stringify(err.frames));
    assert.equal(frame.localUri, localFileUri(file));
    assert.equal(frame.line, 9, 'line 9 of the file (1-based), where "z = y / 0" is');
    const sel = await service.run({ target, kind: 'selection', code: 'print(base + y)', localFile: file, lineOffset: 7 });
    assert.equal(texts(sel), '30');
  });

  it('runs a %sql cell of a Databricks source file through spark.sql in the same session and shows its rows', async () => {
    const source = [
      '# Databricks notebook source',
      'import pandas as pd',
      'spark.createDataFrame(pd.DataFrame({"region": ["north", "south", "north"], "amount": [10.5, 7.25, 20]})).createOrReplaceTempView("sales")',
      '',
      '# COMMAND ----------',
      '',
      '# MAGIC %sql',
      '# MAGIC -- totals; per region',
      "# MAGIC SELECT region, sum(amount) AS total, 'it''s' AS note",
      '# MAGIC FROM sales GROUP BY region ORDER BY region',
      '',
    ].join('\n');
    const p = makeProject(fx.userName, { 'nb.py': source });
    const file = path.join(p.dir, 'nb.py');
    const { service } = makeRunService(fx);
    const target = { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper };
    const cells = parseCells(source);
    assert.equal(cells.length, 2);
    const setup = await service.run({ target, kind: 'cell', code: cells[0].code, localFile: file, lineOffset: cells[0].startLine });
    assert.equal(setup.state, 'succeeded', JSON.stringify(setup.outputs).slice(0, 400));
    assert.equal(cellLanguage(cells[1].code), 'sql');
    const sql = await service.run({ target, kind: 'cell', code: sqlToPython(stripMagic(cells[1].code)), localFile: file, lineOffset: cells[1].startLine });
    assert.equal(sql.state, 'succeeded', JSON.stringify(sql.outputs).slice(0, 400));
    const table = sql.outputs.find((o) => o.kind === 'table');
    assert.ok(table && table.kind === 'table', JSON.stringify(sql.outputs).slice(0, 400));
    assert.deepEqual(
      table.columns.map((c) => c.name),
      ['region', 'total', 'note'],
    );
    assert.deepEqual(table.rows, [
      ['north', 30.5, "it's"],
      ['south', 7.25, "it's"],
    ]);
  });

  it('returns every output of a run: text, a table from display() and an image from matplotlib', async () => {
    const p = makeProject(fx.userName, { 'plot.py': '' });
    const { service } = makeRunService(fx);
    const code = [
      'import pandas as pd',
      'import matplotlib.pyplot as plt',
      'print("start")',
      'df = pd.DataFrame({"name": ["a", "b", "c"], "score": [1.5, 2.5, None], "n": [1, 2, 3]})',
      'display(df)',
      'plt.plot([1, 2, 3], [3, 1, 2])',
      'plt.show()',
      'print("end")',
    ].join('\n');
    const outcome = await service.run({
      target: { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper },
      kind: 'cell',
      code,
      localFile: path.join(p.dir, 'plot.py'),
    });
    assert.equal(outcome.state, 'succeeded', JSON.stringify(outcome.outputs).slice(0, 500));
    assert.deepEqual(
      outcome.outputs.map((o) => o.kind),
      ['text', 'table', 'image', 'text'],
    );
    const table = outcome.outputs[1];
    assert.ok(table.kind === 'table');
    assert.deepEqual(
      table.columns.map((c) => [c.name, c.type]),
      [
        ['name', 'string'],
        ['score', 'number'],
        ['n', 'integer'],
      ],
    );
    assert.deepEqual(table.rows, [
      ['a', 1.5, 1],
      ['b', 2.5, 2],
      ['c', null, 3],
    ]);
    const image = outcome.outputs[2];
    assert.ok(image.kind === 'image');
    assert.equal(Buffer.from(image.base64, 'base64').subarray(1, 4).toString('ascii'), 'PNG');
  });

  it('cancels a long loop (Finished + CommandCancelledException counts as cancelled) and the session survives', async () => {
    const p = makeProject(fx.userName, { 'loop.py': '' });
    const { service } = makeRunService(fx);
    const target = { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper };
    const localFile = path.join(p.dir, 'loop.py');
    await service.run({ target, kind: 'selection', code: 'kept = "still here"', localFile });
    const ac = new AbortController();
    let started = false;
    const run = service.run({
      target,
      kind: 'file',
      code: 'import time\nwhile True:\n    time.sleep(0.05)',
      localFile,
      signal: ac.signal,
      onStarted: () => (started = true),
    });
    setTimeout(() => ac.abort(), 700);
    const outcome = await run;
    assert.ok(started);
    assert.equal(outcome.state, 'cancelled');
    const after = await service.run({ target, kind: 'selection', code: 'kept', localFile });
    assert.match(texts(after), /still here/);
  });

  it('asks before starting a terminated cluster, and starts it on its own when the setting says so', async () => {
    const p = makeProject(fx.userName, { 'x.py': '' });
    const target = { clusterId: fx.terminatedCluster, folder: p.folder, mapper: p.mapper };
    const localFile = path.join(p.dir, 'x.py');
    let asked = 0;
    const declined = makeRunService(fx, { confirmStart: async () => (asked++, false) }).service;
    await assert.rejects(
      declined.run({ target, kind: 'selection', code: 'print(1)', localFile }),
      (e: unknown) => e instanceof ClusterNotRunningError && e.actions[0].title === 'Start Cluster',
    );
    assert.equal(asked, 1);
    const states: string[] = [];
    const auto = makeRunService(fx, { autoStart: true, confirmStart: async () => (asked++, false) }).service;
    const outcome = await auto.run({ target, kind: 'selection', code: 'print("on a started cluster")', localFile, onProgress: (m) => states.push(m) });
    assert.equal(asked, 1, 'not asked when auto-start is on');
    assert.equal(texts(outcome), 'on a started cluster');
    assert.ok(states.some((s) => /terminated/i.test(s)) && states.includes('Cluster running'), states.join(' | '));
    assert.equal((await new ClusterGate(fx.client).get(fx.terminatedCluster)).state, 'RUNNING');
  });

  it('recreates a session the cluster lost (restart) and says that earlier state is gone', async () => {
    const p = makeProject(fx.userName, { 'r.py': '' });
    const { service } = makeRunService(fx);
    const target = { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper };
    const localFile = path.join(p.dir, 'r.py');
    await service.run({ target, kind: 'selection', code: 'v = 1', localFile });
    await fx.client.request('POST', '/api/2.0/clusters/restart', { body: { cluster_id: fx.runningCluster } });
    const gate = new ClusterGate(fx.client);
    await gate.ensureRunning(fx.runningCluster, { autoStart: false });
    const outcome = await service.run({ target, kind: 'selection', code: 'print("alive")', localFile });
    assert.equal(outcome.sessionLost, true);
    assert.equal(texts(outcome), 'alive');
  });

  it('polls adaptively: a second-long command costs a handful of status checks, and a throttled check is retried', async () => {
    const p = makeProject(fx.userName, { 'p.py': '' });
    // The command's own status checks only: live output reads (a second context) are counted in their own test.
    const { service } = makeRunService(fx, { liveOutput: false });
    const target = { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper };
    const localFile = path.join(p.dir, 'p.py');
    await service.run({ target, kind: 'selection', code: 'import time', localFile });
    await fx.resetCounts();
    await fx.setFaults({ failNext: { count: 1, status: 429, match: 'commands/status' }, retryAfterSeconds: 0 });
    const outcome = await service.run({ target, kind: 'selection', code: 'time.sleep(1.2)\nprint("slept")', localFile });
    assert.equal(texts(outcome), 'slept');
    const polls = (await fx.counts())['GET /api/1.2/commands/status'];
    // 10, 100, 200, 400, 800 ms … : about 6 checks for 1.2 s (a fixed 100 ms poll would make 12).
    assert.ok(polls >= 3 && polls <= 9, `${polls} status checks`);
  });

  it('fails plainly with a wrong token and with an unknown cluster', async () => {
    const p = makeProject(fx.userName, { 'h.py': '' });
    const { DatabricksClient } = await import('../../../src/databricks/client');
    const { RunService } = await import('../../../src/run/service/runService');
    const { SessionManager } = await import('../../../src/run/service/sessions');
    const { ExecutionApi } = await import('../../../src/run/service/execution');
    const bad = new DatabricksClient({ host: fx.url, token: 'dapi-not-the-token' });
    const service = new RunService(new SessionManager(new ExecutionApi(bad)), new ClusterGate(bad), undefined, {
      settings: () => ({ autoStartCluster: false, pollIntervalCapMs: 1000 }),
    });
    const localFile = path.join(p.dir, 'h.py');
    await assert.rejects(
      service.run({ target: { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper }, kind: 'selection', code: '1', localFile }),
      (e: unknown) => (e as { kind?: string }).kind === 'auth',
    );
    const good = makeRunService(fx).service;
    await assert.rejects(
      good.run({ target: { clusterId: 'no-such-cluster', folder: p.folder, mapper: p.mapper }, kind: 'selection', code: '1', localFile }),
      /does not exist/,
    );
  });
});
