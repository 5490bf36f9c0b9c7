// Live output and the run's shape as a user sees it: printed lines arrive while the command still
// runs (checked against the command's own status on the stand-in), progress lines redraw, code
// that ends itself keeps its prints, a cancel keeps what was printed, and a pandas index shows.
import assert from 'node:assert/strict';
import path from 'node:path';
import { ResultOutput, TableOutput } from '../../../src/results/model';
import { makeProject, makeRunService, RunFixture, startRunFixture } from './fixture';

function texts(outputs: ResultOutput[]): string {
  return outputs
    .filter((o): o is Extract<ResultOutput, { kind: 'text' }> => o.kind === 'text')
    .map((o) => o.text)
    .join('\n');
}

describe('run on cluster: live output', function () {
  this.timeout(120_000);
  let fx: RunFixture;

  before(async () => {
    fx = await startRunFixture();
  });
  after(async () => {
    await fx?.stop();
  });

  it('shows the first printed line while the command is still running', async () => {
    const p = makeProject(fx.userName, { 'slow.py': '' });
    const { service, api } = makeRunService(fx);
    const target = { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper };
    let commandId = '';
    let contextId = '';
    const seen: Array<{ chunk: string; commandState: string }> = [];
    const checks: Array<Promise<void>> = [];
    const outcome = await service.run({
      target,
      kind: 'file',
      code: 'import time\nprint("first line")\ntime.sleep(5)\nprint("second line")',
      localFile: path.join(p.dir, 'slow.py'),
      onStarted: (id) => {
        commandId = id;
      },
      onText: (chunk) => {
        checks.push(
          (async () => {
            contextId ||= (await service.sessions.current({ clusterId: fx.runningCluster, folder: p.folder })) ?? '';
            const s = await api.status(fx.runningCluster, contextId, commandId);
            seen.push({ chunk, commandState: s.status });
          })(),
        );
      },
    });
    await Promise.all(checks);
    assert.equal(outcome.state, 'succeeded');
    const first = seen.find((s) => s.chunk.includes('first line'));
    assert.ok(first, `live chunks: ${JSON.stringify(seen)}`);
    assert.equal(first.commandState, 'Running', 'the first line arrived while the command was running');
    assert.ok(!first.chunk.includes('second line'));
    assert.equal(texts(outcome.outputs), 'first line\nsecond line');
  });

  it('redraws a carriage-return progress line in place (tqdm style)', async () => {
    const p = makeProject(fx.userName, { 'bar.py': '' });
    const { service } = makeRunService(fx);
    const code = [
      'import sys, time',
      'for i in range(0, 101, 20):',
      '    sys.stderr.write(f"\\rtraining {i:3d}%")',
      '    time.sleep(0.2)',
      'sys.stderr.write("\\n")',
      'print("done")',
    ].join('\n');
    const outcome = await service.run({
      target: { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper },
      kind: 'file',
      code,
      localFile: path.join(p.dir, 'bar.py'),
    });
    assert.equal(texts(outcome.outputs), 'training 100%\ndone');
  });

  it('keeps every print of a script that ends with sys.exit(main())', async () => {
    const p = makeProject(fx.userName, { 'cli.py': '' });
    const { service } = makeRunService(fx);
    const target = { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper };
    const code = [
      'import sys',
      'def main():',
      '    print("parsing arguments")',
      '    print("trained 3 models")',
      '    return 0',
      'if __name__ == "__main__":',
      '    sys.exit(main())',
    ].join('\n');
    const ok = await service.run({ target, kind: 'file', code, localFile: path.join(p.dir, 'cli.py') });
    assert.equal(ok.state, 'succeeded', JSON.stringify(ok.outputs));
    assert.equal(texts(ok.outputs), 'parsing arguments\ntrained 3 models');
    const failing = await service.run({ target, kind: 'file', code: 'import sys\nprint("bad input")\nsys.exit(2)', localFile: path.join(p.dir, 'cli.py') });
    assert.equal(failing.state, 'failed');
    assert.match(texts(failing.outputs), /bad input/);
    assert.ok(failing.outputs.some((o) => o.kind === 'error' && o.summary === 'SystemExit: 2'));
    const after = await service.run({ target, kind: 'selection', code: 'print("session alive")', localFile: path.join(p.dir, 'cli.py') });
    assert.equal(after.newSession, false, 'sys.exit did not end the session');
  });

  it('a cancelled run keeps what it printed before the cancel', async () => {
    const p = makeProject(fx.userName, { 'c.py': '' });
    const { service } = makeRunService(fx);
    const ac = new AbortController();
    const outcome = await service.run({
      target: { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper },
      kind: 'file',
      code: 'import time\nprint("step 1 done", flush=True)\ntime.sleep(30)',
      localFile: path.join(p.dir, 'c.py'),
      signal: ac.signal,
      onText: (chunk) => {
        if (chunk.includes('step 1')) ac.abort();
      },
    });
    assert.equal(outcome.state, 'cancelled');
    assert.match(texts(outcome.outputs), /step 1 done/);
  });

  it('shows a groupby/unstack result with its index labels, and text columns as text', async () => {
    const p = makeProject(fx.userName, { 'g.py': '' });
    const { service } = makeRunService(fx);
    const code = [
      'import pandas as pd',
      'predictions = pd.DataFrame({"region": ["north", "north", "south", "south", "east"], "plan": ["basic", "pro", "basic", "pro", "basic"], "churn_probability": [0.2, 0.4, 0.1, 0.3, 0.5]})',
      'predictions.groupby(["region", "plan"])["churn_probability"].mean().unstack()',
    ].join('\n');
    const outcome = await service.run({
      target: { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper },
      kind: 'selection',
      code,
      localFile: path.join(p.dir, 'g.py'),
    });
    const table = outcome.outputs.find((o): o is TableOutput => o.kind === 'table');
    assert.ok(table, JSON.stringify(outcome.outputs));
    assert.deepEqual(
      table.columns.map((c) => c.name),
      ['region', 'basic', 'pro'],
    );
    assert.equal(table.columns[0].type, 'string');
    assert.deepEqual(table.rows, [
      ['east', 0.5, null],
      ['north', 0.2, 0.4],
      ['south', 0.1, 0.3],
    ]);
  });
});
