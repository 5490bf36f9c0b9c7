import assert from 'node:assert/strict';
import { PathMapper } from '../../../src/run/service/paths';
import { adaptiveSchedule, officialExtensionSchedule, powerToolsSchedule } from '../../../src/run/service/pollSchedule';
import { convertResults, isCancelledResult } from '../../../src/run/service/results';
import { OutputList, SpoolRecord } from '../../../src/run/service/spool';
import { parseTraceback } from '../../../src/run/service/traceback';

const mapper = new PathMapper('C:\\proj', '/Workspace/Users/a/ferry/proj');

describe('run: results and tracebacks', () => {
  it('turns spool records into text, table, image and error outputs in order, text merged as a terminal shows it', () => {
    const recs: SpoolRecord[] = [
      { t: 'text', s: 'out', x: 'hel' },
      { t: 'text', s: 'err', x: 'lo\n' },
      {
        t: 'table',
        columns: [
          { name: 'region', dtype: 'object', type: 'string', index: true },
          { name: 'a', dtype: 'int64' },
          { name: 'b', dtype: 'object', type: 'string' },
        ],
        rows: [['n', 1, 'x']],
        total: 5000,
        truncated: true,
      },
      { t: 'text', s: 'out', x: 'between' },
      { t: 'image', png: 'iVBOR' },
      {
        t: 'error',
        ename: 'ValueError',
        evalue: 'bad',
        traceback: 'Traceback (most recent call last):\n  File "/Workspace/Users/a/ferry/proj/src/x.py", line 7, in <module>\n    f()\nValueError: bad\n',
      },
      { t: 'end', status: 'error' },
    ];
    const list = new OutputList(mapper);
    list.add(recs);
    const out = list.outputs;
    assert.deepEqual(
      out.map((o) => o.kind),
      ['text', 'table', 'text', 'image', 'error'],
    );
    assert.ok(out[0].kind === 'text' && out[0].text === 'hello\n');
    const table = out[1];
    assert.ok(table.kind === 'table');
    assert.deepEqual(
      table.columns.map((c) => c.name),
      ['region', 'a', 'b'],
    );
    assert.deepEqual(
      table.columns.map((c) => c.type),
      ['string', 'integer', 'string'],
    );
    assert.match(table.truncationNote ?? '', /first 1 of 5,000/);
    const err = out[4];
    assert.ok(err.kind === 'error');
    assert.equal(err.summary, 'ValueError: bad');
    assert.deepEqual(err.frames[0], { file: '/Workspace/Users/a/ferry/proj/src/x.py', line: 7, function: '<module>', localUri: 'file:///c%3A/proj/src/x.py' });
    assert.equal(list.status, 'error');
  });

  it('a non-zero sys.exit is an error output; exit 0 and None are not', () => {
    const list = new OutputList();
    list.add([{ t: 'exit', code: 0 }]);
    assert.equal(list.outputs.length, 0);
    list.add([{ t: 'exit', code: 2 }]);
    assert.ok(list.outputs[0].kind === 'error' && list.outputs[0].summary === 'SystemExit: 2');
  });

  it('converts native 1.2 results (table, images, error with ANSI IPython frames)', () => {
    const table = convertResults({
      resultType: 'table',
      data: [['x', 1]],
      schema: [
        { name: 's', type: '"string"' },
        { name: 'n', type: '"long"' },
      ],
      isJsonSchema: true,
    });
    assert.ok(table[0].kind === 'table' && table[0].columns[1].type === 'integer');
    const imgs = convertResults({ resultType: 'images', fileNames: ['data:image/png;base64,AAA', 'data:image/png;base64,BBB'] });
    assert.deepEqual(
      imgs.map((o) => (o.kind === 'image' ? o.base64 : '')),
      ['AAA', 'BBB'],
    );
    const err = convertResults(
      {
        resultType: 'error',
        summary: "<span class='ansi-red-fg'>ZeroDivisionError</span>: division by zero",
        cause:
          '\u001b[0;31mZeroDivisionError\u001b[0m Traceback\nFile \u001b[0;32m/Workspace/Users/a/ferry/proj/m.py:3\u001b[0m, in \u001b[0;36mf\u001b[0m()\n',
      },
      mapper,
    );
    assert.ok(err[0].kind === 'error');
    assert.equal(err[0].summary, 'ZeroDivisionError: division by zero');
    assert.equal(err[0].frames[0].line, 3);
    assert.equal(err[0].frames[0].localUri, 'file:///c%3A/proj/m.py');
  });

  it('recognises a cancel reported as Finished + CommandCancelledException', () => {
    assert.ok(isCancelledResult({ resultType: 'error', summary: 'CommandCancelledException', cause: 'x' }));
    assert.ok(!isCancelledResult({ resultType: 'error', summary: 'ValueError: x' }));
  });

  it('parses CPython tracebacks, ignoring lines that only look like frames', () => {
    const frames = parseTraceback('Traceback:\n  File "<command-1>", line 2, in <module>\n  File "/a b/c.py", line 10, in g\nprint("File x")');
    assert.deepEqual(
      frames.map((f) => [f.file, f.line]),
      [
        ['<command-1>', 2],
        ['/a b/c.py', 10],
      ],
    );
  });

  it('polls early then backs off to the cap; peers follow their documented schedules', () => {
    const s = adaptiveSchedule({ capMs: 1000 });
    const delays = Array.from({ length: 8 }, (_, i) => s.delay(i));
    assert.ok(delays[0] <= 100, `first check after ${delays[0]} ms`);
    assert.equal(delays[7], 1000);
    for (let i = 1; i < delays.length; i++) assert.ok(delays[i] >= delays[i - 1]);
    assert.deepEqual(
      [0, 1, 9, 20].map((i) => officialExtensionSchedule.delay(i)),
      [1000, 2000, 10000, 10000],
    );
    assert.deepEqual(
      [0, 1, 5].map((i) => powerToolsSchedule.delay(i)),
      [300, 1000, 1000],
    );
  });
});

describe('one traceback parser for runs and job output', () => {
  const ipython = [
    '\u001b[0;31m---------------------------------------------------------------------------\u001b[0m',
    '\u001b[0;31mValueError\u001b[0m                                Traceback (most recent call last)',
    'File \u001b[0;32m/Workspace/Users/a/ferry/proj/train.py:12\u001b[0m, in \u001b[0;36mfit\u001b[0m\u001b[0;34m(data)\u001b[0m',
    '\u001b[0;32m---> 12\u001b[0m     raise ValueError("bad")',
    '',
    '\u001b[0;31mValueError\u001b[0m: bad',
  ].join('\n');

  it("a job run's IPython-style trace gives its frames, as a run's does", async () => {
    const { errorOutput: jobError } = await import('../../../src/databricks/runOutput');
    const job = jobError('ValueError: bad', ipython);
    const run = parseTraceback(ipython);
    assert.deepEqual(
      run.map((f) => [f.file, f.line]),
      [['/Workspace/Users/a/ferry/proj/train.py', 12]],
    );
    assert.deepEqual(
      job.frames.map((f) => [f.file, f.line, f.function]),
      run.map((f) => [f.file, f.line, f.function]),
    );
  });
});
