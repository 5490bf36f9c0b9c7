// Ferry's reading of ~/.aws/config and ~/.aws/credentials must agree with the AWS SDK it hands the
// profile to: the same sections, keys (indented ones included) and region precedence (AWS_REGION
// first, as the SDK's own region provider has it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { SettingsAwsConnectionSource } from '../../../src/aws/awsConnection';
import { listProfiles, profileRegion } from '../../../src/aws/profiles';

const CONFIG = [
  '[default]',
  'region = eu-west-1',
  '',
  '# a profile written with indented keys (editors and generators do this)',
  '[profile indented]',
  '  region = ap-southeast-2',
  '  output = json',
  '',
  '[profile nested]',
  'region = us-west-2',
  's3 =',
  '  addressing_style = path',
  '',
].join('\n');

describe('AWS profiles (read as the SDK reads them)', () => {
  let dir: string;
  const saved: Record<string, string | undefined> = {};
  const vars = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_REGION', 'AWS_PROFILE'];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-aws-ini-'));
    fs.writeFileSync(path.join(dir, 'config'), CONFIG);
    fs.writeFileSync(
      path.join(dir, 'credentials'),
      '[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s\n[indented]\n  aws_access_key_id = AKIAOTHER\n  aws_secret_access_key = t\n',
    );
    for (const v of vars) saved[v] = process.env[v];
  });
  beforeEach(() => {
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    delete process.env.AWS_REGION;
    delete process.env.AWS_PROFILE;
  });
  after(() => {
    for (const v of vars) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads the region of a profile whose keys are indented, as the SDK does', async () => {
    const sdk = await loadSharedConfigFiles({ filepath: path.join(dir, 'credentials'), configFilepath: path.join(dir, 'config'), ignoreCache: true });
    assert.equal(sdk.configFile.indented?.region, 'ap-southeast-2', 'the SDK reads the indented key');
    assert.equal(await profileRegion('indented'), sdk.configFile.indented?.region);
    assert.equal(await profileRegion('nested'), 'us-west-2');
  });

  it('lists the same profiles as the SDK, with the kind taken from indented keys too', async () => {
    const profiles = await listProfiles();
    assert.deepEqual(
      profiles.map((p) => [p.name, p.kind, p.source, p.region]),
      [
        ['default', 'keys', 'both', 'eu-west-1'],
        ['indented', 'keys', 'both', 'ap-southeast-2'],
        ['nested', 'other', 'config', 'us-west-2'],
      ],
    );
  });

  it('AWS_REGION wins over the profile and the setting, as in the SDK', async () => {
    process.env.AWS_REGION = 'sa-east-1';
    const source = new SettingsAwsConnectionSource(
      { profile: 'indented', region: 'us-east-2', s3Endpoint: '', athenaEndpoint: '', athenaRegion: '' },
      () => async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }),
    );
    await source.ready();
    assert.equal(source.current().region, 'sa-east-1');
    delete process.env.AWS_REGION;
    source.refresh();
    await source.ready();
    assert.equal(source.current().region, 'ap-southeast-2', "without AWS_REGION the profile's region");
  });
});
