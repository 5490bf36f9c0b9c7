import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { appendTerminalText, visibleText } from '../../../src/results/terminalText';
import { MAX_RESULT_CHARS, resultBudget, textCapOf } from '../../../src/run/service/outputBudget';
import { SessionRuntime } from '../../../src/run/service/runtime';
import { parseRunResult, parseSlice, RECORD_MARK, SpoolDecoder, SpoolFormatError } from '../../../src/run/service/spool';

const enc = (s: string) => zlib.deflateSync(Buffer.from(s, 'latin1')).toString('base64');

describe('run: the spool as the client reads it', () => {
  it('reassembles records from overlapping and split pieces', () => {
    const spool = '{"t":"text","s":"out","x":"a\\n"}\n{"t":"value","repr":"42"}\n{"t":"end","status":"ok"}\n';
    const d = new SpoolDecoder();
    assert.deepEqual(d.push(0, spool.slice(0, 10)), []);
    const recs = d.push(5, spool.slice(5, 40));
    assert.deepEqual(recs, [{ t: 'text', s: 'out', x: 'a\n' }]);
    assert.equal(d.offset, 40);
    const rest = d.push(40, spool.slice(40));
    assert.deepEqual(
      rest.map((r) => r.t),
      ['value', 'end'],
    );
    assert.equal(d.ended, 'ok');
  });

  it('holds a piece that arrives before the bytes in front of it (readers side by side), in order', () => {
    const spool = '{"t":"text","s":"out","x":"one\\n"}\n{"t":"text","s":"out","x":"two\\n"}\n{"t":"end","status":"ok"}\n';
    const d = new SpoolDecoder();
    assert.deepEqual(d.push(30, spool.slice(30)), [], 'a later piece waits');
    assert.equal(d.waiting, true);
    const recs = d.push(0, spool.slice(0, 30));
    assert.deepEqual(
      recs.map((r) => (r.t === 'text' ? r.x : r.t)),
      ['one\n', 'two\n', 'end'],
    );
    assert.equal(d.waiting, false);
    assert.equal(d.offset, spool.length);
    assert.throws(() => new SpoolDecoder().push(0, 'not json\n'), SpoolFormatError);
  });

  it('checks a slice against its header, so a result the service cut is noticed', () => {
    const data = '{"t":"text","s":"out","x":"hello"}\n';
    const body = enc(data);
    const ok = parseSlice(`${RECORD_MARK}${JSON.stringify({ t: 'slice', o: 7, n: data.length, size: 99, c: body.length })}\n${body}`);
    assert.equal(ok.data, data);
    assert.equal(ok.header.o, 7);
    const cut = `${RECORD_MARK}${JSON.stringify({ t: 'slice', o: 0, n: data.length, size: 99, c: body.length })}\n${body.slice(0, 10)}\n*** WARNING: skipped 40 bytes of output ***`;
    assert.throws(() => parseSlice(cut), SpoolFormatError);
    assert.deepEqual(parseSlice(`${RECORD_MARK}{"t":"slice","o":0,"n":0,"size":-1,"c":0}`).data, '');
  });

  it('finds the summary of a run result and keeps other text the REPL held', () => {
    const summary = { t: 'summary', run: 'r1', size: 10, status: 'ok' };
    const r = parseRunResult(`logged by a handler\n${RECORD_MARK}${JSON.stringify(summary)}\n`);
    assert.equal(r.summary?.run, 'r1');
    assert.equal(r.otherText, 'logged by a handler');
    assert.equal(parseRunResult('plain text').summary, undefined);
  });
});

describe('run: output budget per runtime', () => {
  it('keeps every result under 45,000 characters, and under a lower cap the Spark conf sets', () => {
    assert.equal(textCapOf({ spark_version: '14.3.x-scala2.12' }), 50_000);
    assert.equal(textCapOf({ spark_version: '16.4.x-scala2.12', spark_conf: { 'spark.databricks.driver.maxReplOutputLength': '200000' } }), 200_000);
    assert.equal(textCapOf({ spark_version: '17.3.x-scala2.13' }), 10 * 1024 * 1024);
    assert.equal(textCapOf({ spark_version: 'custom:abc' }), 50_000);
    assert.equal(textCapOf(undefined), 50_000);
    assert.equal(resultBudget({ spark_version: '17.3.x-scala2.13' }), MAX_RESULT_CHARS);
    assert.equal(resultBudget({ spark_version: '15.4.x', spark_conf: { 'spark.databricks.driver.maxReplOutputLength': 20_000 } }), 19_000);
  });
});

describe('run: the command texts around the session code', () => {
  const rt = new SessionRuntime('VERSION = "x"\ndef run(a, g):\n    pass\n');
  it('carries the arguments through quotes, backslashes and non-ASCII text', () => {
    const cmd = rt.runCommand({
      run: 'abc',
      code: 'print("it\'s \\n ünïcode")',
      file: "/Workspace/a/it's.py",
      root: '/Workspace/a',
      offset: 0,
      maxRows: 10,
      budget: 45_000,
      drop: [],
    });
    const b64 = /\.run\('([A-Za-z0-9+/=]+)', globals\(\)\)/.exec(cmd)![1];
    const args = JSON.parse(Buffer.from(b64, 'base64').toString('utf8')) as { code: string; file: string };
    assert.equal(args.code, 'print("it\'s \\n ünïcode")');
    assert.equal(args.file, "/Workspace/a/it's.py");
    assert.ok(/^[\x20-\x7e\n]*$/.test(cmd), 'the command text is printable ASCII');
  });
  it('refuses a run id that could inject code into a read command', () => {
    assert.throws(() => rt.readCommand("x'); import os; ('", 0, 45_000, 0));
    assert.match(rt.readCommand('abc_1-2', 10, 45_000, 2.5, 70_000), /read\('abc_1-2', 10, 45000, 2\.5000, 70000\)/);
  });
  it('loads the real session code from the source tree', () => {
    assert.match(SessionRuntime.load().source, /def read\(run_id, offset, budget, hint=0\.0, limit=0\):/);
  });
});

describe('results: printed text as a terminal shows it', () => {
  it('redraws a progress line on carriage return, across chunks, and keeps \\r\\n a newline', () => {
    let t = '';
    for (const chunk of ['epoch 1\n', '\r 10%', '\r 50%', '\r100%', '\n', 'done\r\n']) t = appendTerminalText(t, chunk);
    assert.equal(t, 'epoch 1\n100%\ndone\n');
    let u = appendTerminalText('', 'x 10%\r');
    assert.equal(visibleText(u), 'x 10%');
    u = appendTerminalText(u, 'x 20%\r');
    assert.equal(visibleText(u), 'x 20%');
    assert.equal(appendTerminalText('a\r', '\nb'), 'a\nb');
  });
});
