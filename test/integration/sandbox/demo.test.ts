// The demo content against real stand-ins: seeding S3, and the training script itself run by the
// Python the stand-in cluster uses, with the environment the launcher gives that Python.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startS3StandIn, S3StandIn } from '../../../sandbox/s3/standIn';
import { DEMO_BUCKET, PREDICTIONS_PREFIX } from '../../../sandbox/demo/data';
import { seedDatabricks, seedS3 } from '../../../sandbox/demo/seed';
import { clusterPythonEnv } from '../../../sandbox/launcher/clusterEnv';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const DEMO = path.join(REPO, 'sandbox', 'demo', 'workspace');
const PYTHON = process.env.FERRY_PYTHON || '/usr/bin/python3';

function runPython(script: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const clean = { ...process.env };
    for (const k of Object.keys(clean)) if (k.startsWith('AWS_')) delete clean[k];
    const p = spawn(PYTHON, [script], { env: { ...clean, HOME: os.tmpdir(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => resolve({ code, out }));
  });
}

describe('sandbox demo content on the stand-ins', function () {
  this.timeout(90_000);
  let s3: S3StandIn;
  let client: S3Client;

  before(async () => {
    s3 = await startS3StandIn({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-demo-s3-')), buckets: [] });
    client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
  });
  after(async () => {
    client?.destroy();
    await s3?.stop();
  });

  const target = () => ({
    region: 'us-east-1',
    s3: { endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    workspaceDir: DEMO,
  });

  it('seeds the raw CSV into s3://ferry-demo/raw/, creating the bucket, twice without harm', async () => {
    assert.equal((await seedS3(target())).status, 'done');
    const step = await seedS3(target());
    assert.equal(step.status, 'done', step.detail);
    assert.match(step.detail, /s3:\/\/ferry-demo\/raw\/customers\.csv \(1200 rows\)/);
  });

  it('reports wrong S3 keys as a failed step, without the secret', async () => {
    const step = await seedS3({ ...target(), s3: { endpoint: s3.endpoint, accessKeyId: 'NOPE', secretAccessKey: 'very-secret-value' } });
    assert.equal(step.status, 'failed');
    assert.doesNotMatch(step.detail, /very-secret-value/);
  });

  it('train.py reads the raw data with boto3 from the environment and writes predictions back to S3', async function () {
    if (!fs.existsSync(PYTHON)) throw new Error(`${PYTHON} (with pandas, scikit-learn, boto3) is needed`);
    const env = clusterPythonEnv({ s3, settings: { 'ferry.aws.region': 'us-east-1' } });
    const r = await runPython(path.join(DEMO, 'train.py'), env);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /read 1200 customers from 1 file/);
    const auc = Number(/test ROC AUC: ([\d.]+)/.exec(r.out)?.[1]);
    assert.ok(auc > 0.7, `the model learned little: AUC ${auc}`);
    const got = await client.send(new GetObjectCommand({ Bucket: DEMO_BUCKET, Key: `${PREDICTIONS_PREFIX}churn_predictions.csv` }));
    const lines = ((await got.Body?.transformToString()) ?? '').trim().split('\n');
    assert.equal(lines[0], 'customer_id,region,plan,churn_probability,predicted_churn');
    assert.equal(lines.length, 1201);
    assert.match(lines[1], /^C00001,\w+,\w+,[01](\.\d+)?,[01]$/);
  });

  it('train.py without the sandbox endpoint fails plainly instead of reaching AWS', async function () {
    const r = await runPython(path.join(DEMO, 'train.py'), {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'y',
      AWS_MAX_ATTEMPTS: '1',
    });
    assert.notEqual(r.code, 0);
    assert.match(r.out, /Could not connect|EndpointConnectionError|Connection refused/i);
  });

  it('reports a Databricks workspace that refuses the token as a failed step, without the token', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error_code: 403, message: 'Invalid access token.' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      const step = await seedDatabricks({ ...target(), databricks: { host: `http://127.0.0.1:${port}`, token: 'dapi-wrong-token' } });
      assert.equal(step.status, 'failed');
      assert.match(step.detail, /HTTP 403/);
      assert.doesNotMatch(step.detail, /dapi-wrong-token/);
    } finally {
      server.close();
    }
  });
});
