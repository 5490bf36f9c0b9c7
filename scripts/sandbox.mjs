// `npm run sandbox`: builds what is out of date (the extension bundle with webpack, the launcher
// with tsc), installs code-server into the cache if the browser editor is wanted and missing,
// then runs the compiled launcher (sandbox/launcher/main.ts), passing signals through so that
// Ctrl+C stops everything. Own flags: --rebuild (build even if up to date), --skip-build.
// Every other flag goes to the launcher: `npm run sandbox -- --help`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installEditor } from './editor/install-editor.mjs';

const t0 = Date.now();
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const rebuild = args.includes('--rebuild');
const skipBuild = args.includes('--skip-build') || process.env.FERRY_SKIP_BUILD === '1';
const launcherArgs = args.filter((a) => a !== '--rebuild' && a !== '--skip-build');
const rel = (...p) => path.join(repo, ...p);

function newest(paths) {
  let latest = 0;
  const walk = (p) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p)) if (name !== 'node_modules') walk(path.join(p, name));
    } else latest = Math.max(latest, st.mtimeMs);
  };
  paths.forEach(walk);
  return latest;
}

function builtAt(files) {
  let oldest = Infinity;
  for (const f of files) {
    if (!fs.existsSync(f)) return 0;
    oldest = Math.min(oldest, fs.statSync(f).mtimeMs);
  }
  return oldest;
}

function step(label, file, fileArgs) {
  const started = Date.now();
  process.stdout.write(`sandbox: ${label}…\n`);
  // Node runs the tools' own entry points: no npx and no shell, so this works the same on Windows.
  const r = spawnSync(process.execPath, [file, ...fileArgs], { cwd: repo, stdio: 'inherit' });
  process.stdout.write(`sandbox: ${label} took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return r.status ?? 1;
}

if (!skipBuild) {
  const extensionSources = newest([rel('src'), rel('webviews'), rel('package.json'), rel('webpack.config.js'), rel('tsconfig.json')]);
  if (rebuild || builtAt([rel('dist', 'extension.js'), rel('dist', 'webviews', 'main.js')]) < extensionSources) {
    if (step('building the extension (webpack)', rel('node_modules', 'webpack-cli', 'bin', 'cli.js'), ['--mode', 'development']) !== 0) process.exit(1);
  }
  const launcherSources = Math.max(extensionSources, newest([rel('sandbox'), rel('test', 'editor', 'harness.ts')]));
  if (rebuild || builtAt([rel('out', 'sandbox', 'launcher', 'main.js')]) < launcherSources) {
    // Type errors elsewhere must not stop the sandbox: tsc still emits, and the launcher is checked below.
    step('compiling the launcher (tsc)', rel('node_modules', 'typescript', 'bin', 'tsc'), ['-p', rel('sandbox', 'launcher', 'tsconfig.json')]);
  }
}
const launcher = rel('out', 'sandbox', 'launcher', 'main.js');
if (!fs.existsSync(launcher)) {
  process.stderr.write(`sandbox: ${launcher} is missing; run without --skip-build\n`);
  process.exit(1);
}

// The browser editor is code-server, installed once into the cache (about a minute on first run).
const wantsBrowser =
  launcherArgs.includes('--browser') ||
  (!launcherArgs.includes('--desktop') && !launcherArgs.includes('--no-editor') && !launcherArgs.includes('--help') && !onPath('code'));
if (wantsBrowser) installEditor();

function onPath(cmd) {
  const exts = process.platform === 'win32' ? ['.cmd', '.exe', ''] : [''];
  return (process.env.PATH || '').split(path.delimiter).some((d) => d && exts.some((e) => fs.existsSync(path.join(d, cmd + e))));
}

const child = spawn(process.execPath, [launcher, ...launcherArgs], { cwd: repo, stdio: 'inherit', env: { ...process.env, FERRY_SANDBOX_T0: String(t0) } });
// Pass signals on; the launcher ignores a repeat of the same signal (a terminal's Ctrl+C reaches
// the whole process group, so it may get the same SIGINT from us and from the terminal).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
