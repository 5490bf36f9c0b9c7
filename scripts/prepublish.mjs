// vsce runs this before packaging (`vscode:prepublish`): a production build of dist/, unless the
// caller has just built it (FERRY_SKIP_BUILD=1, as `npm test` does) and dist/extension.js is there.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

if (process.env.FERRY_SKIP_BUILD && fs.existsSync('dist/extension.js')) {
  process.stdout.write('prepublish: dist/ was just built; not building again\n');
  process.exit(0);
}
const r = spawnSync('npx', ['webpack', '--mode', 'production'], { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(r.status ?? 1);
