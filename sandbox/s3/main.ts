// Child-process entry of the S3 stand-in: `node out/sandbox/s3/main.js <dataDir> <port> <buckets,…>`
// with the keys and the admin token in the environment (FERRY_S3_ACCESS_KEY, FERRY_S3_SECRET_KEY,
// FERRY_S3_ADMIN_TOKEN), never on the command line where `ps` shows them. Prints one JSON line
// with the bound port; writes what it refuses and anything that goes wrong to stderr.
import { startS3Server } from './server';

async function main(): Promise<void> {
  const [dataDir, portArg, bucketsArg] = process.argv.slice(2);
  const env = (name: string): string => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set`);
    return v;
  };
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  // A stand-in answers errors; it never dies of one. Anything that escapes is written out first.
  process.on('uncaughtException', (err) => log(`S3 stand-in: uncaught ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => log(`S3 stand-in: unhandled rejection ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
  const server = await startS3Server({
    dataDir,
    port: Number(portArg || 0),
    buckets: (bucketsArg || '').split(',').filter(Boolean),
    creds: { accessKeyId: env('FERRY_S3_ACCESS_KEY'), secretAccessKey: env('FERRY_S3_SECRET_KEY') },
    adminToken: env('FERRY_S3_ADMIN_TOKEN'),
    log,
  });
  log(`S3 stand-in: listening on ${server.url} (pid ${process.pid}, data in ${dataDir})`);
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
  const stop = (): void => {
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`S3 stand-in failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
