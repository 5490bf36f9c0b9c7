// The S3 area through the real vscode API inside the editor, on the sandbox's S3 stand-in: the s3: file
// system reads and writes objects (hostile keys included), the size guard refuses a large object,
// and a profile switch rebuilds the clients at once (nothing cached for the old profile is used).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CreateBucketCommand, PutObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

const BUCKET = `ferry-host-s3-${Date.now().toString(36)}`;

function cfg(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('ferry');
}

function uri(key: string): vscode.Uri {
  return vscode.Uri.from({ scheme: 's3', authority: BUCKET, path: `/${key}` });
}

async function settle(ms = 300): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

describe('S3 (extension host)', function () {
  this.timeout(60_000);
  let client: S3Client;

  before(async () => {
    const ext = vscode.extensions.getExtension('ferry-dev.ferry');
    await ext?.activate();
    const endpoint = cfg().get<string>('s3.endpoint');
    assert.ok(endpoint, 'the sandbox sets ferry.s3.endpoint');
    client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  after(() => client?.destroy());

  it('opens, edits and saves an object with a hostile key through the s3: file system', async () => {
    const key = 'notes/ä b+c%d#e.txt';
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'first line\n' }));
    const doc = await vscode.workspace.openTextDocument(uri(key));
    assert.equal(doc.getText(), 'first line\n');
    await vscode.workspace.fs.writeFile(uri(key), new TextEncoder().encode('edited in Ferry\n'));
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    assert.equal(await got.Body?.transformToString(), 'edited in Ferry\n');
    const stat = await vscode.workspace.fs.stat(uri(key));
    assert.equal(stat.size, 16);
  });

  it('refuses to open an object above ferry.s3.maxEditSizeMB, naming the setting', async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'big.txt', Body: 'x'.repeat(1_600_000) }));
    await cfg().update('s3.maxEditSizeMB', 1, vscode.ConfigurationTarget.Global);
    try {
      await settle();
      await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(uri('big.txt'))), /maxEditSizeMB/);
    } finally {
      await cfg().update('s3.maxEditSizeMB', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('switching the profile rebuilds the clients at once, and switching back works again', async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'probe.txt', Body: 'ok' }));
    const original = cfg().get<string>('aws.profile');
    assert.equal((await vscode.workspace.fs.stat(uri('probe.txt'))).size, 2);
    await cfg().update('aws.profile', 'ferry-no-such-profile', vscode.ConfigurationTarget.Global);
    try {
      await settle();
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(uri('probe.txt'))), /credentials|profile|ferry-no-such-profile/i);
    } finally {
      await cfg().update('aws.profile', original, vscode.ConfigurationTarget.Global);
    }
    await settle();
    assert.equal((await vscode.workspace.fs.stat(uri('probe.txt'))).size, 2);
  });

  it('registers every S3 and AWS command', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of [
      'ferry.s3.upload',
      'ferry.s3.download',
      'ferry.s3.delete',
      'ferry.s3.createFolder',
      'ferry.s3.copyUri',
      'ferry.s3.copyPresignedUrl',
      'ferry.s3.filter',
      'ferry.s3.goTo',
      'ferry.s3.loadMore',
      'ferry.aws.selectProfile',
    ]) {
      assert.ok(all.has(id), id);
    }
  });
});
