// Loaded next to Ferry in the editor under test. When FERRY_HOST_TESTS names a folder of compiled
// mocha test files, it runs them inside this extension host (so `require('vscode')` is the real
// API) and writes a JSON report to FERRY_HOST_REPORT, which the outer test script waits for.
'use strict';
const fs = require('fs');
const path = require('path');

function activate() {
  const testsDir = process.env.FERRY_HOST_TESTS;
  const reportFile = process.env.FERRY_HOST_REPORT;
  const repo = process.env.FERRY_REPO;
  if (!testsDir || !reportFile || !repo) return;
  try {
    run(testsDir, reportFile, repo);
  } catch (err) {
    fs.writeFileSync(reportFile, JSON.stringify({ platform: process.platform, passed: 0, failed: 1, tests: [{ title: 'runner', state: 'failed', error: String((err && err.stack) || err) }] }));
  }
}

function run(testsDir, reportFile, repo) {
  const mochaModule = require(path.join(repo, 'node_modules', 'mocha'));
  const Mocha = mochaModule.Mocha || mochaModule.default || mochaModule;
  const mocha = new Mocha({ ui: 'bdd', timeout: 120000, color: false, reporter: 'spec' });
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.test.js')) files.push(full);
    }
  };
  walk(testsDir);
  files.sort().forEach((f) => mocha.addFile(f));
  const results = [];
  const started = Date.now();
  setTimeout(() => {
    const runner = mocha.run((failures) => {
      const report = {
        platform: process.platform,
        vscodeVersion: require('vscode').version,
        durationMs: Date.now() - started,
        passed: results.filter((r) => r.state === 'passed').length,
        failed: failures,
        tests: results,
      };
      fs.writeFileSync(reportFile + '.tmp', JSON.stringify(report, null, 2));
      fs.renameSync(reportFile + '.tmp', reportFile);
    });
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('fail', (t, err) => results.push({ title: t.fullTitle(), state: 'failed', error: String((err && err.stack) || err) }));
  }, 500);
}

module.exports = { activate, deactivate() {} };
