// CLI entry of the Athena stand-in: `node out/sandbox/athena/main.js --data-dir D --s3-endpoint URL
// [--port N] [--access-key K --secret-key S] [--output-location s3://b/p/]`. Prints one JSON line
// ({ endpoint, port, adminToken }) once it listens, and stops on SIGTERM / SIGINT. The admin token
// (for /__admin) comes from FERRY_ATHENA_ADMIN_TOKEN, else a fresh one.
import { startAthenaStandIn } from './standIn';

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const dataDir = arg('data-dir');
  const s3Endpoint = arg('s3-endpoint');
  if (!dataDir || !s3Endpoint) {
    process.stderr.write(
      'usage: main.js --data-dir DIR --s3-endpoint URL [--port N] [--access-key K] [--secret-key S] [--output-location s3://bucket/prefix/]\n',
    );
    process.exit(2);
  }
  const output = arg('output-location');
  const standIn = await startAthenaStandIn({
    dataDir,
    port: Number(arg('port', '0')),
    s3: { endpoint: s3Endpoint, accessKeyId: arg('access-key', 'S3RVER')!, secretAccessKey: arg('secret-key', 'S3RVER')! },
    workGroups: output ? [{ name: 'primary', outputLocation: output }] : undefined,
    adminToken: process.env.FERRY_ATHENA_ADMIN_TOKEN || undefined,
  });
  process.stdout.write(`${JSON.stringify({ endpoint: standIn.endpoint, port: standIn.port, adminToken: standIn.adminToken })}\n`);
  const stop = () => void standIn.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
