// `npm test`'s step runner (scripts/lib/runLayer.mjs): a step that overruns its time is stopped with
// everything it started and fails naming itself, so that a hung layer cannot use up CI's 90 minutes
// in silence (a UI test once left a listener open and mocha never exited).
// Linux-only: the runner stops a step's POSIX process group; on Windows it stops the step's own process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..', '..');
const RUNNER = path.join(REPO, 'scripts', 'lib', 'runLayer.mjs');

interface Outcome {
  code: number;
  out: string;
  timedOut?: boolean;
  grandchild?: number;
  grandchildAlive?: boolean;
}

/** Runs runLayer in its own Node (it is an ES module) on a small step, and reports what it returned. */
function runStep(step: string, timeoutMs: number): Outcome {
  const script = `
    import { runLayer } from ${JSON.stringify(RUNNER)};
    import fs from 'node:fs';
    // Gone, or a zombie nobody has reaped yet (in a container the reaper may be missing).
    const alive_ = (pid) => { try { return !/^\\d+ \\(.*\\) Z/.test(fs.readFileSync('/proc/' + pid + '/stat', 'utf8')); } catch { return false; } };
    const r = await runLayer(process.execPath, ['-e', ${JSON.stringify(step)}], {}, ${timeoutMs}, { quiet: true, graceMs: 300 });
    const m = /grandchild (\\d+)/.exec(r.out);
    let alive;
    if (m) { await new Promise((res) => setTimeout(res, 300)); alive = alive_(Number(m[1])); }
    process.stdout.write(JSON.stringify({ ...r, grandchild: m ? Number(m[1]) : undefined, grandchildAlive: alive }));
  `;
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(res.status, 0, res.stderr);
  return JSON.parse(res.stdout) as Outcome;
}

describe('npm test: the step runner', function () {
  this.timeout(30_000);

  it('returns a step that finishes with its exit code and its output', () => {
    const r = runStep("console.log('12 passing'); process.exit(3)", 10_000);
    assert.equal(r.code, 3);
    assert.match(r.out, /12 passing/);
    assert.equal(r.timedOut, undefined);
  });

  it('stops a step that never ends, and the process it started, and fails naming the step', () => {
    // The step starts a child of its own that holds the output pipe, then never exits: what a
    // mocha run with a listener left open looks like.
    const step = `
      const { spawn } = require('node:child_process');
      const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });
      console.log('grandchild ' + g.pid);
      setInterval(() => {}, 1000);
    `;
    const r = runStep(step, 1500);
    assert.equal(r.code, 124);
    assert.equal(r.timedOut, true);
    assert.match(r.out, /1 failing\n {2}1\) .* did not finish within 2 s and was stopped/);
    assert.ok(r.grandchild, 'the step printed its child');
    assert.equal(r.grandchildAlive, false, 'the process the step started was stopped too');
  });
});
