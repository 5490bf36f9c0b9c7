// The command texts Ferry sends to a cluster, around its session code (src/run/python/ferry_runtime.py):
// each run command carries the session code, compressed, and installs it as the module
// `ferry_runtime` unless that version is there already; a read command asks an installed one for
// one slice of a run's spool. The .py file ships in the package (dist/python, copied by webpack)
// and is read from the source tree when the tests run the compiled TypeScript.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export const RUNTIME_FILE_NAME = 'ferry_runtime.py';

/** Where the session code is: beside the bundle (dist/python), or in the source tree (tests, benches). */
export function runtimeCandidates(base = __dirname): string[] {
  return [
    path.join(base, 'python', RUNTIME_FILE_NAME),
    path.resolve(base, '../../../../src/run/python', RUNTIME_FILE_NAME),
    path.resolve(base, '../python', RUNTIME_FILE_NAME),
  ];
}

export interface RunArgs {
  /** The run's id: names its spool on the driver. */
  run: string;
  code: string;
  /** The remote (driver) path the code is attributed to. */
  file: string;
  /** The remote project root; modules below it are reloaded when their file changed. */
  root: string;
  /** 0-based line of the file where `code` starts. */
  offset: number;
  /** Most rows of a table per display() (10,000, the service's own table cap). */
  maxRows: number;
  /** The most characters the command's own result may hold. */
  budget: number;
  /** Spools of earlier runs that were read to the end and can be removed. */
  drop: string[];
  /** The session's id: the run lists the session's variables under it, for the Session view. */
  session?: string;
}

export class SessionRuntime {
  readonly version: string;
  private readonly packed: string;

  constructor(readonly source: string) {
    this.version = crypto.createHash('sha256').update(source).digest('hex').slice(0, 16);
    this.packed = zlib.deflateSync(Buffer.from(source, 'utf8'), { level: 9 }).toString('base64');
  }

  static load(file?: string): SessionRuntime {
    const candidates = file ? [file] : runtimeCandidates();
    for (const f of candidates) {
      if (fs.existsSync(f)) return new SessionRuntime(fs.readFileSync(f, 'utf8'));
    }
    throw new Error(`Ferry's session code (${RUNTIME_FILE_NAME}) is missing from the extension (looked in ${candidates.join(', ')}); reinstall the extension.`);
  }

  /** Python that installs this version of the runtime as `ferry_runtime` (a no-op when it is there). */
  install(): string {
    return [
      'def __ferry_boot(packed, version):',
      '    import base64, sys, types, zlib',
      "    m = sys.modules.get('ferry_runtime')",
      "    if m is None or getattr(m, 'VERSION', None) != version:",
      "        m = types.ModuleType('ferry_runtime')",
      "        m.__file__ = '<ferry_runtime>'",
      "        exec(compile(zlib.decompress(base64.b64decode(packed)).decode('utf-8'), '<ferry_runtime>', 'exec'), m.__dict__)",
      '        m.VERSION = version',
      "        sys.modules['ferry_runtime'] = m",
      '    return m',
      `__ferry_boot('${this.packed}', '${this.version}')`,
      'del __ferry_boot',
    ].join('\n');
  }

  /** The whole text of a run command. */
  runCommand(args: RunArgs): string {
    const b64 = Buffer.from(JSON.stringify(args), 'utf8').toString('base64');
    return `${this.install()}\nimport sys as __ferry_sys\n__ferry_sys.modules['ferry_runtime'].run('${b64}', globals())\ndel __ferry_sys\n`;
  }

  /** A read command for a context where this version is installed. */
  readCommand(runId: string, offset: number, budget: number, hint: number, limit = 0): string {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(runId)) throw new Error(`not a run id: ${runId}`);
    const h = Number.isFinite(hint) && hint > 0 ? hint.toFixed(4) : '0';
    const n = (v: number) => Math.max(0, Math.floor(Number.isFinite(v) ? v : 0));
    return `import sys as __ferry_sys\n__ferry_sys.modules['ferry_runtime'].read('${runId}', ${n(offset)}, ${n(budget)}, ${h}, ${n(limit)})\ndel __ferry_sys\n`;
  }
}
