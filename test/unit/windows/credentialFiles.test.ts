// The user's own credential files, found where Windows keeps them: %USERPROFILE%\.aws and
// %USERPROFILE%\.databrickscfg (Windows has no HOME), or wherever their environment variables
// point, in files written on Windows (CRLF, a BOM, paths with spaces and unicode).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultCredentials } from '../../../src/aws/awsConnection';
import { awsFilePaths, listProfiles, profileRegion } from '../../../src/aws/profiles';
import { configFilePath, parseConfigFile, resolveConfig } from '../../../src/databricks/config';

const AWS_VARS = [
  'HOME',
  'USERPROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
];

/** Runs `fn` with some environment variables replaced (undefined removes one), then restores them. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T> | T): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (v: Record<string, string | undefined>) => {
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined) delete process.env[k];
      else process.env[k] = val;
    }
  };
  set(vars);
  try {
    return await fn();
  } finally {
    set(saved);
  }
}

const windowsHome = (home: string) => Object.fromEntries(AWS_VARS.map((k) => [k, k === 'USERPROFILE' ? home : undefined]));

describe('credential files in the Windows home and through their variables', () => {
  let tmp: string;
  let home: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-home-'));
    home = path.join(tmp, 'Users', 'Ana Lópes 数据');
    fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
    fs.writeFileSync(
      path.join(home, '.aws', 'credentials'),
      '\uFEFF[default]\r\naws_access_key_id = AKIADEFAULT\r\naws_secret_access_key = s1\r\n\r\n[ferry-win]\r\naws_access_key_id = AKIAFERRYWIN\r\naws_secret_access_key = s2\r\n',
    );
    fs.writeFileSync(path.join(home, '.aws', 'config'), '[default]\r\nregion = eu-west-1\r\n[profile ferry-win]\r\nregion = ap-south-1\r\n');
    fs.writeFileSync(
      path.join(home, '.databrickscfg'),
      '\uFEFF[DEFAULT]\r\nhost = https://adb-1.azuredatabricks.net\r\ntoken = dapi-home\r\n\r\n[team]\r\nhost = https://team.cloud.databricks.com/\r\ntoken = dapi-team\r\ncluster_id = 0101-abc\r\n',
    );
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('AWS: with no HOME (as on Windows), ~/.aws is %USERPROFILE%\\.aws; CRLF files list both profiles', async () => {
    await withEnv(windowsHome(home), async () => {
      const paths = awsFilePaths();
      assert.equal(paths.credentials, path.join(home, '.aws', 'credentials'));
      assert.deepEqual(
        (await listProfiles(paths)).map((p) => p.name),
        ['default', 'ferry-win'],
      );
      assert.equal(await profileRegion('ferry-win', paths), 'ap-south-1');
    });
  });

  it('AWS: the SDK chain Ferry uses reads the profile from %USERPROFILE%\\.aws\\credentials', async () => {
    const creds = await withEnv(windowsHome(home), () => defaultCredentials('ferry-win')());
    assert.equal(creds.accessKeyId, 'AKIAFERRYWIN');
  });

  it('AWS: AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE with spaces and unicode win over the home', async () => {
    const dir = path.join(tmp, 'elsewhere é', 'aws files');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'creds'), '[ferry-env]\r\naws_access_key_id = AKIAFROMENV\r\naws_secret_access_key = s3\r\n');
    fs.writeFileSync(path.join(dir, 'conf'), '[profile ferry-env]\r\nregion = sa-east-1\r\n');
    const vars = { ...windowsHome(home), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'creds'), AWS_CONFIG_FILE: path.join(dir, 'conf') };
    await withEnv(vars, async () => {
      assert.deepEqual(
        (await listProfiles()).map((p) => p.name),
        ['ferry-env'],
      );
      assert.equal(await profileRegion('ferry-env'), 'sa-east-1');
      assert.equal((await defaultCredentials('ferry-env')()).accessKeyId, 'AKIAFROMENV');
    });
  });

  it('Databricks: os.homedir() (what the wiring passes) follows %USERPROFILE% on Windows, $HOME elsewhere', async () => {
    const homeVar = process.platform === 'win32' ? 'USERPROFILE' : 'HOME';
    await withEnv({ [homeVar]: home }, () => {
      assert.equal(os.homedir(), home);
      const file = configFilePath({}, os.homedir());
      assert.equal(file, path.join(home, '.databrickscfg'));
      const cfg = resolveConfig({ env: {}, filePath: file, fileText: fs.readFileSync(file, 'utf8') });
      assert.equal(cfg.host, 'https://adb-1.azuredatabricks.net');
      assert.equal(cfg.token, 'dapi-home');
    });
  });

  it('Databricks: DATABRICKS_CONFIG_FILE (absolute with spaces, or ~\\ on Windows) and a CRLF profile', () => {
    const other = path.join(tmp, 'cfg dir é', '.databrickscfg');
    fs.mkdirSync(path.dirname(other), { recursive: true });
    fs.copyFileSync(path.join(home, '.databrickscfg'), other);
    assert.equal(configFilePath({ DATABRICKS_CONFIG_FILE: other }, home), other);
    assert.equal(configFilePath({ DATABRICKS_CONFIG_FILE: `~${path.sep}.databrickscfg` }, home), path.join(home, '.databrickscfg'));
    const text = fs.readFileSync(other, 'utf8');
    assert.deepEqual([...parseConfigFile(text, other).sections.keys()].sort(), ['DEFAULT', 'team']);
    const team = resolveConfig({ env: {}, profile: 'team', filePath: other, fileText: text });
    assert.equal(team.token, 'dapi-team');
    assert.equal(team.clusterId, '0101-abc');
    assert.ok(!/\r/.test(JSON.stringify(team.attributes)), 'no carriage return left in a value');
  });
});
