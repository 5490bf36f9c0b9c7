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

describe('extension-host suite (inside the real editor)', function () {
  this.timeout(600_000);
  it('runs with the real vscode API and passes', async () => {
    editor();
    const report = JSON.parse(await waitForFile(hostReportFile, 240_000)) as HostReport;
    for (const t of report.tests) console.log(`    [host] ${t.state === 'passed' ? '✓' : '✗'} ${t.title}${t.error ? `\n${t.error}` : ''}`);
    console.log(`    [host] VS Code ${report.vscodeVersion} on ${report.platform}: ${report.passed} passed, ${report.failed} failed`);
    assert.ok(report.passed > 0, 'the host suite ran no test');
    assert.equal(report.failed, 0, 'host tests failed');
  });
});
