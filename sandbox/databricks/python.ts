// Finds the Python interpreter the stand-in runs user code with: opts.python, else env
// FERRY_PYTHON, else the first candidate that imports pandas and matplotlib (the first python3
// on PATH may lack them; Debian's /usr/bin/python3 with python3-pandas has them).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface PythonInfo {
  /** The interpreter to use, when one was found. */
  path?: string;
  /** Why none fits, in words a user can act on. */
  problem?: string;
}

export const PYTHON_MISSING_HINT =
  'The Databricks stand-in needs python3 with pandas and matplotlib (and scikit-learn for the demos). On Debian/Ubuntu: ' +
  'apt-get install python3-pandas python3-matplotlib python3-sklearn; or point FERRY_PYTHON at an interpreter that has them.';

const cache = new Map<string, Promise<string | undefined>>();

function probe(python: string): Promise<string | undefined> {
  let p = cache.get(python);
  if (!p) {
    p = new Promise((resolve) => {
      execFile(
        python,
        ['-c', 'import pandas, matplotlib; print("ok")'],
        { timeout: 30_000, env: { ...process.env, MPLBACKEND: 'Agg' } },
        (err, stdout, stderr) => {
          if (!err && stdout.includes('ok')) resolve(undefined);
          else resolve((stderr || (err ? err.message : '')).trim().split('\n').pop() ?? 'failed');
        },
      );
    });
    cache.set(python, p);
  }
  return p;
}

function candidates(): string[] {
  const out: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of process.platform === 'win32' ? ['python.exe', 'python3.exe'] : ['python3']) {
      const f = path.join(dir, name);
      if (dir && fs.existsSync(f) && !out.includes(f)) out.push(f);
    }
  }
  for (const f of ['/usr/bin/python3', '/usr/local/bin/python3', '/opt/homebrew/bin/python3']) if (!out.includes(f) && fs.existsSync(f)) out.push(f);
  return out;
}

export async function findPython(preferred?: string): Promise<PythonInfo> {
  const explicit = preferred ?? process.env.FERRY_PYTHON;
  if (explicit) {
    const problem = await probe(explicit);
    return problem ? { problem: `${explicit} cannot run stand-in code (${problem}). ${PYTHON_MISSING_HINT}` } : { path: explicit };
  }
  const tried: string[] = [];
  for (const c of candidates()) {
    const problem = await probe(c);
    if (!problem) return { path: c };
    tried.push(`${c}: ${problem}`);
  }
  return { problem: `No Python with pandas and matplotlib found (${tried.join('; ') || 'no python3 on PATH'}). ${PYTHON_MISSING_HINT}` };
}

const envs = new Map<string, Promise<string>>();

/**
 * The driver's Python environment: a virtual environment over `python` with its site packages
 * (pandas, matplotlib, scikit-learn stay importable), so that `pip install` from user code installs
 * into the session's Python as it does on a cluster, where Debian's own Python refuses it (PEP 668).
 * Made once per folder, without pip of its own (the system's pip runs in it); the interpreter path.
 */
export function driverEnvironment(python: string, dir: string): Promise<string> {
  const key = `${python}\u0000${dir}`;
  let p = envs.get(key);
  if (!p) {
    const bin = process.platform === 'win32' ? path.join(dir, 'Scripts', 'python.exe') : path.join(dir, 'bin', 'python');
    p = fs.existsSync(bin)
      ? Promise.resolve(bin)
      : new Promise<string>((resolve, reject) => {
          execFile(python, ['-m', 'venv', '--system-site-packages', '--without-pip', dir], { timeout: 120_000 }, (err, _stdout, stderr) => {
            if (err) reject(new Error(`could not make the driver's Python environment in ${dir}: ${(stderr || err.message).trim()}`));
            else resolve(bin);
          });
        });
    envs.set(key, p);
    p.catch(() => envs.delete(key));
  }
  return p;
}
