// Outputs that survive the service's limits: the stand-in caps text results as a real cluster does
// (50,000 characters on runtime 14.3, 10 MB on 17), and every byte, row and image of a run still
// arrives, checked against what the code itself produced; no command result Ferry read was over
// 45,000 characters (counted by the stand-in's request log).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import { ResultOutput, TableOutput } from '../../../src/results/model';
import { RunOutcome } from '../../../src/run/service/runService';
import { executionLog, makeProject, makeRunService, RunFixture, startCluster, startRunFixture } from './fixture';

const BUDGET = 45_000;

function texts(outcome: RunOutcome): string {
  return outcome.outputs
    .filter((o): o is Extract<ResultOutput, { kind: 'text' }> => o.kind === 'text')
    .map((o) => o.text)
    .join('\n');
}

function images(outcome: RunOutcome): Buffer[] {
  return outcome.outputs.filter((o): o is Extract<ResultOutput, { kind: 'image' }> => o.kind === 'image').map((o) => Buffer.from(o.base64, 'base64'));
}

const sha = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');

/** Python that draws `n` figures and prints, for each, the SHA-256 and size of the PNG it renders. */
function figuresCode(n: number): string {
  return [
    'import hashlib, io',
    'import matplotlib.pyplot as plt',
    'import numpy as np',
    `for k in range(${n}):`,
    '    rng = np.random.default_rng(k)',
    '    fig, ax = plt.subplots(figsize=(8, 6), dpi=110)',
    '    ax.scatter(rng.normal(size=4000), rng.normal(size=4000), s=3, c=rng.random(4000))',
    '    ax.set_title(f"figure {k}")',
    '    buf = io.BytesIO()',
    "    fig.savefig(buf, format='png', bbox_inches='tight')",
    '    print("png", k, hashlib.sha256(buf.getvalue()).hexdigest(), len(buf.getvalue()))',
    '    plt.show()',
  ].join('\n');
}

function checkFigures(outcome: RunOutcome, n: number): void {
  assert.equal(outcome.state, 'succeeded', JSON.stringify(outcome.outputs).slice(0, 2000));
  const printed = [...texts(outcome).matchAll(/^png (\d+) ([0-9a-f]{64}) (\d+)$/gm)].map((m) => ({ k: Number(m[1]), sha: m[2], size: Number(m[3]) }));
  assert.equal(printed.length, n, 'every figure printed its hash');
  const got = images(outcome);
  assert.equal(got.length, n, `${n} images arrived`);
  assert.ok(
    printed.some((p) => (p.size * 4) / 3 > 50_000),
    'at least one figure is larger than a 50,000-character result',
  );
  assert.deepEqual(
    got.map(sha),
    printed.map((p) => p.sha),
    'each image is byte for byte the PNG the code rendered',
  );
}

async function checkBudget(fx: RunFixture): Promise<void> {
  const log = await executionLog(fx);
  assert.ok(log.results.length > 0, 'the stand-in logged the results it handed out');
  assert.ok(log.maxResultChars <= BUDGET, `the largest command result Ferry read was ${log.maxResultChars} characters (budget ${BUDGET})`);
}

for (const runtime of ['14.3', '17.3'] as const) {
  describe(`outputs that survive the output cap of runtime ${runtime}`, function () {
    this.timeout(300_000);
    let fx: RunFixture;
    let clusterId: string;

    before(async () => {
      fx = await startRunFixture();
      clusterId =
        runtime === '14.3' ? fx.runningCluster : await startCluster(fx, { cluster_name: `ferry-dbr17-${Date.now()}`, spark_version: '17.3.x-scala2.13' });
    });
    after(async () => {
      await fx?.stop();
    });

    it('a figure larger than the cap arrives whole', async () => {
      const p = makeProject(fx.userName, { 'plot.py': '' });
      const { service } = makeRunService(fx);
      await fx.resetCounts();
      const outcome = await service.run({
        target: { clusterId, folder: p.folder, mapper: p.mapper },
        kind: 'file',
        code: figuresCode(1),
        localFile: path.join(p.dir, 'plot.py'),
      });
      checkFigures(outcome, 1);
      await checkBudget(fx);
    });

    it('20 figures arrive, each byte for byte', async () => {
      const p = makeProject(fx.userName, { 'plots.py': '' });
      const { service } = makeRunService(fx);
      await fx.resetCounts();
      const outcome = await service.run({
        target: { clusterId, folder: p.folder, mapper: p.mapper },
        kind: 'file',
        code: figuresCode(20),
        localFile: path.join(p.dir, 'plots.py'),
      });
      checkFigures(outcome, 20);
      await checkBudget(fx);
    });

    it('10 MB of printed text arrives, every byte in order', async () => {
      const p = makeProject(fx.userName, { 'loud.py': '' });
      const { service } = makeRunService(fx);
      await fx.resetCounts();
      // 100,000 lines of 105 characters (with the newline): 10.5 MB.
      const code = [
        'import sys',
        'for i in range(100000):',
        '    print(f"line {i:07d} " + "abcdefghij" * 9 + "z" * 2)',
        'sys.stderr.write("done on stderr\\n")',
      ].join('\n');
      const outcome = await service.run({
        target: { clusterId, folder: p.folder, mapper: p.mapper },
        kind: 'file',
        code,
        localFile: path.join(p.dir, 'loud.py'),
      });
      assert.equal(outcome.state, 'succeeded');
      const expected = Array.from({ length: 100_000 }, (_, i) => `line ${String(i).padStart(7, '0')} ${'abcdefghij'.repeat(9)}zz`).join('\n');
      const all = texts(outcome);
      assert.ok(all.length >= 10_000_000, `${all.length} characters arrived`);
      assert.ok(all.startsWith(expected), 'stdout arrived whole and in order');
      assert.match(all.slice(expected.length), /done on stderr/);
      await checkBudget(fx);
    });

    it('a 10,000 × 40 DataFrame arrives with every row and value', async () => {
      const p = makeProject(fx.userName, { 'table.py': '' });
      const { service } = makeRunService(fx);
      await fx.resetCounts();
      const code = [
        'import numpy as np, pandas as pd',
        'n = 10000',
        'df = pd.DataFrame({f"c{j:02d}": (np.arange(n) * (j + 1)) % 9973 + j / 4 for j in range(39)})',
        'df["label"] = [f"row-{i}" for i in range(n)]',
        'display(df)',
      ].join('\n');
      const outcome = await service.run({
        target: { clusterId, folder: p.folder, mapper: p.mapper },
        kind: 'file',
        code,
        localFile: path.join(p.dir, 'table.py'),
      });
      assert.equal(outcome.state, 'succeeded', JSON.stringify(outcome.outputs).slice(0, 2000));
      const table = outcome.outputs.find((o): o is TableOutput => o.kind === 'table');
      assert.ok(table, 'a table arrived');
      assert.equal(table.columns.length, 40);
      assert.ok(Array.isArray(table.rows));
      const rows = table.rows as Array<Array<string | number | boolean | null>>;
      assert.equal(rows.length, 10_000);
      assert.ok(!table.truncated, 'not truncated');
      for (const i of [0, 1, 4999, 9998, 9999]) {
        for (let j = 0; j < 39; j++) assert.equal(rows[i][j], ((i * (j + 1)) % 9973) + j / 4, `row ${i}, column ${j}`);
        assert.equal(rows[i][39], `row-${i}`);
      }
      let sum = 0;
      for (const r of rows) sum += Number(r[38]);
      let expected = 0;
      for (let i = 0; i < 10_000; i++) expected += ((i * 39) % 9973) + 38 / 4;
      assert.equal(sum, expected, 'every value of the last numeric column');
      await checkBudget(fx);
    });
  });
}
