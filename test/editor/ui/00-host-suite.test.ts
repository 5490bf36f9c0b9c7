import assert from 'node:assert/strict';
import { waitForFile } from '../harness';
import { editor, hostReportFile } from './setup';

interface HostReport {
  platform: string;
  vscodeVersion: string;
  passed: number;
  failed: number;
  tests: Array<{ title: string; state: string; error?: string }>;
}

// Runs first (file order): the UI tests start only once the host suite has finished, so that
// host tests that switch settings or themes never race a UI test in the same editor.
describe('extension-host suite (inside the real editor)', function () {
  this.timeout(600_000);
  it('runs with the real vscode API and passes', async () => {
    const ed = editor();
    let text: string;
    try {
      text = await waitForFile(hostReportFile, 480_000);
    } finally {
      // Leave the workbench as the UI tests expect it: no dialog or quick pick left open.
      for (let i = 0; i < 3; i++) await ed.page.keyboard.press('Escape');
    }
    const report = JSON.parse(text) as HostReport;
    for (const t of report.tests) console.log(`    [host] ${t.state === 'passed' ? '✓' : '✗'} ${t.title}${t.error ? `\n${t.error}` : ''}`);
    console.log(`    [host] VS Code ${report.vscodeVersion} on ${report.platform}: ${report.passed} passed, ${report.failed} failed`);
    assert.ok(report.passed > 0, 'the host suite ran no test');
    assert.equal(report.failed, 0, 'host tests failed');
  });
});
