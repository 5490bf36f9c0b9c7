// Command-line entry of the Databricks stand-in, for the sandbox and the Windows runner:
//   node out/sandbox/databricks/main.js [--port N] [--data-dir DIR] [--token T] [--fast] [--latency-ms N] [--python PATH]
// Prints one JSON line {url, token, signInPassword, port, dataDir, clusterIds, python} and serves until
// SIGINT/SIGTERM. The token is also the admin token; the password opens the OAuth sign-in page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findPython } from './python';
import { FAST_TIMINGS, startDatabricksStandIn } from './standIn';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const dataDir = arg('data-dir') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-databricks-'));
  const python = arg('python');
  const db = await startDatabricksStandIn({
    dataDir,
    port: Number(arg('port') ?? 0),
    token: arg('token') ?? process.env.FERRY_DATABRICKS_TOKEN,
    latencyMs: arg('latency-ms') ? Number(arg('latency-ms')) : undefined,
    timings: process.argv.includes('--fast') ? FAST_TIMINGS : undefined,
    python,
  });
  const py = await findPython(python);
  if (py.problem) process.stderr.write(`warning: ${py.problem}\n`);
  process.stdout.write(
    `${JSON.stringify({ url: db.url, token: db.token, signInPassword: db.signInPassword, port: db.port, dataDir, clusterIds: db.clusterIds, python: py.path ?? null })}\n`,
  );
  const stop = (): void => {
    void db.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
