// Starts the S3 stand-in (s3rver) in its own Node process with the legacy OpenSSL provider, on a
// loopback port. Used by the integration tests, the editor tests, the benchmarks and the sandbox.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const S3_ACCESS_KEY = 'S3RVER';
export const S3_SECRET_KEY = 'S3RVER';

export interface S3StandIn {
  endpoint: string;
  port: number;
  dataDir: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

export async function startS3StandIn(opts: { dataDir: string; port?: number; buckets?: string[] }): Promise<S3StandIn> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const main = path.join(__dirname, 's3rverMain.js');
  const child = spawn(process.execPath, ['--openssl-legacy-provider', main, opts.dataDir, String(opts.port ?? 0), (opts.buckets ?? []).join(',')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3rver did not start in 30 s: ${err}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with ${code}: ${err}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    dataDir: opts.dataDir,
    accessKeyId: S3_ACCESS_KEY,
    secretAccessKey: S3_SECRET_KEY,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
