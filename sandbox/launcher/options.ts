// Command-line options of `npm run sandbox` (`npm run sandbox -- --help`).
import os from 'node:os';
import path from 'node:path';

export type EditorMode = 'auto' | 'browser' | 'desktop' | 'none';

export interface SandboxOptions {
  /** Where the sandbox keeps its data, credentials, workspace and editor profile. */
  dataDir: string;
  editor: EditorMode;
  /** Open the URL in the system browser (code-server mode) when a display is available. */
  open: boolean;
  /** Start, wait until the workbench is ready, stop everything and exit 0 (for tests and timing). */
  exitWhenReady: boolean;
  /** Load the workbench in headless Chromium before printing the ready line. */
  verify: boolean;
  /** Wipe the data folder first. */
  fresh: boolean;
  /** Port for code-server; 0 picks a free one. */
  port: number;
  /** Put a real proxy (tinyproxy) and TLS with a throwaway corporate CA between the editor and the stand-ins. */
  proxy: boolean;
  help: boolean;
}

export const USAGE = `Usage: npm run sandbox -- [options]

Starts local stand-ins of S3, Athena and Databricks with demo content and opens VS Code with
Ferry connected to them. Ctrl+C stops everything.

  --browser            code-server in the browser (the default when \`code\` is not on PATH)
  --desktop            desktop VS Code via \`code --extensionDevelopmentPath\` (default when \`code\` is on PATH)
  --no-editor          start the services only
  --no-open            do not open a browser; just print the URL
  --port <n>           code-server port (default: a free one)
  --data-dir <dir>     data folder (default: $FERRY_CACHE/sandbox or ~/.cache/ferry/sandbox)
  --fresh              wipe the data folder first (buckets, workspace, editor profile)
  --proxy              reach the stand-ins through tinyproxy (http.proxy) over TLS with a throwaway
                       corporate CA (ferry.network.caFile); Debian: apt-get install tinyproxy
  --verify             load the workbench in headless Chromium before saying "ready"
  --exit-when-ready    stop everything once ready and exit (implies --verify in the browser mode)
  --help               this text
`;

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.FERRY_CACHE || path.join(os.homedir(), '.cache', 'ferry');
  return path.join(cache, 'sandbox');
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): SandboxOptions {
  const opts: SandboxOptions = {
    dataDir: defaultDataDir(env),
    editor: 'auto',
    open: true,
    exitWhenReady: false,
    verify: false,
    fresh: false,
    port: 0,
    proxy: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--browser':
        opts.editor = 'browser';
        break;
      case '--desktop':
        opts.editor = 'desktop';
        break;
      case '--no-editor':
        opts.editor = 'none';
        break;
      case '--no-open':
      case '--no-browser':
        opts.open = false;
        break;
      case '--verify':
        opts.verify = true;
        break;
      case '--exit-when-ready':
        opts.exitWhenReady = true;
        opts.open = false;
        break;
      case '--fresh':
        opts.fresh = true;
        break;
      case '--proxy':
        opts.proxy = true;
        break;
      case '--data-dir':
        opts.dataDir = path.resolve(value());
        break;
      case '--port': {
        const raw = value();
        const port = Number(raw);
        if (!/^\d+$/.test(raw) || port > 65535) throw new Error(`--port wants a number from 0 to 65535, not "${raw}"`);
        opts.port = port;
        break;
      }
      case '--help':
      case '-h':
        opts.help = true;
        break;
      default:
        throw new Error(`Unknown option "${arg}"\n\n${USAGE}`);
    }
  }
  return opts;
}

/** Finds an executable on PATH (with PATHEXT on Windows) without running a shell. */
export function which(
  cmd: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  exists: (p: string) => boolean,
): string | undefined {
  const sep = platform === 'win32' ? ';' : ':';
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  const exts = platform === 'win32' ? (env.PATHEXT || '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean) : [''];
  for (const dir of (env.PATH || env.Path || '').split(sep).filter(Boolean)) {
    for (const ext of exts) {
      const candidate = join(dir, cmd + ext.toLowerCase());
      if (exists(candidate)) return candidate;
      if (ext && exists(join(dir, cmd + ext))) return join(dir, cmd + ext);
    }
  }
  return undefined;
}

/** Which editor to open: desktop VS Code when `code` is on PATH, else code-server in the browser. */
export function resolveEditor(mode: EditorMode, codeOnPath: string | undefined): 'browser' | 'desktop' | 'none' {
  if (mode === 'auto') return codeOnPath ? 'desktop' : 'browser';
  if (mode === 'desktop' && !codeOnPath)
    throw new Error('--desktop needs the `code` command on PATH (VS Code: "Shell Command: Install \'code\' command in PATH")');
  return mode;
}
