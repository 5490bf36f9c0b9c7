// MLflow without servers: the filter check (what it lets through and the words it uses when it
// does not), the wire readers (omitted fields, int64 as strings, non-finite values as strings),
// the run URLs MLflow prints, and the outputs a chart and a comparison are made of.
import assert from 'node:assert/strict';
import { checkRunFilter } from '../../../src/databricks/mlflow/filter';
import { comparisonTable, metricChartOutput, runLabels } from '../../../src/databricks/mlflow/outputs';
import { loggedRunRefs } from '../../../src/databricks/mlflow/runLink';
import { artifactKind } from '../../../src/databricks/mlflow/artifactKinds';
import { formatMetric, metricValue, MlflowRun, toArtifact, toRun } from '../../../src/databricks/mlflow/types';

function run(id: string, name: string, extra: Partial<MlflowRun> = {}): MlflowRun {
  return { id, name, experimentId: '1', status: 'FINISHED', lifecycleStage: 'active', params: {}, tags: {}, metrics: [], ...extra };
}

describe('MLflow filter check', () => {
  it('lets MLflow filters through', () => {
    for (const f of [
      '',
      "metrics.auc > 0.8 and params.model = 'rf'",
      'metrics.rmse<=1e-3',
      'tags."team name" = \'ml\'',
      "attributes.status = 'FINISHED' AND attributes.start_time > 1700000000000",
      "params.model IN ('rf', 'gbm')",
      "params.model NOT IN ('rf')",
      "run.run_name LIKE 'churn-%'",
      'metrics.`f1 score` >= 0.5',
    ]) {
      assert.equal(checkRunFilter(f).ok, true, f);
    }
    assert.deepEqual(checkRunFilter("metrics.auc > 0.8 and params.x = 'y'"), { ok: true, clauses: 2 });
  });

  it('says what to write instead', () => {
    const cases: Array<[string, RegExp]> = [
      ['auc > 0.8', /write metrics\.auc, params\.auc or tags\.auc/],
      ["metrics.auc > '0.8'", /compare it with a number.*drop the quotes: 0\.8/],
      ['params.model = rf', /single quotes: params\.model = 'rf'/],
      ['params.depth > 3', /params\.depth is text.*log it as a metric/],
      ["metrics.auc > 0.8 or params.x = 'y'", /no OR/],
      ['metrics.auc == 0.8', /Use = rather than ==/],
      ['metrics.auc > 0.8 &&', /AND rather than &&/],
      ['(metrics.auc > 0.8)', /no brackets/],
      ["attributes.state = 'x'", /no attribute "state"/],
      ["attributes.status = 'DONE'", /status is one of RUNNING/],
      ['metrics.auc >', /needs a value/],
      ["params.model = 'rf", /never closed/],
      ['metrics.auc > 0.8 and', /ends after AND/],
      ['params.model IN (rf)', /single quotes/],
      ['params.model = "rf"', /Use single quotes for values/],
    ];
    for (const [f, re] of cases) {
      const c = checkRunFilter(f);
      assert.equal(c.ok, false, f);
      assert.match((c as { message: string }).message, re, f);
    }
  });
});

describe('MLflow wire readers', () => {
  it('reads runs with fields left out, int64 as strings and non-finite metric values as strings', () => {
    const r = toRun({
      info: { run_id: 'a'.repeat(32), experiment_id: '7', status: 'RUNNING', start_time: '1700000000000' },
      data: {
        metrics: [
          { key: 'loss', value: 'NaN', timestamp: '5', step: '2' },
          { key: 'inf', value: '-Infinity' },
        ],
      },
    });
    assert.equal(r.name, 'a'.repeat(32), 'no run_name: the id');
    assert.equal(r.startTime, 1700000000000);
    assert.deepEqual(r.params, {});
    assert.ok(Number.isNaN(r.metrics[0].value));
    assert.equal(r.metrics[0].step, 2);
    assert.equal(r.metrics[1].value, -Infinity);
    assert.equal(metricValue('inf'), Infinity);
    assert.equal(metricValue(0.25), 0.25);
    assert.deepEqual(toArtifact({ path: 'model', is_dir: true }), { path: 'model', isDir: true, size: undefined });
    assert.deepEqual(toArtifact({ path: 'a.csv', is_dir: false, file_size: '12' }), { path: 'a.csv', isDir: false, size: 12 });
    assert.deepEqual([NaN, Infinity, 0.123456, 12345678, 3].map(formatMetric), ['NaN', '∞', '0.1235', '12345678', '3']);
  });

  it('finds the runs MLflow names when a run ends, once each, also behind ANSI colours', () => {
    const id1 = '0123456789abcdef0123456789abcdef';
    const id2 = 'fedcba9876543210fedcba9876543210';
    const text = [
      `🏃 View run churn at: https://adb-1.2.azuredatabricks.net/ml/experiments/1234/runs/${id1}`,
      `🧪 View experiment at: https://adb-1.2.azuredatabricks.net/ml/experiments/1234`,
      `\u001b[32m🏃 View run x at: http://localhost:5000/#/experiments/0/runs/${id2}\u001b[0m`,
      `again https://h/ml/experiments/1234/runs/${id1}?o=99`,
    ];
    assert.deepEqual(loggedRunRefs(text), [
      { experimentId: '1234', runId: id1 },
      { experimentId: '0', runId: id2 },
    ]);
    assert.deepEqual(loggedRunRefs(['no run here', 'experiments/1/runs/short']), []);
  });

  it('knows how an artifact opens from its name', () => {
    assert.deepEqual(['a/history.csv', 'm.parquet', 'plots/roc.png', 'model/MLmodel', 'notes.md', 'model/model.pkl'].map(artifactKind), [
      'table',
      'table',
      'image',
      'text',
      'text',
      'other',
    ]);
  });
});

describe('MLflow outputs', () => {
  it('a metric chart of two runs: one line per run, x the step, NaN left out of the chart and counted', () => {
    const a = run('1'.repeat(32), 'rf');
    const b = run('2'.repeat(32), 'rf');
    const out = metricChartOutput([
      {
        run: a,
        key: 'auc',
        history: [
          { key: 'auc', value: 0.7, step: 1, timestamp: 1 },
          { key: 'auc', value: 0.8, step: 2, timestamp: 2 },
        ],
      },
      { run: b, key: 'auc', history: [{ key: 'auc', value: NaN, step: 1, timestamp: 1 }] },
    ]);
    assert.deepEqual(
      out.columns.map((c) => c.name),
      ['run', 'step', 'auc', 'logged at'],
    );
    assert.deepEqual(out.chart, { mark: 'line', x: 'step', y: 'auc', color: 'run' });
    const rows = out.rows as unknown[][];
    assert.deepEqual(
      rows.map((r) => r[0]),
      ['rf (1111111)', 'rf (1111111)', 'rf (2222222)'],
      'two runs of one name told apart',
    );
    assert.equal(rows[2][2], null);
    assert.match(out.truncationNote ?? '', /1 value is NaN or infinite/);
    assert.equal(runLabels([run('3'.repeat(32), 'solo')]).get('3'.repeat(32)), 'solo');
  });

  it('a comparison table: a row per run, every param and final metric as a column, numeric params as numbers', () => {
    const t = comparisonTable([
      run('1'.repeat(32), 'a', {
        params: { depth: '4', model: 'rf' },
        metrics: [{ key: 'auc', value: 0.8, step: 5, timestamp: 1 }],
        startTime: 0,
        endTime: 90_000,
      }),
      run('2'.repeat(32), 'b', { params: { depth: '6' }, metrics: [{ key: 'loss', value: 0.3, step: 5, timestamp: 1 }] }),
    ]);
    assert.deepEqual(
      t.columns.map((c) => c.name),
      ['run', 'status', 'started', 'duration', 'source', 'param: depth', 'param: model', 'metric: auc', 'metric: loss', 'run id'],
    );
    assert.equal(t.columns[5].type, 'number');
    const rows = t.rows as unknown[][];
    assert.deepEqual(rows[0].slice(3, 9), ['1 min 30 s', null, 4, 'rf', 0.8, null]);
    assert.deepEqual(rows[1].slice(5, 9), [6, null, null, 0.3]);
  });
});
