// The result viewer's two additions for MLflow and drift: a table may come with a chart to open
// (columns named, sent by index), and a fact may link to a Ferry command, which the webview only
// names by index and the host looks up (never a command the webview chose).
import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../../src/results/protocol';
import { ResultSession } from '../../../src/results/session';

describe('result viewer: chart presets and linked facts', () => {
  it('sends a chart preset by column index, and drops one that names a missing column', () => {
    const s = new ResultSession('mlflow:chart');
    s.addRun({
      source: 'mlflow:chart',
      title: 'auc',
      outputs: [
        {
          kind: 'table',
          columns: [
            { name: 'run', type: 'string' },
            { name: 'step', type: 'integer' },
            { name: 'auc', type: 'number' },
          ],
          rows: [['a', 1, 0.5]],
          chart: { mark: 'line', x: 'step', y: 'auc', color: 'run' },
        },
        { kind: 'table', columns: [{ name: 'x', type: 'integer' }], rows: [[1]], chart: { mark: 'bar', x: 'x', y: 'missing' } },
        {
          kind: 'table',
          columns: [
            { name: 'bin', type: 'string' },
            { name: 'dataset', type: 'string' },
            { name: 'share', type: 'number' },
          ],
          rows: [['01', 'A', 0.1]],
          chart: { mark: 'bar', x: 'bin', y: 'share', color: 'dataset', grouped: true },
        },
      ],
    });
    const outputs = s.view().runs[0].outputs;
    assert.deepEqual(outputs[0].kind === 'table' && outputs[0].chart, { mark: 'line', x: 1, y: 2, color: 0, grouped: undefined });
    assert.equal(outputs[1].kind === 'table' && outputs[1].chart, undefined);
    assert.deepEqual(outputs[2].kind === 'table' && outputs[2].chart, { mark: 'bar', x: 0, y: 2, color: 1, grouped: true });
  });

  it('a linked fact reaches the webview as a flag; the host keeps the command and its arguments', () => {
    const s = new ResultSession('databricks:run');
    const runId = s.addRun({ source: 'databricks:run', title: 'Run train.py', outputs: [], facts: [{ label: 'Cluster', value: 'c' }] });
    s.setFacts(runId, [
      { label: 'Cluster', value: 'c' },
      {
        label: 'MLflow run',
        value: 'churn (finished)',
        link: { command: 'ferry.mlflow.openRun', args: [{ experimentId: '1', runId: 'abc' }], tooltip: 'Open it' },
      },
    ]);
    const facts = s.view().runs[0].facts;
    assert.deepEqual(facts, [
      { label: 'Cluster', value: 'c' },
      { label: 'MLflow run', value: 'churn (finished)', linked: true, tooltip: 'Open it' },
    ]);
    assert.equal(JSON.stringify(facts).includes('ferry.mlflow.openRun'), false, 'no command in what the webview gets');
    assert.deepEqual(s.factLink(runId, 1), { command: 'ferry.mlflow.openRun', args: [{ experimentId: '1', runId: 'abc' }], tooltip: 'Open it' });
    assert.equal(s.factLink(runId, 0), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'openFact', runId, fact: 1 }), { type: 'openFact', runId, fact: 1 });
    assert.equal(parseWebviewMessage({ type: 'openFact', runId, fact: -1 }), undefined);
    assert.equal(parseWebviewMessage({ type: 'openFact', runId, command: 'workbench.action.terminal.new' }), undefined);
  });
});
