// Runs the editor layer: builds what it needs, installs the editor if missing, then runs the UI
// suite in one real editor (workbench in Chromium, stand-ins started by test/editor/ui/setup.ts).
// The extension-host suite runs inside that editor first (00-host-suite.test.js waits for it), so
// that host tests which switch settings or themes never race a UI test. Extra arguments go to mocha
// (e.g. --grep "S3 explorer").
import { spawnSync } from 'node:child_process';
import { installEditor } from './install-editor.mjs';

function run(cmd, args) {
  return spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;
}

installEditor({ quiet: true });
if (!process.env.FERRY_SKIP_BUILD) {
  if (run('npx', ['webpack', '--mode', 'production']) !== 0) process.exit(1);
  if (run('npx', ['tsc', '-p', 'tsconfig.test.json']) !== 0) process.exit(1);
}
process.exit(run('npx', ['mocha', '--config', '.mocharc.editor.json', ...process.argv.slice(2)]));
