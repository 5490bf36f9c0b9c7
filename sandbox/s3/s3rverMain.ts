// Child-process entry for the S3 stand-in. s3rver builds ListObjectsV2 continuation tokens with
// DES, which OpenSSL 3 disables, so this process must run with --openssl-legacy-provider; the
// parent (standIn.ts) starts it that way. Prints one JSON line with the bound port.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

async function main(): Promise<void> {
  const [dataDir, portArg, bucketsArg] = process.argv.slice(2);
  const buckets = (bucketsArg || '').split(',').filter(Boolean).map((name) => ({ name }));
  const server = new S3rver({ address: '127.0.0.1', port: Number(portArg || 0), directory: dataDir, silent: true, configureBuckets: buckets });
  const address = await server.run();
  process.stdout.write(JSON.stringify({ port: address.port }) + '\n');
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n');
  process.exit(1);
});
