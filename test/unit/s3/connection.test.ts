import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AwsConnectionSettings, SettingsAwsConnectionSource } from '../../../src/aws/awsConnection';
import { listProfiles } from '../../../src/aws/profiles';

const base: AwsConnectionSettings = { profile: '', region: 'us-east-1', s3Endpoint: '', athenaEndpoint: '', athenaRegion: '' };

describe('AWS connection and profiles', () => {
  let dir: string;
  const saved = { config: process.env.AWS_CONFIG_FILE, creds: process.env.AWS_SHARED_CREDENTIALS_FILE };
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-aws-'));
    fs.writeFileSync(
      path.join(dir, 'config'),
      '[default]\nregion = eu-west-1\n\n[profile sso-dev]\nsso_session = corp\nsso_account_id = 1\nregion = eu-central-1\n[profile tool]\ncredential_process = /bin/creds\n# comment\n[profile assumed]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n[sso-session corp]\nsso_start_url = https://x\n',
    );
    fs.writeFileSync(
      path.join(dir, 'credentials'),
      '[default]\naws_access_key_id = AKIA\naws_secret_access_key = s\n[keys-only]\naws_access_key_id = A\naws_secret_access_key = B\n',
    );
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
  });
  after(() => {
    if (saved.config === undefined) delete process.env.AWS_CONFIG_FILE;
    else process.env.AWS_CONFIG_FILE = saved.config;
    if (saved.creds === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
    else process.env.AWS_SHARED_CREDENTIALS_FILE = saved.creds;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists profiles from both files named by AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, with their kind', async () => {
    const profiles = await listProfiles();
    assert.deepEqual(
      profiles.map((p) => [p.name, p.kind, p.source]),
      [
        ['default', 'keys', 'both'],
        ['assumed', 'role', 'config'],
        ['keys-only', 'keys', 'credentials'],
        ['sso-dev', 'sso', 'config'],
        ['tool', 'process', 'config'],
      ],
    );
  });

  it("uses the profile's region, else the setting, and fires onDidChange only on a real change", async () => {
    const made: Array<string | undefined> = [];
    const source = new SettingsAwsConnectionSource({ ...base, profile: 'sso-dev' }, (p) => {
      made.push(p);
      return async () => ({ accessKeyId: 'a', secretAccessKey: 'b' });
    });
    await source.ready();
    assert.equal(source.current().region, 'eu-central-1');
    assert.equal(source.current().profile, 'sso-dev');
    let fired = 0;
    const sub = source.onDidChange(() => fired++);
    assert.equal(source.update({ ...base, profile: 'sso-dev' }), false);
    assert.equal(fired, 0);
    source.update({ ...base, profile: 'tool', region: 'ap-south-1' });
    assert.equal(fired, 1);
    assert.equal(source.current().region, 'ap-south-1');
    source.update({ ...base, profile: 'tool', region: 'ap-south-1', s3Endpoint: ' http://127.0.0.1:9000 ' });
    assert.equal(fired, 2);
    assert.equal(source.current().s3Endpoint, 'http://127.0.0.1:9000');
    sub.dispose();
    source.update(base);
    assert.equal(fired, 2);
    assert.deepEqual(made, ['sso-dev', 'tool', 'tool', undefined]);
    assert.equal(source.current().region, 'eu-west-1', 'the default profile names eu-west-1');
  });

  it('reads credentials for a profile from the files through the SDK chain', async () => {
    const source = new SettingsAwsConnectionSource({ ...base, profile: 'keys-only' });
    const creds = await source.current().credentials();
    assert.equal(creds.accessKeyId, 'A');
    const missing = new SettingsAwsConnectionSource({ ...base, profile: 'no-such-profile' });
    await assert.rejects(missing.current().credentials(), /no-such-profile|Could not (load|resolve) credentials|not found/i);
  });
});
