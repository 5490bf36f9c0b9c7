// S3 listing and transfer against Debian's AWS CLI on the same S3 stand-in, in the same run:
//   - listing N keys under one prefix: time to the first page (1,000 keys, the tree's first page)
//     and to the whole listing;
//   - an upload and a download of one large file (multipart up, streamed down).
// Sizes from the environment (defaults are the issue's: 100,000 keys, 1 GiB):
//   FERRY_BENCH_S3_KEYS, FERRY_BENCH_S3_MB, FERRY_BENCH_S3_CONCURRENCY (default 10, the CLI's
//   max_concurrent_requests), FERRY_BENCH_S3_PART_MB (default 8, the CLI's multipart_chunksize),
//   FERRY_BENCH_AWS (default /usr/bin/aws). Prints each timing and Ferry/CLI ratios (< 1 = Ferry faster).
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { startS3StandIn } from '../../sandbox/s3/standIn';
import { AwsClients } from '../../src/aws/clients';
import { S3Service } from '../../src/aws/s3/s3Service';
import { downloadKeys, planUpload, uploadFiles } from '../../src/aws/s3/transfer';

const run = promisify(execFile);
const KEYS = Number(process.env.FERRY_BENCH_S3_KEYS ?? 100_000);
const MB = Number(process.env.FERRY_BENCH_S3_MB ?? 1024);
const CONCURRENCY = Number(process.env.FERRY_BENCH_S3_CONCURRENCY ?? 10);
const PART_MB = Number(process.env.FERRY_BENCH_S3_PART_MB ?? 8);
const AWS = process.env.FERRY_BENCH_AWS ?? '/usr/bin/aws';

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

function md5(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('md5');
    fs.createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-s3-'));
  const server = await startS3StandIn({ dataDir: path.join(root, 'data') });
  const cliEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: server.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: path.join(root, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'no-credentials'),
    AWS_PAGER: '',
  };
  const cli = (args: string[]) => run(AWS, [...args, '--endpoint-url', server.endpoint], { env: cliEnv, maxBuffer: 1 << 30 });
  const conn = {
    region: 'us-east-1',
    credentials: async () => ({ accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey }),
    s3Endpoint: server.endpoint,
  };
  const s3 = new S3Service(
    new AwsClients({ current: () => conn, onDidChange: () => ({ dispose() {} }) }, { checksum: 'WHEN_SUPPORTED', forcePathStyle: true }),
  );
  const client = s3.clients.client();
  const bucket = 'ferry-bench';
  const lines: string[] = [];
  const report = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  try {
    console.log(`S3 stand-in at ${server.endpoint}; ${(await run(AWS, ['--version'])).stdout.trim()}`);
    const cliStart = await timed(() => run(AWS, ['--version']));
    console.log(`AWS CLI start-up alone (aws --version): ${secs(cliStart.ms)} — included in every CLI time below`);
    await client.send(new CreateBucketCommand({ Bucket: bucket }));

    if (KEYS > 0) {
      const prefix = 'keys/';
      const seed = await timed(async () => {
        let next = 0;
        await Promise.all(
          Array.from({ length: 32 }, async () => {
            while (next < KEYS) {
              const i = next++;
              await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}part-${String(i).padStart(7, '0')}.csv`, Body: 'x' }));
            }
          }),
        );
      });
      console.log(`seeded ${KEYS.toLocaleString()} keys in ${secs(seed.ms)}`);
      // Alternate who goes first, so a warm server favours neither.
      const ferryFirst = await timed(() => s3.listLevel(bucket, prefix, undefined, 1000));
      const cliFirst = await timed(() =>
        cli(['s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', prefix, '--delimiter', '/', '--max-items', '1000', '--page-size', '1000']),
      );
      const cliCount = (JSON.parse(cliFirst.value.stdout) as { Contents?: unknown[] }).Contents?.length ?? 0;
      if (ferryFirst.value.objects.length !== 1000 && KEYS >= 1000) throw new Error(`Ferry's first page had ${ferryFirst.value.objects.length} keys`);
      if (cliCount !== Math.min(1000, KEYS)) throw new Error(`the CLI's first page had ${cliCount} keys`);
      const cliAll = await timed(() => cli(['s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', prefix, '--query', 'length(Contents)']));
      const ferryAll = await timed(() => s3.countKeys(bucket, prefix));
      const cliAllCount = Number(cliAll.value.stdout.trim());
      if (ferryAll.value !== KEYS || cliAllCount !== KEYS) throw new Error(`full listing: Ferry ${ferryAll.value}, CLI ${cliAllCount}, expected ${KEYS}`);
      report(
        `list first page (1,000 of ${KEYS.toLocaleString()}): Ferry ${secs(ferryFirst.ms)}  CLI ${secs(cliFirst.ms)}  ratio ${(ferryFirst.ms / cliFirst.ms).toFixed(2)}`,
      );
      report(
        `list all ${KEYS.toLocaleString()} keys:            Ferry ${secs(ferryAll.ms)}  CLI ${secs(cliAll.ms)}  ratio ${(ferryAll.ms / cliAll.ms).toFixed(2)}`,
      );
    }

    if (MB > 0) {
      const file = path.join(root, 'big.bin');
      const fd = fs.openSync(file, 'w');
      const chunk = randomBytes(16 * 1024 * 1024);
      for (let i = 0; i < MB; i += 16) fs.writeSync(fd, chunk, 0, Math.min(16, MB - i) * 1024 * 1024);
      fs.closeSync(fd);
      const sum = await md5(file);
      const ferryUp = await timed(() =>
        uploadFiles(s3, bucket, planUpload([file], 'ferry/'), { concurrency: CONCURRENCY, partSizeBytes: PART_MB * 1024 * 1024 }),
      );
      if (ferryUp.value.failed.length) throw new Error(`Ferry upload failed: ${ferryUp.value.failed[0].reason}`);
      const cliUp = await timed(() => cli(['s3', 'cp', '--only-show-errors', file, `s3://${bucket}/cli/big.bin`]));
      const ferryDir = path.join(root, 'down-ferry');
      const ferryDown = await timed(() =>
        downloadKeys(s3, bucket, 'cli/', [{ key: 'cli/big.bin', size: MB * 1024 * 1024 }], ferryDir, { concurrency: CONCURRENCY, partSizeBytes: 0 }),
      );
      if (ferryDown.value.failed.length) throw new Error(`Ferry download failed: ${ferryDown.value.failed[0].reason}`);
      const cliFile = path.join(root, 'down-cli.bin');
      const cliDown = await timed(() => cli(['s3', 'cp', '--only-show-errors', `s3://${bucket}/ferry/big.bin`, cliFile]));
      // Each side downloads what the other uploaded: both directions are checked byte for byte.
      const [a, b] = await Promise.all([md5(path.join(ferryDir, 'big.bin')), md5(cliFile)]);
      if (a !== sum || b !== sum) throw new Error(`checksum mismatch: ${sum} ferry-down ${a} cli-down ${b}`);
      const mbps = (ms: number) => `${(MB / (ms / 1000)).toFixed(0)} MB/s`;
      report(
        `upload ${MB} MB (concurrency ${CONCURRENCY}, ${PART_MB} MB parts): Ferry ${secs(ferryUp.ms)} (${mbps(ferryUp.ms)})  CLI ${secs(cliUp.ms)} (${mbps(cliUp.ms)})  ratio ${(ferryUp.ms / cliUp.ms).toFixed(2)}`,
      );
      report(
        `download ${MB} MB:                         Ferry ${secs(ferryDown.ms)} (${mbps(ferryDown.ms)})  CLI ${secs(cliDown.ms)} (${mbps(cliDown.ms)})  ratio ${(ferryDown.ms / cliDown.ms).toFixed(2)}`,
      );
    }
    console.log('\nsummary (ratio = Ferry time / CLI time; below 1 means Ferry is faster)');
    for (const l of lines) console.log(`  ${l}`);
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
