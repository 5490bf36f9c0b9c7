// Configuration resolution as the Databricks SDKs do it: a table of databrickscfg and environment
// cases, malformed files included.
import assert from 'node:assert/strict';
import path from 'node:path';
import { configFilePath, DatabricksConfigError, parseConfigFile, resolveConfig, ResolveInput } from '../../../src/databricks/config';

const FILE = `
; a comment
[DEFAULT]
host = https://default.cloud.databricks.com
token = dapi-default

[dev]
host  =  https://dev.cloud.databricks.com/   # trailing comment
token = dapi-dev#not-a-comment
cluster_id = 0101-000000-devcluster

[oauth]
host = https://oauth.cloud.databricks.com
auth_type = databricks-cli

[nohost]
token = dapi-nohost
`;

const WITH_SETTINGS = `[__settings__]
default_profile = dev

[dev]
host = https://dev.cloud.databricks.com
token = dapi-dev
`;

interface Case {
  name: string;
  input: Partial<ResolveInput>;
  expect?: { host: string; token?: string; profile?: string; hostSource?: string; clusterId?: string; authType?: string };
  error?: RegExp;
}

const cases: Case[] = [
  {
    name: 'DEFAULT profile when nothing is asked for',
    input: { fileText: FILE },
    expect: { host: 'https://default.cloud.databricks.com', token: 'dapi-default', profile: 'DEFAULT', hostSource: 'file' },
  },
  {
    name: 'the Ferry setting picks a profile',
    input: { fileText: FILE, profile: 'dev' },
    expect: { host: 'https://dev.cloud.databricks.com/', token: 'dapi-dev#not-a-comment', profile: 'dev', clusterId: '0101-000000-devcluster' },
  },
  {
    name: 'DATABRICKS_CONFIG_PROFILE picks a profile',
    input: { fileText: FILE, env: { DATABRICKS_CONFIG_PROFILE: 'dev' } },
    expect: { host: 'https://dev.cloud.databricks.com/', token: 'dapi-dev#not-a-comment', profile: 'dev' },
  },
  {
    name: 'the setting wins over DATABRICKS_CONFIG_PROFILE',
    input: { fileText: FILE, profile: 'DEFAULT', env: { DATABRICKS_CONFIG_PROFILE: 'dev' } },
    expect: { host: 'https://default.cloud.databricks.com', profile: 'DEFAULT' },
  },
  {
    name: 'env host and token skip the file when no profile is asked for',
    input: { fileText: FILE, env: { DATABRICKS_HOST: 'https://env.cloud.databricks.com', DATABRICKS_TOKEN: 'dapi-env' } },
    expect: { host: 'https://env.cloud.databricks.com', token: 'dapi-env', profile: undefined, hostSource: 'env' },
  },
  {
    name: 'env token alone also skips the file (then no host)',
    input: { fileText: FILE, env: { DATABRICKS_TOKEN: 'dapi-env' } },
    error: /No Databricks workspace is configured/,
  },
  {
    name: 'env overrides the attributes of an asked-for profile',
    input: { fileText: FILE, profile: 'dev', env: { DATABRICKS_TOKEN: 'dapi-env' } },
    expect: { host: 'https://dev.cloud.databricks.com/', token: 'dapi-env', profile: 'dev' },
  },
  {
    name: 'env host with a file profile asked for',
    input: { fileText: FILE, env: { DATABRICKS_HOST: 'https://env.example', DATABRICKS_CONFIG_PROFILE: 'dev' } },
    expect: { host: 'https://env.example', token: 'dapi-dev#not-a-comment', profile: 'dev', hostSource: 'env' },
  },
  { name: '[__settings__] default_profile', input: { fileText: WITH_SETTINGS }, expect: { host: 'https://dev.cloud.databricks.com', profile: 'dev' } },
  {
    name: 'DATABRICKS_CLUSTER_ID overrides cluster_id',
    input: { fileText: FILE, profile: 'dev', env: { DATABRICKS_CLUSTER_ID: 'env-cluster' } },
    expect: { host: 'https://dev.cloud.databricks.com/', clusterId: 'env-cluster' },
  },
  {
    name: 'a profile with another auth type has no token',
    input: { fileText: FILE, profile: 'oauth' },
    expect: { host: 'https://oauth.cloud.databricks.com', token: undefined, authType: 'databricks-cli' },
  },
  {
    name: 'an unknown profile names the ones there are',
    input: { fileText: FILE, profile: 'prod' },
    error: /Profile "prod" is not in .*\(profiles: DEFAULT, dev, oauth, nohost\)/,
  },
  { name: 'a profile without a host', input: { fileText: FILE, profile: 'nohost' }, error: /profile "nohost" .* has no host/ },
  { name: 'no file and nothing in env', input: { fileText: undefined }, error: /No Databricks workspace is configured/ },
  { name: 'no file but a profile asked for', input: { fileText: undefined, profile: 'dev' }, error: /Profile "dev" was asked for, but .* does not exist/ },
  {
    name: 'no file, env only',
    input: { fileText: undefined, env: { DATABRICKS_HOST: 'h.example', DATABRICKS_TOKEN: 't' } },
    expect: { host: 'h.example', token: 't', hostSource: 'env' },
  },
  { name: 'empty file', input: { fileText: '' }, error: /No Databricks workspace is configured/ },
  {
    name: 'malformed: a line that is not key = value',
    input: { fileText: '[DEFAULT]\nhost = https://x\nthis is not ini\n' },
    error: /line 3: expected "key = value"/,
  },
  {
    name: 'malformed: an unclosed section header',
    input: { fileText: '[dev\nhost = https://x\n' },
    error: /line 1: "\[dev" is not a valid \[section\] header/,
  },
  { name: 'malformed: an empty section name', input: { fileText: '[]\nhost = https://x\n' }, error: /line 1/ },
  { name: 'malformed: binary garbage', input: { fileText: '\u0000\u0001\u0002garbage' }, error: /line 1/ },
  {
    name: 'CRLF line endings and a BOM',
    input: { fileText: '\uFEFF[DEFAULT]\r\nhost = https://crlf.example\r\ntoken = dapi-crlf\r\n' },
    expect: { host: 'https://crlf.example', token: 'dapi-crlf' },
  },
  {
    name: 'quoted values',
    input: { fileText: '[DEFAULT]\nhost = "https://quoted.example"\ntoken = \'dapi-q\'\n' },
    expect: { host: 'https://quoted.example', token: 'dapi-q' },
  },
  {
    name: 'a dotted profile name stays one profile',
    input: { fileText: '[team.prod]\nhost = https://dots.example\ntoken = dapi-dots\n', profile: 'team.prod' },
    expect: { host: 'https://dots.example', token: 'dapi-dots', profile: 'team.prod' },
  },
  {
    name: '; and # inside a value, comments only after whitespace',
    input: { fileText: '[DEFAULT]\nhost = https://x.example ; where\npassword = a;b#c\\d\ntoken = t1\n' },
    expect: { host: 'https://x.example', token: 't1' },
  },
  {
    name: 'true/false values stay text and the last repeat wins',
    input: { fileText: '[DEFAULT]\nhost = https://first.example\nhost = https://last.example\ntoken = true\n' },
    expect: { host: 'https://last.example', token: 'true' },
  },
  {
    name: 'a __proto__ section is a profile like any other, and pollutes nothing',
    input: { fileText: '[__proto__]\nhost = https://proto.example\n[DEFAULT]\nhost = https://d.example\ntoken = t\n' },
    expect: { host: 'https://d.example', token: 't' },
  },
  {
    name: 'keys before any section belong to DEFAULT',
    input: { fileText: 'host = https://top.example\ntoken = dapi-top\n' },
    expect: { host: 'https://top.example', token: 'dapi-top', profile: 'DEFAULT' },
  },
];

describe('Databricks configuration resolution', () => {
  for (const c of cases) {
    it(c.name, () => {
      const input: ResolveInput = { env: {}, filePath: '/home/u/.databrickscfg', ...c.input } as ResolveInput;
      if (c.error) {
        assert.throws(
          () => resolveConfig(input),
          (err: unknown) => err instanceof DatabricksConfigError && c.error!.test(err.message) && err.kind === 'config',
        );
        return;
      }
      const r = resolveConfig(input);
      for (const [k, v] of Object.entries(c.expect ?? {})) assert.equal((r as unknown as Record<string, unknown>)[k], v, `${k} in ${JSON.stringify(r)}`);
    });
  }

  it('finds the file at DATABRICKS_CONFIG_FILE or in the home folder (POSIX and Windows)', () => {
    assert.equal(configFilePath({}, '/home/u', path.posix), '/home/u/.databrickscfg');
    assert.equal(configFilePath({}, 'C:\\Users\\Ann Lee', path.win32), 'C:\\Users\\Ann Lee\\.databrickscfg');
    assert.equal(configFilePath({ DATABRICKS_CONFIG_FILE: 'D:\\cfg\\db.ini' }, 'C:\\Users\\a', path.win32), 'D:\\cfg\\db.ini');
    assert.equal(configFilePath({ DATABRICKS_CONFIG_FILE: '~/other.cfg' }, '/home/u', path.posix), '/home/u/other.cfg');
  });

  it('keeps a value with ; # and backslashes as the SDKs read it', () => {
    const cfg = parseConfigFile('[DEFAULT]\npassword = a;b#c\\d  # note\npath = C:\\Users\\x\n');
    assert.equal(cfg.sections.get('DEFAULT')?.password, 'a;b#c\\d');
    assert.equal(cfg.sections.get('DEFAULT')?.path, 'C:\\Users\\x');
    assert.equal(({} as Record<string, unknown>).host, undefined);
  });

  it('parses sections and drops [__settings__] from the profiles', () => {
    const cfg = parseConfigFile(WITH_SETTINGS);
    assert.equal(cfg.defaultProfile, 'dev');
    assert.ok(!cfg.sections.has('__settings__'));
  });
});
