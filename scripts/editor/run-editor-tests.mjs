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
// A --grep that leaves out the host suite leaves it out of the editor too: it would otherwise run
// in the background beside the chosen UI tests (its requests counted by theirs, its settings
// switched under them). The whole run keeps it, first.
const args = process.argv.slice(2);
const grepAt = args.findIndex((a) => a === '--grep' || a === '-g');
const grep = grepAt >= 0 ? args[grepAt + 1] : args.find((a) => a.startsWith('--grep='))?.slice('--grep='.length);
const invert = args.includes('--invert') || args.includes('-i');
// The host suite's full title (test/editor/ui/00-host-suite.test.ts; a unit test keeps the two the same).
const HOST_SUITE_TITLE = 'extension-host suite (inside the real editor) runs with the real vscode API and passes';
const hostChosen = grep === undefined || new RegExp(grep).test(HOST_SUITE_TITLE) !== invert;
if (!hostChosen) process.env.FERRY_HOST_SUITE = 'skip';
process.exit(run('npx', ['mocha', '--config', '.mocharc.editor.json', ...args]));
