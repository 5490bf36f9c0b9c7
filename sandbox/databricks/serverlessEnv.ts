// Serverless environments of the stand-in's job runs: an environment spec's dependencies are pip
// requirement lines (docs/reference/services-2026.md §2), installed offline into a venv that
// sees the stand-in Python's own packages (python3 -m venv --system-site-packages; pip --no-index,
// so a specifier is satisfied only by what that Python already has, and wheels come from workspace,
// volume or DBFS paths). One venv per distinct spec, kept for later runs, as serverless caches
// environments. How a real workspace reports an install failure is [unconfirmed]; the stand-in
// fails the task with pip's own last lines.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface EnvironmentSpec {
  environment_version?: string;
  base_environment?: string;
  client?: string;
  dependencies?: string[];
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}`.trim() });
    });
  });
}

export class ServerlessEnvironments {
  private readonly ready = new Map<string, Promise<{ python?: string; problem?: string }>>();

  constructor(private readonly root: string) {}

  /**
   * The interpreter for a spec: the base Python when there is nothing to install, else a venv with
   * the dependencies. `toDisk` turns a dependency that names a file (workspace, volume, DBFS path)
   * into its file on disk; other lines go to pip as they are.
   */
  prepare(basePython: string, spec: EnvironmentSpec, toDisk: (dep: string) => string | undefined): Promise<{ python?: string; problem?: string }> {
    const deps = (spec.dependencies ?? []).map((d) => toDisk(d) ?? d);
    if (!deps.length) return Promise.resolve({ python: basePython });
    const key = crypto
      .createHash('sha256')
      .update(JSON.stringify([basePython, spec.environment_version ?? spec.client ?? '', deps]))
      .digest('hex')
      .slice(0, 16);
    let p = this.ready.get(key);
    if (!p) {
      p = this.create(basePython, path.join(this.root, key), deps);
      this.ready.set(key, p);
      // A failed install is tried again by the next run (the files may have been fixed).
      void p.then((r) => r.problem && this.ready.delete(key));
    }
    return p;
  }

  private async create(basePython: string, dir: string, deps: string[]): Promise<{ python?: string; problem?: string }> {
    const python = process.platform === 'win32' ? path.join(dir, 'Scripts', 'python.exe') : path.join(dir, 'bin', 'python');
    const marker = path.join(dir, '.ferry-ready');
    if (fs.existsSync(marker)) return { python };
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const venv = await run(basePython, ['-m', 'venv', '--system-site-packages', dir], 120_000);
    if (venv.code !== 0) return { problem: `Could not create the serverless environment: ${venv.output.split('\n').slice(-3).join(' ')}` };
    const pip = await run(python, ['-m', 'pip', 'install', '--no-index', '--no-build-isolation', '--disable-pip-version-check', '-q', ...deps], 300_000);
    if (pip.code !== 0) return { problem: `Library installation failed for the serverless environment: ${pip.output.split('\n').slice(-4).join(' ')}` };
    fs.writeFileSync(marker, deps.join('\n'));
    return { python };
  }
}
