// Which compiled test files the Windows run takes, and which it leaves out and why.
//
// Everything under test/unit and test/integration runs under Windows Node, except:
//   1. files named `*.linux.test.ts`: Linux-only by name. A comment line near the top that starts
//      with `Linux-only:` gives the reason shown in the run (`// Linux-only: compares with /usr/bin/aws`);
//   2. files listed in LINUX_ONLY below, with the reason (for suites whose name we do not own);
//   3. files that load a native module (DuckDB's bindings, …) when they load, directly or through
//      the code they import from out/src or out/test: those cannot load in Windows Node. Found by
//      reading the compiled requires, reported with the chain, so nothing disappears silently.
// Single tests opt out with `[linux-only]` in their title, or by a LINUX_ONLY_TESTS entry below;
// the runner turns both into one mocha `--grep … --invert`.
import fs from 'node:fs';
import path from 'node:path';

export const LINUX_ONLY_TAG = '[linux-only]';

// The run suites come back by themselves once their fixture takes the external stand-in.
const RUN_FIXTURE = {
  reason:
    "its fixture (test/integration/run/fixture.ts) starts its own Databricks stand-in in the test process with /usr/bin/python3; it runs here once the fixture takes FERRY_DATABRICKS_URL (like standIns.ts's databricksStandIn())",
  applies: (root) => !/FERRY_DATABRICKS_URL|databricksStandIn\(/.test(readOr(path.join(root, 'test/integration/run/fixture.ts'))),
};

function readOr(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Suites whose file name we do not own: 'test/…/x.test.ts' → reason, or { reason, applies(root) }. */
export const LINUX_ONLY = {
  'test/integration/athena/cli.test.ts': 'drives /usr/bin/aws (the AWS CLI as a client of the stand-in)',
  'test/integration/sandbox/demo.test.ts': "runs the demo's train.py with /usr/bin/python3 on this machine",
  'test/integration/sandbox/launcher.test.ts':
    'runs the sandbox launcher, a Linux dev tool (the Athena stand-in with DuckDB in-process, code-server, POSIX process groups and signals)',
  'test/integration/run/run.test.ts': RUN_FIXTURE,
  'test/integration/run/jobs.test.ts': RUN_FIXTURE,
};

/** Single tests: a piece of their full title ("describe … it") → the file they are in and why. */
export const LINUX_ONLY_TESTS = {
  'athena stand-in with @aws-sdk/client-athena keeps the catalog across a restart of the stand-in': {
    file: 'test/integration/athena/sdk.test.ts',
    reason: 'restarts the Athena stand-in in the test process (DuckDB is native)',
  },
  'S3 explorer: Parquet preview over range requests': {
    file: 'test/integration/s3/s3Explorer.test.ts',
    reason: 'writes its Parquet fixture with DuckDB (native) in the test process',
  },
};

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The mocha --grep source that, inverted, leaves out every Linux-only test. */
export function linuxOnlyGrep() {
  return [LINUX_ONLY_TAG, ...Object.keys(LINUX_ONLY_TESTS)].map(escapeRe).join('|');
}

/** npm packages with native bindings (a .node file): they cannot load in Windows Node here. */
export const NATIVE_PACKAGES = ['@duckdb/node-api', '@duckdb/node-bindings', 'duckdb', 'kerberos', 'better-sqlite3', 'sqlite3', 'cpu-features', 'ssh2'];

const ROOTS = ['test/unit', 'test/integration'];

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const toPosix = (p) => p.split(path.sep).join('/');
const compiledOf = (ts) => toPosix(path.join('out', ts.replace(/\.ts$/, '.js')));

/**
 * What a compiled file requires as it loads. A dynamic import() (compiled to
 * `Promise.resolve().then(() => __importStar(require('x')))`) loads only when reached: it is
 * returned apart, as `lazy`, since only the tests that reach it need marking.
 */
function requiresOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  const eager = [];
  const lazy = [];
  for (const m of text.matchAll(/require\((['"])([^'"]+)\1\)/g)) {
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    (/then\(\(\) => (__importStar\()?$/.test(before) ? lazy : eager).push(m[2]);
  }
  return { eager, lazy };
}

function resolveLocal(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, `${base}.js`, path.join(base, 'index.js')]) if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  return undefined;
}

/**
 * The chain of requires from `file` to a native package, or undefined. Follows out/src and
 * out/test only: stand-ins (out/sandbox) run in Linux Node in this run, so what they load does
 * not matter here.
 */
export function nativeChain(root, file) {
  const outSrc = path.join(root, 'out', 'src');
  const outTest = path.join(root, 'out', 'test');
  const seen = new Set();
  const visit = (f, chain) => {
    if (seen.has(f)) return undefined;
    seen.add(f);
    for (const spec of requiresOf(f).eager) {
      if (NATIVE_PACKAGES.some((p) => spec === p || spec.startsWith(`${p}/`))) return [...chain, spec];
      if (!spec.startsWith('.')) continue;
      const next = resolveLocal(f, spec);
      if (!next || !(next.startsWith(outSrc) || next.startsWith(outTest))) continue;
      const hit = visit(next, [...chain, toPosix(path.relative(root, next))]);
      if (hit) return hit;
    }
    return undefined;
  };
  return visit(file, [toPosix(path.relative(root, file))]);
}

function reasonFromHeader(tsFile) {
  const head = fs.readFileSync(tsFile, 'utf8').split('\n').slice(0, 15);
  const line = head.find((l) => /^\s*\/\/\s*Linux-only:/i.test(l));
  return line ? line.replace(/^\s*\/\/\s*Linux-only:\s*/i, '').trim() : 'named *.linux.test.ts';
}

/**
 * Returns { specs, excluded, missing }: specs are compiled paths relative to root (with '/');
 * excluded are { file, reason }; missing are sources whose compiled file is absent (not built).
 * Only sources that exist count, so stale files left in out/ by deleted tests never run.
 */
/** Native packages a compiled test file loads lazily (dynamic import) with no test of it listed. */
export function lazyNative(root, js) {
  if (Object.values(LINUX_ONLY_TESTS).some((t) => compiledOf(t.file) === js)) return [];
  return requiresOf(path.join(root, js)).lazy.filter((spec) => NATIVE_PACKAGES.some((p) => spec === p || spec.startsWith(`${p}/`)));
}

export function selectSpecs(root, only = []) {
  const sources = ROOTS.flatMap((r) => walk(path.join(root, r)))
    .map((p) => toPosix(path.relative(root, p)))
    .sort();
  const specs = [];
  const excluded = [];
  const missing = [];
  for (const ts of sources) {
    const js = compiledOf(ts);
    if (only.length && !only.some((o) => toPosix(o) === js || toPosix(o) === ts)) continue;
    if (!fs.existsSync(path.join(root, js))) {
      missing.push(ts);
      continue;
    }
    if (ts.endsWith('.linux.test.ts')) {
      excluded.push({ file: ts, reason: reasonFromHeader(path.join(root, ts)) });
      continue;
    }
    const listed = typeof LINUX_ONLY[ts] === 'string' ? { reason: LINUX_ONLY[ts], applies: () => true } : LINUX_ONLY[ts];
    if (listed && listed.applies(root)) {
      excluded.push({ file: ts, reason: listed.reason });
      continue;
    }
    const chain = nativeChain(root, path.join(root, js));
    if (chain) {
      excluded.push({ file: ts, reason: `loads a native module: ${chain.join(' → ')}` });
      continue;
    }
    specs.push(js);
  }
  return { specs, excluded, missing };
}
