// Starts the S3 stand-in (the key store in ./store.ts behind S3's REST protocol) in its own Node
// process on a loopback port. Used by the integration tests, the editor tests, the benchmarks and
// the sandbox. The caller gets the endpoint, the keys, the admin token for /__admin, and hears of
// an exit it did not ask for (onUnexpectedExit), with the stand-in's last stderr lines.
import fs from 'node:fs';
import path from 'node:path';
import { ChildExit, newAdminToken, startChildStandIn } from '../kernel';

export const S3_ACCESS_KEY = 'S3RVER';
export const S3_SECRET_KEY = 'S3RVER';

export interface S3StandIn {
  endpoint: string;
  port: number;
  /** The stand-in's process id. */
  pid: number;
  dataDir: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `Authorization: Bearer <adminToken>` opens /__admin on this stand-in. */
  adminToken: string;
  /** Calls `fn` if the process exits without stop(), with its exit and last stderr lines. */
  onUnexpectedExit(fn: (exit: ChildExit) => void): void;
  stderrTail(): string[];
  stop(): Promise<void>;
}

export interface S3StandInOptions {
  dataDir: string;
  port?: number;
  buckets?: string[];
  /** The admin token (default: a fresh random one). */
  adminToken?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

export async function startS3StandIn(opts: S3StandInOptions): Promise<S3StandIn> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const adminToken = opts.adminToken ?? newAdminToken('ferry-s3-admin-');
  const accessKeyId = opts.accessKeyId ?? S3_ACCESS_KEY;
  const secretAccessKey = opts.secretAccessKey ?? S3_SECRET_KEY;
  const child = await startChildStandIn<{ port: number }>({
    name: 'the S3 stand-in',
    script: path.join(__dirname, 'main.js'),
    args: [opts.dataDir, String(opts.port ?? 0), (opts.buckets ?? []).join(',')],
    env: { ...process.env, NODE_OPTIONS: '', FERRY_S3_ACCESS_KEY: accessKeyId, FERRY_S3_SECRET_KEY: secretAccessKey, FERRY_S3_ADMIN_TOKEN: adminToken },
  });
  const port = child.ready.port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    dataDir: opts.dataDir,
    accessKeyId,
    secretAccessKey,
    adminToken,
    onUnexpectedExit: (fn) => child.onUnexpectedExit(fn),
    stderrTail: () => child.stderrTail(),
    stop: () => child.stop(),
  };
}
