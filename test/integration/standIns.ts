// The stand-ins an integration suite talks to. When the run is given stand-ins that are already
// running (the Windows run: tests in Windows Node under Wine, stand-ins in Linux Node), their URLs
// come through the environment; otherwise the suite starts its own. Suites must therefore use
// unique bucket names, paths and ids per run, and reach fault injection and counters over HTTP.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startS3StandIn } from '../../sandbox/s3/standIn';

export interface S3Endpoint {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Stops the stand-in if this suite started it; a no-op for an external one. */
  stop(): Promise<void>;
}

export function scratchDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ferry-${prefix}-`));
}

/** A unique suffix for bucket names and paths (lower-case letters and digits). */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export async function s3StandIn(): Promise<S3Endpoint> {
  if (process.env.FERRY_S3_ENDPOINT) {
    return { endpoint: process.env.FERRY_S3_ENDPOINT, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', stop: async () => undefined };
  }
  const s3 = await startS3StandIn({ dataDir: scratchDir('s3') });
  return { endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, stop: () => s3.stop() };
}
