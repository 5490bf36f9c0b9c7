// `npm run bench -- <name>`: compiles and runs one benchmark from bench/ (see bench/README.md).
// Helpers shared by benchmarks live in `lib/` folders and are not listed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const name = process.argv[2];
const compile = spawnSync('npx', ['tsc', '-p', 'tsconfig.test.json'], { stdio: 'inherit' });
if (compile.status !== 0) process.exit(compile.status ?? 1);
const found = [];
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const f = path.join(d, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'lib') walk(f);
    } else if (/\.js$/.test(e.name)) found.push(f);
  }
};
if (fs.existsSync('out/bench')) walk('out/bench');
const match = found.filter((f) => name && f.includes(name));
if (!name || match.length === 0) {
  process.stdout.write(
    `Benchmarks:\n${found.map((f) => `  ${path.relative('out/bench', f)}  (${f})`).join('\n') || '  none yet'}\nUsage: npm run bench -- <name>\n`,
  );
  process.exit(name ? 1 : 0);
}
for (const file of match) {
  const r = spawnSync(process.execPath, [file, ...process.argv.slice(3)], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
