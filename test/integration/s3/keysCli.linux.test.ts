// Linux-only: drives Debian's AWS CLI (/usr/bin/aws, botocore) as a second, independent client.
// The same verbatim keys as keys.test.ts, put, listed, fetched and deleted with `aws s3api`.
// botocore sends encoding-type=url on every listing and decodes the answer itself, so this also
// checks the stand-in's form-style encoding against a client that is not ours.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { S3Endpoint, s3StandIn, scratchDir, uniqueSuffix } from '../standIns';
import { ENCODED_ONLY_KEYS, VERBATIM_KEYS } from './verbatimKeys';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';

describe('S3 stand-in keys with the AWS CLI', function () {
  this.timeout(180_000);
  let standIn: S3Endpoint;
  let env: NodeJS.ProcessEnv;
  const bucket = `ferry-cli-keys-${uniqueSuffix()}`;
  const tmp = scratchDir('s3cli');

  async function s3api(...args: string[]): Promise<Record<string, unknown>> {
    const { stdout } = await run(AWS, ['s3api', ...args, '--endpoint-url', standIn.endpoint, '--region', 'us-east-1', '--output', 'json'], {
      env,
      maxBuffer: 16 << 20,
    });
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  }

  before(async () => {
    assert.ok(fs.existsSync(AWS), 'Debian AWS CLI missing: apt-get install awscli');
    standIn = await s3StandIn();
    env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: standIn.accessKeyId,
      AWS_SECRET_ACCESS_KEY: standIn.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    };
    await s3api('create-bucket', '--bucket', bucket);
  });
  after(async () => {
    await standIn?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('round-trips the keys through put-object, list-objects-v2, get-object, delete-object and delete-objects', async () => {
    // One call is a Python start (about a second): the keys a file-per-key store cannot hold, not all.
    const keys = [...VERBATIM_KEYS.filter((k) => /^(long|multi|a\/\/|x\/\.\.|\/leading| spaces|dots\/sub)/.test(k)), ...ENCODED_ONLY_KEYS];
    assert.equal(keys.length, 9);
    const src = path.join(tmp, 'src.txt');
    for (const [i, key] of keys.entries()) {
      fs.writeFileSync(src, `body ${i}`);
      await s3api('put-object', '--bucket', bucket, '--key', key, '--body', src);
    }
    const listed = (await s3api('list-objects-v2', '--bucket', bucket, '--page-size', '4')) as { Contents?: Array<{ Key: string }> };
    const sorted = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    assert.deepEqual(
      (listed.Contents ?? []).map((c) => c.Key),
      sorted,
    );
    for (const [i, key] of keys.entries()) {
      const out = path.join(tmp, `out-${i}`);
      await s3api('get-object', '--bucket', bucket, '--key', key, out);
      assert.equal(fs.readFileSync(out, 'utf8'), `body ${i}`, `get-object ${JSON.stringify(key)}`);
    }
    // DeleteObjects echoes keys in XML with no encoding-type, so keys with control characters
    // (which XML 1.0 cannot carry) go one by one.
    const plain = keys.filter((k) => !ENCODED_ONLY_KEYS.includes(k));
    for (const key of [plain[0], ...ENCODED_ONLY_KEYS]) await s3api('delete-object', '--bucket', bucket, '--key', key);
    const batch = path.join(tmp, 'delete.json');
    fs.writeFileSync(batch, JSON.stringify({ Objects: plain.slice(1).map((Key) => ({ Key })) }));
    const deleted = (await s3api('delete-objects', '--bucket', bucket, '--delete', `file://${batch}`)) as {
      Deleted?: Array<{ Key: string }>;
      Errors?: unknown[];
    };
    assert.deepEqual((deleted.Deleted ?? []).map((d) => d.Key).sort(), plain.slice(1).sort());
    assert.equal(deleted.Errors, undefined);
    const after = (await s3api('list-objects-v2', '--bucket', bucket)) as { Contents?: unknown[] };
    assert.deepEqual(after.Contents ?? [], []);
  });

  it('gets a bare 400 for a key that climbs out with ../', async () => {
    const src = path.join(tmp, 'x.txt');
    fs.writeFileSync(src, 'x');
    const err = await s3api('put-object', '--bucket', bucket, '--key', '../escape.txt', '--body', src).then(
      () => undefined,
      (e: { stderr?: string }) => e,
    );
    assert.ok(err, 'the CLI stored a ../ key');
    assert.match(String((err as { stderr?: string }).stderr), /400|Bad Request/);
  });
});
