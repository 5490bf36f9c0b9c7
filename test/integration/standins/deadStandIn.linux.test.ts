// Linux-only: kills the stand-in's process with SIGKILL and expects the POSIX signal in the report
// (the Windows run takes stand-ins that its runner starts and watches itself).
// A stand-in that dies says so loudly, and nothing carries on without it (issue 14, hole 11): a
// mocha run of its own (deadStandIn.suite.ts) has its S3 stand-in killed mid-test. The fixture must
// print the stand-in's last stderr lines, fail that test with them and fail the next test at once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

describe('integration fixtures: a stand-in that dies mid-suite', function () {
  this.timeout(120_000);

  it('fails the running test with the stand-in stderr, and the next test without running it', async () => {
    const marker = `missing-${Date.now()}`;
    const suite = path.join(REPO, 'out', 'test', 'integration', 'standins', 'deadStandIn.suite.js');
    const mocha = path.join(REPO, 'node_modules', 'mocha', 'bin', 'mocha.js');
    const { code, out } = await new Promise<{ code: number; out: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [mocha, '--no-config', '--require', path.join(REPO, 'out', 'test', 'integration', 'standInGuard.js'), '--reporter', 'spec', suite],
        {
          cwd: REPO,
          env: { ...process.env, FERRY_DEAD_MARKER: marker, FERRY_S3_ENDPOINT: '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      child.on('close', (c) => resolve({ code: c ?? 1, out: text }));
    });
    assert.notEqual(code, 0, `the run passed with a dead stand-in:\n${out}`);
    assert.match(out, /S3 stand-in \(pid \d+\) exited/, out);
    assert.match(out, /signal SIGKILL/, out);
    // Its last stderr lines: the error it answered just before it died.
    assert.ok(out.includes(`NoSuchKey GET /`) && out.includes(marker), `the stand-in's stderr is not in the report:\n${out}`);
    assert.match(out, /0 passing/, out);
    assert.match(out, /2 failing/, out);
    assert.match(out, /second test[\s\S]*died earlier/, out);
    // The first test was ended by the fixture, not by its own timeout.
    assert.doesNotMatch(out, /Timeout of \d+ms exceeded/, out);
  });
});
