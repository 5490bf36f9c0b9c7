import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterPythonEnv } from '../../../sandbox/launcher/clusterEnv';
import { defaultDataDir, parseOptions, resolveEditor, which } from '../../../sandbox/launcher/options';
import { databricksFromEnv, parseIni } from '../../../sandbox/launcher/target';
import { prepareWorkspace, writeWorkspaceSettings } from '../../../sandbox/launcher/workspace';
import { quoteForCmd } from '../../../sandbox/launcher/editor';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-sandbox-unit-'));
}

describe('sandbox launcher: options', () => {
  it('keeps its data in $FERRY_CACHE/sandbox, else ~/.cache/ferry/sandbox', () => {
    assert.equal(defaultDataDir({ FERRY_CACHE: '/c' }), path.join('/c', 'sandbox'));
    assert.equal(defaultDataDir({}), path.join(os.homedir(), '.cache', 'ferry', 'sandbox'));
  });

  it('parses the flags, with values inline or apart', () => {
    const o = parseOptions(['--browser', '--no-open', '--port', '8123', '--data-dir=/x/y', '--fresh'], {});
    assert.equal(o.editor, 'browser');
    assert.equal(o.open, false);
    assert.equal(o.port, 8123);
    assert.equal(o.dataDir, path.resolve('/x/y'));
    assert.equal(o.fresh, true);
    const e = parseOptions(['--exit-when-ready'], {});
    assert.equal(e.exitWhenReady, true);
    assert.equal(e.open, false, '--exit-when-ready never opens a browser');
    assert.equal(parseOptions([], {}).editor, 'auto');
    assert.equal(parseOptions(['--proxy'], {}).proxy, true);
    assert.equal(parseOptions([], {}).proxy, false);
  });

  it('rejects unknown flags, missing values and bad ports with a message', () => {
    assert.throws(() => parseOptions(['--bogus'], {}), /Unknown option "--bogus"/);
    assert.throws(() => parseOptions(['--port'], {}), /--port needs a value/);
    assert.throws(() => parseOptions(['--port', '-1'], {}), /--port wants a number/);
    assert.throws(() => parseOptions(['--port', '70000'], {}), /--port wants a number/);
    assert.throws(() => parseOptions(['--data-dir='], {}), /--data-dir needs a value/);
  });

  it('opens desktop VS Code when `code` is on PATH, else code-server in the browser', () => {
    assert.equal(resolveEditor('auto', '/usr/bin/code'), 'desktop');
    assert.equal(resolveEditor('auto', undefined), 'browser');
    assert.equal(resolveEditor('browser', '/usr/bin/code'), 'browser');
    assert.equal(resolveEditor('none', undefined), 'none');
    assert.throws(() => resolveEditor('desktop', undefined), /needs the `code` command on PATH/);
  });

  it('finds `code` on PATH, with PATHEXT on Windows, without a shell', () => {
    const files = new Set(['/opt/vscode/bin/code', 'C:\\Program Files\\Microsoft VS Code\\bin\\code.cmd']);
    const exists = (p: string): boolean => files.has(p);
    assert.equal(which('code', { PATH: '/usr/bin:/opt/vscode/bin' }, 'linux', exists), '/opt/vscode/bin/code');
    assert.equal(which('code', { PATH: '/usr/bin' }, 'linux', exists), undefined);
    assert.equal(
      which('code', { Path: 'C:\\Windows;C:\\Program Files\\Microsoft VS Code\\bin', PATHEXT: '.EXE;.CMD' }, 'win32', exists),
      'C:\\Program Files\\Microsoft VS Code\\bin\\code.cmd',
    );
  });

  it('quotes Windows arguments with spaces for cmd.exe', () => {
    assert.equal(quoteForCmd('C:\\Users\\Ann Lee\\ws'), '"C:\\Users\\Ann Lee\\ws"');
    assert.equal(quoteForCmd('--new-window'), '--new-window');
    assert.equal(quoteForCmd('a"b c'), '"a""b c"');
  });
});

describe('sandbox launcher: credentials and environment', () => {
  it('reads host and token from the sandbox databrickscfg named by DATABRICKS_CONFIG_FILE', () => {
    const dir = tmp();
    const cfg = path.join(dir, 'databrickscfg');
    fs.writeFileSync(cfg, '; sandbox\n[DEFAULT]\nhost = http://127.0.0.1:5000\ntoken = dapiabc\n\n[other]\nhost=http://x\ntoken=y\n');
    assert.deepEqual(databricksFromEnv({ DATABRICKS_CONFIG_FILE: cfg }), { host: 'http://127.0.0.1:5000', token: 'dapiabc' });
    assert.deepEqual(databricksFromEnv({ DATABRICKS_CONFIG_FILE: cfg, DATABRICKS_CONFIG_PROFILE: 'other' }), { host: 'http://x', token: 'y' });
    assert.deepEqual(databricksFromEnv({ DATABRICKS_HOST: 'http://h', DATABRICKS_TOKEN: 't' }), { host: 'http://h', token: 't' });
    assert.equal(databricksFromEnv({ DATABRICKS_CONFIG_FILE: path.join(dir, 'missing') }), undefined);
    assert.equal(databricksFromEnv({}), undefined, 'never falls back to ~/.databrickscfg');
  });

  it('parses INI with CRLF, comments and = in values', () => {
    const ini = parseIni('[a]\r\nk = v=w\r\n# c\r\n[ b ]\r\nx=1\r\n');
    assert.deepEqual(ini, { a: { k: 'v=w' }, b: { x: '1' } });
  });

  it("gives the cluster's Python the S3 stand-in's endpoint, keys and region", () => {
    const vars = clusterPythonEnv({
      s3: { endpoint: 'http://127.0.0.1:9000', accessKeyId: 'AK', secretAccessKey: 'SK' },
      settings: { 'ferry.aws.region': 'eu-west-1' },
    });
    assert.equal(vars.AWS_ENDPOINT_URL, 'http://127.0.0.1:9000');
    assert.equal(vars.AWS_ACCESS_KEY_ID, 'AK');
    assert.equal(vars.AWS_SECRET_ACCESS_KEY, 'SK');
    assert.equal(vars.AWS_REGION, 'eu-west-1');
  });
});

describe('sandbox launcher: workspace', () => {
  it('copies the demo, writes the raw CSV and the settings, and keeps the user edits on the next run', () => {
    const dir = path.join(tmp(), 'ws');
    prepareWorkspace(dir, { 'ferry.s3.endpoint': 'http://127.0.0.1:1' });
    for (const f of ['train.py', 'explore.ipynb', 'query.sql', 'README.md', 'data/customers.csv']) assert.ok(fs.existsSync(path.join(dir, f)), f);
    fs.writeFileSync(path.join(dir, 'train.py'), '# mine\n');
    const settingsFile = path.join(dir, '.vscode', 'settings.json');
    fs.writeFileSync(settingsFile, JSON.stringify({ 'editor.fontSize': 15, 'ferry.s3.endpoint': 'old' }));
    prepareWorkspace(dir, { 'ferry.s3.endpoint': 'http://127.0.0.1:2' });
    assert.equal(fs.readFileSync(path.join(dir, 'train.py'), 'utf8'), '# mine\n');
    assert.deepEqual(JSON.parse(fs.readFileSync(settingsFile, 'utf8')), { 'editor.fontSize': 15, 'ferry.s3.endpoint': 'http://127.0.0.1:2' });
  });

  it('replaces a settings file it cannot parse', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{ // comment\n "a": 1, }');
    writeWorkspaceSettings(dir, { b: 2 });
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, '.vscode', 'settings.json'), 'utf8')), { b: 2 });
  });

  it('never puts a secret into the workspace settings', () => {
    const dir = tmp();
    writeWorkspaceSettings(dir, { 'ferry.aws.profile': 'ferry-sandbox', 'ferry.s3.endpoint': 'http://127.0.0.1:3' });
    const text = fs.readFileSync(path.join(dir, '.vscode', 'settings.json'), 'utf8');
    assert.doesNotMatch(text, /S3RVER|dapi|secret|token/i);
  });
});
