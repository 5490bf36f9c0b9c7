// Jobs for one file: which files the workspace makes notebooks (the CLI's rule), a requirements.txt
// as serverless dependencies, the task shapes on a cluster and on serverless, and reading the
// cells of an exported notebook run.
import assert from 'node:assert/strict';
import { newIdempotencyToken, parseWidgetValues } from '../../../src/databricks/jobs';
import { computeLabel, computeOfTasks, fileTask } from '../../../src/databricks/jobSpec';
import { detectNotebook, notebookPathFor } from '../../../src/databricks/notebookFiles';
import { planRequirements } from '../../../src/databricks/requirements';
import { exportOutputs, notebookModel } from '../../../src/databricks/runExport';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('notebook detection (format AUTO, as the Databricks CLI decides)', () => {
  const cases: Array<[string, string, boolean | 'problem', string?]> = [
    ['nb.py', '# Databricks notebook source\nprint(1)\n', true, 'PYTHON'],
    ['nb.py', '# Databricks notebook source\r\nprint(1)\r\n', true, 'PYTHON'],
    ['nb.py', '# Databricks notebook source', true, 'PYTHON'],
    ['NB.PY', '# Databricks notebook source\n', true, 'PYTHON'],
    ['nb.r', '# Databricks notebook source\n', true, 'R'],
    ['nb.scala', '// Databricks notebook source\n', true, 'SCALA'],
    ['nb.sql', '-- Databricks notebook source\n', true, 'SQL'],
    ['plain.py', 'print(1)\n', false],
    ['trailing.py', '# Databricks notebook source \n', false],
    ['longer.py', '# Databricks notebook sources\n', false],
    ['second.py', '\n# Databricks notebook source\n', false],
    ['bom.py', '\uFEFF# Databricks notebook source\n', false],
    ['wrong.sql', '# Databricks notebook source\n', false],
    ['notes.txt', '# Databricks notebook source\n', false],
    ['a.ipynb', JSON.stringify({ cells: [], metadata: {}, nbformat: 4 }), true, 'PYTHON'],
    ['a.ipynb', JSON.stringify({ cells: [], metadata: { 'application/vnd.databricks.v1+notebook': { language: 'sql' } }, nbformat: 4 }), true, 'SQL'],
    ['a.ipynb', JSON.stringify({ cells: [], nbformat: 4 }), 'problem'],
    ['a.ipynb', JSON.stringify({ cells: [], metadata: {}, nbformat: 3 }), 'problem'],
    ['a.ipynb', '{ not json', 'problem'],
  ];
  for (const [name, content, expected, language] of cases) {
    it(`${name} ${JSON.stringify(content.slice(0, 34))} → ${expected === 'problem' ? 'refused' : expected ? `notebook (${language})` : 'file'}`, () => {
      const d = detectNotebook(name, bytes(content));
      if (expected === 'problem') assert.ok('problem' in d, JSON.stringify(d));
      else {
        assert.equal(d.notebook, expected, JSON.stringify(d));
        if (d.notebook) assert.equal(d.language, language);
      }
    });
  }

  it('only the first 32 bytes count: a header line is never found further down', () => {
    assert.equal(detectNotebook('x.py', bytes(`${' '.repeat(40)}\n# Databricks notebook source\n`)).notebook, false);
  });

  it('a notebook lives at its path without the extension; Windows and POSIX names alike', () => {
    assert.equal(notebookPathFor('/Workspace/Users/a/proj/nb.py'), '/Workspace/Users/a/proj/nb');
    assert.equal(notebookPathFor('/Workspace/Users/a/proj/analysis.IPYNB'), '/Workspace/Users/a/proj/analysis');
    assert.equal(detectNotebook('C:\\Users\\me\\proj\\nb.py', bytes('# Databricks notebook source\n')).notebook, true);
  });
});

describe('requirements.txt as serverless dependencies', () => {
  const resolve = (rel: string) =>
    rel.startsWith('../')
      ? { why: 'outside' }
      : { local: `/home/me/proj/job/${rel.replace(/^\.\//, '')}`, remote: `/Workspace/Users/me/ferry/proj/job/${rel.replace(/^\.\//, '')}` };

  it('keeps specifiers and URLs verbatim, drops comments and blank lines, joins continued lines', () => {
    const plan = planRequirements(
      '\uFEFF# top\npandas>=2.0  # inline comment\n\nscikit-learn==1.2.1 ; python_version >= "3.9"\nrequests \\\n  [socks]\ngit+https://github.com/org/repo.git@v1#egg=repo\nfoo @ https://example.com/foo-1.0.tar.gz\n',
      resolve,
    );
    assert.deepEqual(plan.dependencies, [
      'pandas>=2.0',
      'scikit-learn==1.2.1 ; python_version >= "3.9"',
      'requests   [socks]',
      'git+https://github.com/org/repo.git@v1#egg=repo',
      'foo @ https://example.com/foo-1.0.tar.gz',
    ]);
    assert.deepEqual(plan.skipped, []);
  });

  it('rewrites a local wheel to its workspace path (extras and markers kept) and lists it for the push', () => {
    const plan = planRequirements('./dist/pkg-1.0-py3-none-any.whl[extra] ; sys_platform == "linux"\ndist\\other-2.0-py3-none-any.whl\n', resolve);
    assert.deepEqual(plan.dependencies, [
      '/Workspace/Users/me/ferry/proj/job/dist/pkg-1.0-py3-none-any.whl[extra] ; sys_platform == "linux"',
      '/Workspace/Users/me/ferry/proj/job/dist/other-2.0-py3-none-any.whl',
    ]);
    assert.deepEqual(plan.localFiles, ['/home/me/proj/job/dist/pkg-1.0-py3-none-any.whl', '/home/me/proj/job/dist/other-2.0-py3-none-any.whl']);
  });

  it('leaves out, with the reason, pip options, files outside the folder and paths on this machine', () => {
    const plan = planRequirements(
      '-r dev.txt\n--index-url https://pypi.example/simple\n-e .\n../shared/x.whl\nC:\\wheels\\y.whl\nfile:///tmp/z.whl\n/Volumes/main/default/libs/w.whl\n',
      resolve,
    );
    assert.deepEqual(
      plan.skipped.map((s) => s.line),
      [1, 2, 3, 4, 5, 6],
    );
    assert.match(plan.skipped[0].why, /pip options/);
    assert.equal(plan.skipped[3].why, 'outside');
    assert.deepEqual(plan.dependencies, ['/Volumes/main/default/libs/w.whl'], 'volume and workspace paths go as they are');
  });
});

describe('job tasks for one file', () => {
  it('a Python file on a cluster: spark_python_task with the path as given, existing_cluster_id', () => {
    assert.deepEqual(fileTask('k', { kind: 'python', path: '/Workspace/Users/a/x.py', parameters: ['1'] }, { kind: 'cluster', clusterId: 'c-1' }), {
      task: { task_key: 'k', spark_python_task: { python_file: '/Workspace/Users/a/x.py', parameters: ['1'] }, existing_cluster_id: 'c-1' },
    });
  });

  it('a notebook on a cluster: notebook_task by its workspace path, source WORKSPACE', () => {
    assert.deepEqual(fileTask('k', { kind: 'notebook', path: '/Users/a/nb' }, { kind: 'cluster', clusterId: 'c-1' }).task, {
      task_key: 'k',
      notebook_task: { notebook_path: '/Users/a/nb', source: 'WORKSPACE' },
      existing_cluster_id: 'c-1',
    });
  });

  it('a Python file on serverless: environment_key and an environment with environment_version (never client) and the dependencies', () => {
    const { task, environments } = fileTask(
      'k',
      { kind: 'python', path: '/Workspace/x.py' },
      { kind: 'serverless', environmentVersion: '2', dependencies: ['pandas'] },
    );
    assert.equal(task.environment_key, 'ferry_environment');
    assert.equal(task.existing_cluster_id, undefined);
    assert.deepEqual(environments, [{ environment_key: 'ferry_environment', spec: { environment_version: '2', dependencies: ['pandas'] } }]);
    assert.deepEqual(fileTask('k', { kind: 'python', path: '/x.py' }, { kind: 'serverless' }).environments, [
      { environment_key: 'ferry_environment', spec: { environment_version: '4' } },
    ]);
  });

  it('a notebook on serverless: no compute field and no environments', () => {
    const { task, environments } = fileTask('k', { kind: 'notebook', path: '/Users/a/nb' }, { kind: 'serverless', dependencies: ['pandas'] });
    assert.deepEqual(task, { task_key: 'k', notebook_task: { notebook_path: '/Users/a/nb', source: 'WORKSPACE' } });
    assert.equal(environments, undefined);
  });

  it('tells serverless from cluster jobs and runs', () => {
    assert.equal(computeLabel(computeOfTasks([{ notebook_task: {} }])), 'Serverless');
    assert.equal(computeLabel(computeOfTasks([{ spark_python_task: {}, environment_key: 'e' }])), 'Serverless');
    assert.equal(computeLabel(computeOfTasks([{ existing_cluster_id: 'c-1' }, { cluster_instance: { cluster_id: 'c-2' } }])), 'c-1, c-2');
    assert.equal(computeLabel(computeOfTasks([{ new_cluster: {} }])), 'Job cluster');
    assert.equal(computeOfTasks(undefined), undefined, 'no tasks loaded: nothing claimed');
    assert.equal(
      computeLabel(computeOfTasks(undefined, 'c-9'), (id) => (id === 'c-9' ? 'shared' : undefined)),
      'shared',
    );
  });

  it('idempotency tokens fit the 64-character limit and differ', () => {
    const a = newIdempotencyToken();
    assert.ok(a.length <= 64, a);
    assert.notEqual(a, newIdempotencyToken());
  });
});

describe('exported notebook runs (runs/export)', () => {
  const page = (model: unknown, encode = (s: string) => s) =>
    `<html><script>var __DATABRICKS_NOTEBOOK_MODEL = '${encode(Buffer.from(encodeURIComponent(JSON.stringify(model))).toString('base64'))}';</script></html>`;
  const model = {
    name: 'nb',
    commands: [
      {
        command: 'print(2)',
        position: 2,
        results: {
          type: 'listResults',
          data: [
            { type: 'raw', data: 'second\n' },
            {
              type: 'table',
              data: [
                [1, 'a'],
                [2, null],
              ],
              schema: [
                { name: 'n', type: 'long' },
                { name: 's', type: 'string' },
              ],
            },
          ],
        },
      },
      { command: 'print(1)', position: 1, results: { type: 'raw', data: '\u001b[31mfirst\u001b[0m\n' } },
      { command: '%md x', position: 3, results: null },
      { command: 'displayHTML', position: 4, results: { type: 'html', data: '<b>bold</b> &amp; more' } },
      { command: 'raise', position: 5, results: { type: 'error', summary: '<span>KeyError</span>: k', cause: 'Traceback…\nKeyError: k' } },
    ],
  };

  it('reads the cells in order: text, tables, html as text, and errors', () => {
    const out = exportOutputs({ views: [{ content: page(model), name: 'nb', type: 'NOTEBOOK' }] });
    assert.deepEqual(
      out.map((o) => o.kind),
      ['text', 'text', 'table', 'text', 'error'],
    );
    assert.equal(out[0].kind === 'text' && out[0].text, '── cell 1 ──\nfirst\n');
    assert.ok(out[2].kind === 'table' && out[2].columns.map((c) => c.name).join() === 'n,s' && JSON.stringify(out[2].rows) === '[[1,"a"],[2,null]]');
    assert.equal(out[3].kind === 'text' && out[3].text, '── cell 4 ──\nbold & more');
    assert.ok(out[4].kind === 'error' && /KeyError: k/.test(out[4].summary));
  });

  it('accepts a URL-encoded model string; says so, without guessing, when the page has no model', () => {
    assert.equal(exportOutputs({ views: [{ content: page(model, (s) => encodeURIComponent(s)) }] }).length, 5);
    assert.ok('problem' in notebookModel('<html></html>'));
    assert.ok('problem' in notebookModel("var __DATABRICKS_NOTEBOOK_MODEL = '@@@';"));
    assert.match(JSON.stringify(exportOutputs({ problem: 'Run 1 is not a notebook task run' })), /could not be exported: Run 1/);
    assert.deepEqual(exportOutputs({ views: [] }), []);
  });
});

describe('widget values for Run Now with Parameters on a notebook job', () => {
  it('reads name=value pairs (quoted values may hold spaces) and JSON objects', () => {
    assert.deepEqual(parseWidgetValues('n=5 label="a b" other=\'c d\' empty='), { n: '5', label: 'a b', other: 'c d', empty: '' });
    assert.deepEqual(parseWidgetValues('{"n": 5, "s": "x"}'), { n: '5', s: 'x' });
    assert.deepEqual(parseWidgetValues('  '), {});
    assert.throws(() => parseWidgetValues('n=5 loose'), /"loose" is not name=value/);
    assert.throws(() => parseWidgetValues('[1]'), /not name=value|JSON object/);
  });
});
