// Linux-only: runs Ferry's session code under python3 with pandas (the Windows run has no Python
// under Wine). The Python suite is test/python/test_ferry_runtime.py (python3 -m unittest).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { findPython } from '../../../sandbox/databricks/python';

describe('the session code on its own (python3 -m unittest)', function () {
  this.timeout(120_000);
  it('passes its Python unit tests', async () => {
    const python = await findPython();
    assert.ok(python.path, python.problem);
    const root = path.resolve(__dirname, '../../../..');
    const { code, out } = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        python.path!,
        ['-m', 'unittest', 'discover', '-v', '-s', path.join(root, 'test', 'python')],
        { cwd: root, env: { ...process.env, MPLBACKEND: 'Agg' } },
        (err, stdout, stderr) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
        },
      );
    });
    const ran = /Ran (\d+) tests?/.exec(out);
    assert.equal(code, 0, out.slice(-4000));
    assert.ok(ran && Number(ran[1]) >= 15, `ran ${ran?.[1] ?? 'no'} tests:\n${out.slice(-2000)}`);
  });
});
