// Runs the editor layer: builds what it needs, installs the editor if missing, then runs the UI
// suite (which opens the real workbench in Chromium and runs the extension-host suite inside it).
import { spawnSync } from 'node:child_process';
import { installEditor } from './install-editor.mjs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

installEditor({ quiet: true });
if (!process.env.FERRY_SKIP_BUILD) {
  run('npx', ['webpack', '--mode', 'production']);
  run('npx', ['tsc', '-p', 'tsconfig.test.json']);
}
run('npx', ['mocha', '--config', '.mocharc.editor.json']);
