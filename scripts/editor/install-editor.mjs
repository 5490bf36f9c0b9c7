// Installs code-server (VS Code's own server + web workbench) into a cache folder outside the
// extension's node_modules, exactly as docs/notes/real-editor.md describes, so that the editor
// tests and `npm run sandbox` can open a real VS Code on a machine with no internet but npm.
// Idempotent: a second run finds the install and returns at once.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';

export function cacheRoot() {
  return process.env.FERRY_CACHE || path.join(os.homedir(), '.cache', 'ferry');
}

export function editorDir() {
  return path.join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
}

export function codeServerBin() {
  return path.join(editorDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function which(cmd) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const p = path.join(dir, cmd);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

/** @vscode/ripgrep downloads rg in its postinstall; seed its cache with the system rg instead. */
function seedRipgrepCache() {
  const rg = fs.existsSync('/usr/bin/rg') ? '/usr/bin/rg' : which('rg');
  if (!rg) throw new Error('ripgrep is missing: install the Debian package "ripgrep" (apt-get install ripgrep)');
  const dir = path.join(os.tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const archive = path.join(dir, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (fs.existsSync(archive)) return;
  fs.mkdirSync(dir, { recursive: true });
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-rg-'));
  fs.copyFileSync(rg, path.join(stage, 'rg'));
  fs.chmodSync(path.join(stage, 'rg'), 0o755);
  execFileSync('tar', ['-czf', archive, '-C', stage, 'rg']);
  fs.rmSync(stage, { recursive: true, force: true });
}

export function installEditor({ quiet = false } = {}) {
  if (fs.existsSync(codeServerBin())) {
    if (!quiet) process.stdout.write(`editor: code-server ${CODE_SERVER_VERSION} already in ${editorDir()}\n`);
    return codeServerBin();
  }
  if (process.platform !== 'linux') {
    throw new Error('The code-server editor harness runs on Linux; elsewhere use `npm run test:electron`.');
  }
  seedRipgrepCache();
  const dir = editorDir();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'ferry-editor', private: true, dependencies: { 'code-server': CODE_SERVER_VERSION } }, null, 2),
  );
  const started = Date.now();
  process.stdout.write(`editor: installing code-server ${CODE_SERVER_VERSION} into ${dir} (about a minute)\n`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    stdio: quiet ? 'ignore' : 'inherit',
    // npm 11 skips dependencies' install scripts unless allowed; code-server's postinstall is what
    // installs its own VS Code server, so it must run.
    env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true', npm_config_dangerously_allow_all_scripts: 'true' },
  });
  if (!fs.existsSync(codeServerBin())) throw new Error(`code-server did not install into ${dir}`);
  process.stdout.write(`editor: installed in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return codeServerBin();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  installEditor();
}
