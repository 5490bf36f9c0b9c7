// The live session: its variables as the Session view lists them (after each run, and read through
// the reader session while a run holds the session), without evaluating a DataFrame's rows; and the
// magics people use every day, %pip and %sh, with their output live.
import assert from 'node:assert/strict';
import path from 'node:path';
import { ResultOutput } from '../../../src/results/model';
import { listPushableFiles } from '../../../src/run/service/push';
import { RunRequest } from '../../../src/run/service/runService';
import { uniqueSuffix } from '../standIns';
import { makeProject, makeRunService, RunFixture, startRunFixture } from './fixture';

function texts(outputs: ResultOutput[]): string {
  return outputs
    .filter((o): o is Extract<ResultOutput, { kind: 'text' }> => o.kind === 'text')
    .map((o) => o.text)
    .join('\n');
}

/**
 * A one-module Python package the cluster's Python can install offline (no index), as project
 * files: pushed with the project and installed by a relative path from the pushed folder, so the
 * test runs the same when it runs under Windows Node against the Linux stand-in.
 */
function localPackage(name: string, version: string, value: number): Record<string, string> {
  const dir = `pkg-${version}`;
  return {
    [`${dir}/pyproject.toml`]: `[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "${name}"\nversion = "${version}"\n\n[tool.setuptools]\npy-modules = ["${name}"]\n`,
    [`${dir}/${name}.py`]: `VALUE = ${value}\n`,
  };
}

describe('run on cluster: the live session and its magics', function () {
  this.timeout(180_000);
  let fx: RunFixture;

  before(async () => {
    fx = await startRunFixture();
  });
  after(async () => {
    await fx?.stop();
  });

  /** Runs code; `liveWhile` records, for each live chunk, whether the command was still running. */
  async function run(service: ReturnType<typeof makeRunService>['service'], p: ReturnType<typeof makeProject>, code: string, extra: Partial<RunRequest> = {}) {
    const live: Array<{ chunk: string; running: boolean }> = [];
    let done = false;
    const outcome = await service.run({
      target: { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper },
      kind: 'cell',
      code,
      localFile: path.join(p.dir, 'cell.py'),
      onText: (chunk) => live.push({ chunk, running: !done }),
      ...extra,
    });
    done = true;
    return { outcome, live };
  }

  it('lists x = 41, a pandas DataFrame and a Spark-like DataFrame, without reading the Spark rows', async () => {
    const p = makeProject(fx.userName, { 'cell.py': '' });
    const { service } = makeRunService(fx);
    await run(service, p, 'x = 41');
    const { outcome } = await run(
      service,
      p,
      ['import pandas as pd', 'pdf = pd.DataFrame({"id": [1, 2, 3], "plan": ["basic", "pro", "pro"]})', 'sdf = spark.createDataFrame(pdf)'].join('\n'),
    );
    assert.equal(outcome.state, 'succeeded', JSON.stringify(outcome.outputs));
    const by = Object.fromEntries((outcome.variables ?? []).map((v) => [v.name, v]));
    assert.deepEqual(Object.keys(by).sort(), ['pdf', 'sdf', 'x'], 'modules, functions and what the session had at the start are not listed');
    assert.equal(by.x.preview, '41');
    assert.equal(by.x.type, 'int');
    assert.equal(by.pdf.kind, 'dataframe');
    assert.deepEqual(by.pdf.shape, [3, 2]);
    assert.deepEqual(by.pdf.columns, [
      ['id', 'int64'],
      ['plan', 'object'],
    ]);
    assert.ok((by.pdf.size ?? 0) > 0);
    assert.equal(by.sdf.kind, 'spark');
    assert.deepEqual(by.sdf.columns, [
      ['id', 'bigint'],
      ['plan', 'string'],
    ]);
    assert.equal(by.sdf.shape, undefined, 'a Spark DataFrame is not counted');
    const evaluated = await run(service, p, 'print(type(sdf).evaluations)');
    assert.equal(texts(evaluated.outcome.outputs), '0', 'listing read no rows of the Spark DataFrame');
  });

  it('reads the listing through the reader session while a run holds the session', async () => {
    const p = makeProject(fx.userName, { 'cell.py': '' });
    const { service } = makeRunService(fx);
    await run(service, p, 'ready = "yes"\nlimit = 10');
    const key = { clusterId: fx.runningCluster, folder: p.folder };
    const long = run(service, p, 'import time\nprint("working", flush=True)\ntime.sleep(4)\nlater = 1');
    await new Promise((r) => setTimeout(r, 1500));
    service.variables.clear(key);
    const listing = await service.variables.refresh(key, await service.budget(fx.runningCluster));
    assert.deepEqual(
      listing?.variables.map((v) => v.name),
      ['limit', 'ready'],
      'the listing of the last finished run, read while the next one runs',
    );
    const after = await long;
    assert.ok(after.outcome.variables?.some((v) => v.name === 'later'));
  });

  it('%pip install of a local package: pip output live, the package importable, a restart asked for when it replaces an imported one', async () => {
    const name = `ferry_demo_${uniqueSuffix()}`;
    const p = makeProject(fx.userName, { 'cell.py': '', ...localPackage(name, '1.0', 1), ...localPackage(name, '2.0', 2) });
    const { service } = makeRunService(fx);
    const first = await run(service, p, `%pip install --no-index --no-build-isolation ./pkg-1.0\nimport ${name}\nprint("value", ${name}.VALUE)`, {
      push: await listPushableFiles(p.dir),
    });
    assert.equal(first.outcome.state, 'succeeded', texts(first.outcome.outputs));
    assert.match(texts(first.outcome.outputs), new RegExp(`Successfully installed ${name.replace(/_/g, '[-_]')}-1\\.0`));
    assert.match(texts(first.outcome.outputs), /value 1$/);
    assert.ok(
      first.live.some((l) => l.running && /Processing|Installing|Successfully/.test(l.chunk)),
      `pip's output arrived while it ran: ${JSON.stringify(first.live.map((l) => l.chunk.slice(0, 60)))}`,
    );
    assert.equal(first.outcome.restartModules, undefined);
    const second = await run(service, p, '%pip install --no-index --no-build-isolation ./pkg-2.0');
    assert.equal(second.outcome.state, 'succeeded', texts(second.outcome.outputs));
    assert.deepEqual(second.outcome.restartModules, [name], 'the session had imported the old version');
    assert.match(texts(second.outcome.outputs), /restart the session to use the new version/);
  });

  it('a %pip that fails says why, as an error', async () => {
    const p = makeProject(fx.userName, { 'cell.py': '' });
    const { service } = makeRunService(fx);
    const r = await run(service, p, '%pip install --no-index no-such-package-for-ferry');
    assert.equal(r.outcome.state, 'failed');
    assert.ok(
      r.outcome.outputs.some((o) => o.kind === 'error' && /PipError: pip install exited with status/.test(o.summary)),
      JSON.stringify(r.outcome.outputs),
    );
    assert.match(texts(r.outcome.outputs), /No matching distribution|Could not find a version/i);
  });

  it('a %sh cell runs on the driver with its output live, and a failing script is an error', async () => {
    const p = makeProject(fx.userName, { 'cell.py': '' });
    const { service } = makeRunService(fx);
    const ok = await run(service, p, '%sh\necho "first from the shell"\nsleep 2\necho "second from the shell"');
    assert.equal(ok.outcome.state, 'succeeded', JSON.stringify(ok.outcome.outputs));
    assert.equal(texts(ok.outcome.outputs), 'first from the shell\nsecond from the shell');
    const first = ok.live.find((l) => l.chunk.includes('first from the shell'));
    assert.ok(first?.running && !first.chunk.includes('second'), 'the first line arrived while the script ran');
    const bad = await run(service, p, '%sh\necho "about to fail"\nexit 7');
    assert.equal(bad.outcome.state, 'failed');
    assert.match(texts(bad.outcome.outputs), /about to fail/);
    assert.ok(bad.outcome.outputs.some((o) => o.kind === 'error' && /exited with status 7/.test(o.summary)));
  });
});
