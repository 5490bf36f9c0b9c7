// `npm test`: every layer, in order, with a count per layer and one closing line.
//   lint + types → unit → integration → editor (real VS Code in Chromium) → Windows (Windows Node under Wine)
// FERRY_LAYERS=unit,integration limits the run (for quick local loops); CI runs them all.
import fs from 'node:fs';
import { runLayer as run } from './lib/runLayer.mjs';

const all = ['static', 'unit', 'integration', 'editor', 'windows'];
const layers = (process.env.FERRY_LAYERS || all.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

// A layer that does not finish in its time is stopped and fails, naming itself: CI has a hard limit
// (90 min), and a run that hangs there (a test once left a listener open and mocha never exited)
// says nothing at all. Minutes per layer, and for the whole run; FERRY_LAYER_MINUTES=editor:50 overrides.
const budgetMinutes = { static: 10, unit: 5, integration: 25, editor: 40, windows: 20 };
for (const pair of (process.env.FERRY_LAYER_MINUTES || '').split(',').filter(Boolean)) {
  const [name, minutes] = pair.split(':');
  if (name && Number(minutes) > 0) budgetMinutes[name] = Number(minutes);
}
const runDeadline = Date.now() + Number(process.env.FERRY_RUN_MINUTES || 80) * 60_000;

/** The time a layer may take: its own budget, and no more than what is left of the run's. */
function layerTimeout(layer) {
  return Math.max(60_000, Math.min((budgetMinutes[layer] ?? 30) * 60_000, runDeadline - Date.now()));
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
    // Types, lint (TypeScript, Prettier's check of the one style, and flake8 for the Python Ferry ships and the stand-in runs), and
    // `npm run package` (the .vsix builds offline and holds only what runs).
    const checks = [
      ['npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
      ['npx', ['tsc', '-p', 'webviews/tsconfig.json', '--noEmit']],
      ['npx', ['eslint', '.']],
      ['npx', ['prettier', '--check', '{src,test,sandbox,bench,webviews,scripts}/**/*.{ts,mjs}']],
      ['flake8', []],
      ['node', ['scripts/package.mjs']],
    ];
    let passed = 0;
    for (const [cmd, args] of checks) {
      // dist/ was built just before the layers run: packaging need not build it again.
      const r = await run(cmd, args, { FERRY_SKIP_BUILD: '1' }, layerTimeout('static'));
      if (r.code !== 0)
        return { code: r.code, passed, failed: 1, out: `1 failing\n  1) ${cmd} ${args.join(' ')} exited with ${r.code}\n${r.out.slice(-3000)}` };
      passed++;
    }
    return { code: 0, passed, failed: 0 };
  },
  unit: async () => run('npx', ['mocha', '--config', '.mocharc.unit.json'], {}, layerTimeout('unit')),
  integration: async () => run('npx', ['mocha', '--config', '.mocharc.integration.json'], {}, layerTimeout('integration')),
  editor: async () => run('node', ['scripts/editor/run-editor-tests.mjs'], { FERRY_SKIP_BUILD: '1' }, layerTimeout('editor')),
  windows: async () =>
    fs.existsSync('scripts/windows/run-windows-tests.mjs')
      ? run('node', ['scripts/windows/run-windows-tests.mjs'], {}, layerTimeout('windows'))
      : { code: 0, out: '' },
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
for (const s of summary)
  process.stdout.write(
    `${s.layer.padEnd(12)} ${String(s.passed).padStart(5)} passed ${String(s.failed).padStart(4)} failed  (${s.seconds} s)${s.code ? '  <-- FAILED' : ''}\n`,
  );
const total = summary.reduce((a, s) => [a[0] + s.passed, a[1] + s.failed], [0, 0]);
process.stdout.write(`${total[0]} passed, ${total[1]} failed\n`);
process.exit(failedLayers ? 1 : 0);
