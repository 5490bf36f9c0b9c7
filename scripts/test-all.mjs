// `npm test`: every layer, in order, with a count per layer and one closing line.
//   lint + types → unit → integration → editor (real VS Code in Chromium) → Windows (Windows Node under Wine)
// FERRY_LAYERS=unit,integration limits the run (for quick local loops); CI runs them all.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

const all = ['static', 'unit', 'integration', 'editor', 'windows'];
const layers = (process.env.FERRY_LAYERS || all.join(',')).split(',').map((s) => s.trim()).filter(Boolean);

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

function counts(out) {
  // mocha's own summary lines ("12 passing", "1 failing"); the Windows runner prints the same.
  const passed = [...out.matchAll(/^\s*(\d+) passing/gm)].reduce((n, m) => n + Number(m[1]), 0);
  const failed = [...out.matchAll(/^\s*(\d+) failing/gm)].reduce((n, m) => n + Number(m[1]), 0);
  const host = [...out.matchAll(/\[host\] .*: (\d+) passed, (\d+) failed/g)].reduce((a, m) => [a[0] + Number(m[1]), a[1] + Number(m[2])], [0, 0]);
  return { passed: passed + host[0], failed: failed + host[1] };
}

// What failed, in a few lines per test, so that the end of a long CI log names it.
function failureDigest(out) {
  const lines = [];
  for (const m of out.matchAll(/\[host\] ✗ .*/g)) lines.push(m[0]);
  const idx = out.search(/^\s*\d+ failing/m);
  if (idx >= 0) {
    let block = out.slice(idx).split('\n');
    const end = block.findIndex((l, i) => i > 0 && /^(=====|windows: platform)/.test(l));
    if (end > 0) block = block.slice(0, end);
    // Keep each failure's title and the first lines of its error; drop the long stack traces.
    lines.push(...block.filter((l) => !/^\s+at /.test(l)).slice(0, 120));
  }
  return lines.join('\n').slice(0, 12_000);
}

const summary = [];
let failedLayers = 0;
const steps = {
  static: async () => {
    // Types, lint (TypeScript, and flake8 for the Python Ferry ships and the stand-in runs), and
    // `npm run package` (the .vsix builds offline and holds only what runs).
    const checks = [['npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']], ['npx', ['tsc', '-p', 'webviews/tsconfig.json', '--noEmit']], ['npx', ['eslint', '.']], ['flake8', []], ['node', ['scripts/package.mjs']]];
    let passed = 0;
    for (const [cmd, args] of checks) {
      // dist/ was built just before the layers run: packaging need not build it again.
      const r = await run(cmd, args, { FERRY_SKIP_BUILD: '1' });
      if (r.code !== 0) return { code: r.code, passed, failed: 1, out: `1 failing\n  1) ${cmd} ${args.join(' ')} exited with ${r.code}\n${r.out.slice(-3000)}` };
      passed++;
    }
    return { code: 0, passed, failed: 0 };
  },
  unit: async () => run('npx', ['mocha', '--config', '.mocharc.unit.json']),
  integration: async () => run('npx', ['mocha', '--config', '.mocharc.integration.json']),
  editor: async () => run('node', ['scripts/editor/run-editor-tests.mjs'], { FERRY_SKIP_BUILD: '1' }),
  windows: async () => (fs.existsSync('scripts/windows/run-windows-tests.mjs') ? run('node', ['scripts/windows/run-windows-tests.mjs']) : { code: 0, out: '' }),
};

const build = await run('npx', ['webpack', '--mode', 'production']);
if (build.code !== 0) process.exit(build.code);
const compile = await run('npx', ['tsc', '-p', 'tsconfig.test.json']);
if (compile.code !== 0) process.exit(compile.code);

for (const layer of layers) {
  const started = Date.now();
  process.stdout.write(`\n===== ${layer} =====\n`);
  const r = await steps[layer]();
  const c = r.passed !== undefined ? { passed: r.passed, failed: r.failed } : counts(r.out);
  if (r.code !== 0 && c.failed === 0) c.failed = 1;
  if (r.code !== 0) failedLayers++;
  summary.push({ layer, ...c, seconds: Math.round((Date.now() - started) / 1000), code: r.code, digest: r.code && r.out ? failureDigest(r.out) : '' });
}

for (const s of summary.filter((x) => x.digest)) process.stdout.write(`\n===== what failed: ${s.layer} =====\n${s.digest}\n`);
process.stdout.write('\n===== summary =====\n');
for (const s of summary) process.stdout.write(`${s.layer.padEnd(12)} ${String(s.passed).padStart(5)} passed ${String(s.failed).padStart(4)} failed  (${s.seconds} s)${s.code ? '  <-- FAILED' : ''}\n`);
const total = summary.reduce((a, s) => [a[0] + s.passed, a[1] + s.failed], [0, 0]);
process.stdout.write(`${total[0]} passed, ${total[1]} failed\n`);
process.exit(failedLayers ? 1 : 0);
