// `npm run package`: builds and packages the .vsix with @vscode/vsce (offline), then lists what is
// inside, refuses a package holding sources, tests, maps or node_modules, and prints its size.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const out = `${pkg.name}-${pkg.version}.vsix`;
const vsce = path.join('node_modules', '@vscode', 'vsce', 'vsce');
execFileSync(
  process.execPath,
  [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--skip-license', '--out', out],
  { stdio: 'inherit' },
);
const listing = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { encoding: 'utf8' }).split('\n').filter(Boolean);
const forbidden = listing.filter((f) => /(^|\/)node_modules\/|\.map$|^src\/|^test\/|^sandbox\/|^webviews\/.*\.ts$|\.ts$/.test(f));
process.stdout.write(`\nFiles in ${out}:\n${listing.map((f) => `  ${f}`).join('\n')}\n`);
// What runs must be there: the extension, the sort/filter worker it starts beside itself, the viewer.
const missing = ['dist/extension.js', 'dist/tableWorker.js', 'dist/webviews/main.js'].filter((f) => !listing.includes(f));
if (missing.length) {
  process.stderr.write(`The package lacks files the extension loads at run time:\n${missing.join('\n')}\n`);
  process.exit(1);
}
if (forbidden.length) {
  process.stderr.write(`The package holds files that do not run:\n${forbidden.join('\n')}\n`);
  process.exit(1);
}
const bytes = fs.statSync(out).size;
process.stdout.write(`\n${out}: ${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes), ${listing.length} files\n`);
