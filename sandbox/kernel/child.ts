// A stand-in that runs in a child process: started with Node, ready when it prints one JSON line on
// stdout, its stderr kept (the last lines) for the report when it dies. An exit that stop() did not
// ask for is "unexpected": listeners hear of it with the exit code or signal and the stderr tail, so
// that the launcher and the test fixtures can say so loudly and stop instead of carrying on.
import { ChildProcess, spawn } from 'node:child_process';

export interface ChildExit {
  name: string;
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines the child wrote to stderr, oldest first. */
  stderrTail: string[];
}

export interface ChildStandIn<T> {
  /** The ready line's JSON. */
  ready: T;
  pid: number;
  /** The last stderr lines so far. */
  stderrTail(): string[];
  /** Calls `fn` once if the child exits without stop() (at once if it already did). */
  onUnexpectedExit(fn: (exit: ChildExit) => void): void;
  /** Whether the child has exited, for whatever reason. */
  exited(): boolean;
  stop(): Promise<void>;
}

export interface ChildStandInOptions {
  /** Named in messages: "the S3 stand-in". */
  name: string;
  script: string;
  args?: string[];
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
  /** How many stderr lines to keep (default 40). */
  keepLines?: number;
}

/** One paragraph that says which stand-in died, how, and what it wrote last. */
export function describeExit(e: ChildExit): string {
  const how = e.signal ? `signal ${e.signal}` : `exit code ${e.code}`;
  const tail = e.stderrTail.length ? e.stderrTail.map((l) => `  | ${l}`).join('\n') : '  | (it wrote nothing to stderr)';
  return `${e.name} (pid ${e.pid}) exited (${how}) while it was still needed. Its last stderr lines:\n${tail}`;
}

export async function startChildStandIn<T>(opts: ChildStandInOptions): Promise<ChildStandIn<T>> {
  const keep = opts.keepLines ?? 40;
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeArgs ?? []), opts.script, ...(opts.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: opts.env ?? process.env,
  });
  const tail: string[] = [];
  let partial = '';
  child.stderr?.on('data', (d: Buffer) => {
    const lines = (partial + d.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    tail.push(...lines.filter((l) => l.length));
    if (tail.length > keep) tail.splice(0, tail.length - keep);
  });
  const stderrTail = (): string[] => (partial ? [...tail, partial].slice(-keep) : [...tail]);
  let stopping = false;
  let exit: ChildExit | undefined;
  const listeners: Array<(e: ChildExit) => void> = [];
  const exitedPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exit = { name: opts.name, pid: child.pid ?? 0, code, signal, stderrTail: stderrTail() };
      resolve();
      if (!stopping) for (const fn of listeners.splice(0)) fn(exit);
    });
  });
  child.on('error', () => undefined);

  const ready = await new Promise<T>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`${opts.name} did not start in ${(opts.readyTimeoutMs ?? 30_000) / 1000} s:\n${stderrTail().join('\n')}`)),
      opts.readyTimeoutMs ?? 30_000,
    );
    const onData = (d: Buffer): void => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{') && l.endsWith('}'));
      if (!line) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      try {
        resolve(JSON.parse(line) as T);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    };
    child.stdout?.on('data', onData);
    void exitedPromise.then(() => {
      clearTimeout(timer);
      reject(new Error(exit ? describeExit(exit) : `${opts.name} exited before it was ready`));
    });
  });

  return {
    ready,
    pid: child.pid ?? 0,
    stderrTail,
    exited: () => exit !== undefined,
    onUnexpectedExit: (fn) => {
      if (exit && !stopping) fn(exit);
      else if (!exit) listeners.push(fn);
    },
    stop: async () => {
      stopping = true;
      if (exit) return;
      const hard = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.kill('SIGTERM');
      await exitedPromise;
      clearTimeout(hard);
    },
  };
}
