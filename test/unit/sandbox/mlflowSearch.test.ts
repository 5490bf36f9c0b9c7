// The stand-in's MLflow search syntax, as the service reads it: what it accepts, and the
// INVALID_PARAMETER_VALUE it answers otherwise (so a client's own check can be wrong and still be caught).
import assert from 'node:assert/strict';
import { compare, parseOrderBy, parseRunFilter } from '../../../sandbox/databricks/mlflow/search';

describe('stand-in MLflow search syntax', () => {
  it('parses AND-joined comparisons of metrics, params, tags and attributes', () => {
    assert.deepEqual(parseRunFilter("metrics.auc > 0.8 and params.model = 'rf' AND tags.`x y` != 'z'"), [
      { entity: 'metric', key: 'auc', op: '>', value: 0.8 },
      { entity: 'param', key: 'model', op: '=', value: 'rf' },
      { entity: 'tag', key: 'x y', op: '!=', value: 'z' },
    ]);
    assert.deepEqual(parseRunFilter("attributes.created > 5 and run.status IN ('FINISHED', 'FAILED')"), [
      { entity: 'attribute', key: 'start_time', op: '>', value: 5 },
      { entity: 'attribute', key: 'status', op: 'IN', value: ['FINISHED', 'FAILED'] },
    ]);
    assert.deepEqual(parseRunFilter(''), []);
  });

  it('refuses what the service refuses, with its kind of message', () => {
    const bad: Array<[string, RegExp]> = [
      ["metrics.auc > 'x'", /Expected numeric value type for metric/],
      ['metrics.auc > high', /Expected numeric value type for metric/],
      ["metrics.auc > 0.8 or params.x = 'y'", /OR is not supported/],
      ["foo.x = 'y'", /Invalid entity type 'foo'/],
      ["attributes.nope = 'x'", /Invalid attribute key 'nope'/],
      ['params.x > 3', /Expected a quoted string value for param/],
      ["metrics.auc LIKE 'x'", /Expected numeric value type/],
    ];
    for (const [f, re] of bad)
      assert.throws(
        () => parseRunFilter(f),
        (e: Error & { status?: number; code?: string }) => e.status === 400 && e.code === 'INVALID_PARAMETER_VALUE' && re.test(e.message),
        f,
      );
  });

  it('compares like MLflow: a run without the key never matches; LIKE and ILIKE with % and _', () => {
    assert.equal(compare(undefined, { entity: 'metric', key: 'a', op: '!=', value: 1 }), false);
    assert.equal(compare('churn-rf-1', { entity: 'param', key: 'n', op: 'LIKE', value: 'churn-%' }), true);
    assert.equal(compare('Churn', { entity: 'param', key: 'n', op: 'LIKE', value: 'churn' }), false);
    assert.equal(compare('Churn', { entity: 'param', key: 'n', op: 'ILIKE', value: 'ch_rn' }), true);
    assert.deepEqual(parseOrderBy(['metrics.rmse', 'params.x DESC', 'start_time']), [
      { entity: 'metric', key: 'rmse', ascending: true },
      { entity: 'param', key: 'x', ascending: false },
      { entity: 'attribute', key: 'start_time', ascending: true },
    ]);
  });
});
