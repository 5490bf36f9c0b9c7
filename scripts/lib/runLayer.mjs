// Runs one step of `npm test` as a child process, echoing its output and keeping it for the counts.
// With a time limit, a step that overruns is stopped together with everything it started (its own
// process group) and fails with exit code 124 and a mocha-style "1 failing" line naming it.
import { spawn } from 'node:child_process';

/** Processes of the steps now running, so that stopping `npm test` stops them as well. */
const running = new Set();
let hooked = false;

function stopGroup(child, signal) {
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function hookSignals() {
  if (hooked) return;
  hooked = true;
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => {
      for (const child of running) stopGroup(child, 'SIGKILL');
      process.exit(130);
    });
}

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {Record<string, string>} [env]
 * @param {number} [timeoutMs] 0: no limit
 * @param {{ quiet?: boolean, graceMs?: number }} [options]
 * @returns {Promise<{ code: number, out: string, timedOut?: boolean }>}
 */
export function runLayer(cmd, args, env = {}, timeoutMs = 0, options = {}) {
  hookSignals();
  const graceMs = options.graceMs ?? 5000;
  return new Promise((resolve) => {
    let out = '';
    let done = false;
    /** Set once the step overran: how it ends then. */
    let overran;
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    running.add(child);
    child.stdout.on('data', (d) => {
      out += d;
      if (!options.quiet) process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      if (!options.quiet) process.stderr.write(d);
    });
    const finish = (r) => {
      if (done) return;
      done = true;
      running.delete(child);
      clearTimeout(timer);
      resolve(r);
    };
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            const minutes = timeoutMs >= 60_000 ? `${Math.round(timeoutMs / 60_000)} min` : `${Math.round(timeoutMs / 1000)} s`;
            const step = `${cmd} ${args.join(' ')}`.replace(/\s+/g, ' ').slice(0, 200);
            const note = `${step} did not finish within ${minutes} and was stopped`;
            if (!options.quiet) process.stdout.write(`\n===== ${note} =====\n`);
            overran = () => finish({ code: 124, out: `${out}\n1 failing\n  1) ${note}\n`, timedOut: true });
            stopGroup(child, 'SIGTERM');
            setTimeout(() => stopGroup(child, 'SIGKILL'), graceMs).unref();
            // Not only on 'close': a process it started in another group may hold the pipes open.
            setTimeout(overran, graceMs + 1000).unref();
          }, timeoutMs)
        : undefined;
    child.on('error', (err) => finish({ code: 127, out: `${out}\n${cmd}: ${err.message}\n` }));
    child.on('close', (code) => (overran ? overran() : finish({ code: code ?? 1, out })));
  });
}
