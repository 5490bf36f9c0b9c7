// auth_type = databricks-cli against the stand-in, with a stand-in Databricks CLI that the test
// puts first on PATH: a small Node program (on Windows, a copy of node.exe named databricks.exe
// that preloads the same program, since the runtime never runs .cmd files). It prints what the
// test scripted (a token as the real CLI prints it, an expired one, an old CLI's answer) and logs
// its arguments. Covers: a profile served by the CLI, renewal with --force-refresh, an expired
// token, an old CLI, a CLI that is not signed in, no CLI at all, and Ferry's own browser sign-in
// standing in when the CLI cannot.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { memoryLogger } from '../../../src/core/logger';
import { ConnectionManager, oauthTokenKey } from '../../../src/databricks/connection';
import { DatabricksError } from '../../../src/databricks/errors';
import { memoryStores } from './memoryStores';
import { DatabricksEndpoint, databricksStandIn, scratchDir } from '../standIns';
import { fillSignInForm } from '../databricks-standin/signInForm';

// Synchronous on purpose: on Windows it runs as a --require preload and must finish (and exit)
// before Node would look for a main script.
const FAKE_CLI = String.raw`
const fs = require('node:fs');
const script = JSON.parse(fs.readFileSync(process.env.FERRY_FAKE_CLI, 'utf8'));
// Run as a script, argv[1] is the script; preloaded into databricks.exe, Node has already made
// the first argument ("auth") an absolute path of a main script it is about to look for.
const first = process.argv[1] || '';
const args = /fake-cli\.js$|[\\/]databricks$/i.test(first) ? process.argv.slice(2) : [require('node:path').basename(first), ...process.argv.slice(2)];
fs.appendFileSync(script.log, JSON.stringify(args) + '\n');
const force = args.includes('--force-refresh');
const answer = (force && script.forced) || script.answer;
if (answer.stdout) fs.writeSync(1, answer.stdout);
if (answer.stderr) fs.writeSync(2, answer.stderr);
process.exit(answer.exitCode || 0);
`;

interface Answer {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
}

describe('Databricks profiles with auth_type = databricks-cli (a stand-in CLI on PATH)', function () {
  this.timeout(60_000);
  let db: DatabricksEndpoint;
  let dir: string;
  let bin: string;
  let scriptFile: string;
  let logFile: string;
  let cfgFile: string;
  let cliEnv: Record<string, string>;
  const logger = memoryLogger();

  const cliSays = (answer: Answer, forced?: Answer): void => {
    fs.writeFileSync(scriptFile, JSON.stringify({ log: logFile, answer, forced }));
    fs.writeFileSync(logFile, '');
  };
  const calls = (): string[][] =>
    fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as string[]);
  const tokenJson = (token: string, expiry: string): string => `${JSON.stringify({ access_token: token, token_type: 'Bearer', expiry }, null, 2)}\n`;
  const manager = (env: Record<string, string> = cliEnv, stores = memoryStores()): ConnectionManager =>
    new ConnectionManager(
      stores.secrets,
      stores.state,
      { env, homedir: dir, readFile: async (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined), profileSetting: () => 'cli' },
      logger,
      { jitterMs: 10 },
      { ports: [0], timeoutMs: 20_000 },
    );

  before(async () => {
    db = await databricksStandIn();
    dir = scratchDir('cli-auth');
    bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    scriptFile = path.join(dir, 'cli-script.json');
    logFile = path.join(dir, 'cli-calls.log');
    const program = path.join(dir, 'fake-cli.js');
    fs.writeFileSync(program, FAKE_CLI);
    const extra: Record<string, string> = {};
    if (process.platform === 'win32') {
      fs.copyFileSync(process.execPath, path.join(bin, 'databricks.exe'));
      // NODE_OPTIONS reads backslashes inside quotes as escapes: give the path with forward slashes.
      extra.NODE_OPTIONS = `--require "${program.replace(/\\/g, '/')}"`;
    } else {
      fs.writeFileSync(path.join(bin, 'databricks'), `#!${process.execPath}\n${FAKE_CLI}`, { mode: 0o755 });
    }
    cfgFile = path.join(dir, 'databrickscfg');
    fs.writeFileSync(cfgFile, `[cli]\nhost = ${db.url}\nauth_type = databricks-cli\n`);
    cliEnv = { ...(process.env as Record<string, string>), ...extra, PATH: bin, FERRY_FAKE_CLI: scriptFile, DATABRICKS_CONFIG_FILE: cfgFile };
    delete cliEnv.Path; // Windows spells it either way; only ours must count
  });
  after(async () => {
    assert.ok(!logger.lines.join('\n').includes(db.token), 'the token the CLI gave reached the log');
    fs.rmSync(dir, { recursive: true, force: true });
    await db.stop();
  });

  it('gets the token by running "databricks auth token --profile cli" and uses it', async () => {
    cliSays({ stdout: tokenJson(db.token, new Date(Date.now() + 3600_000).toISOString()) });
    const conn = await manager().current();
    assert.equal(conn.label, `profile cli (${db.url})`);
    assert.ok((await conn.clusters.list()).length >= 2);
    await conn.clusters.list();
    assert.deepEqual(calls(), [['auth', 'token', '--profile', 'cli']], 'run once while the token is valid');
  });

  it("takes an expiry in Go's time format too, and asks again with --force-refresh when the workspace refuses the token", async () => {
    const soon = new Date(Date.now() + 3600_000);
    const goTime = `${soon.getFullYear()}-${String(soon.getMonth() + 1).padStart(2, '0')}-${String(soon.getDate()).padStart(2, '0')} ${soon.toTimeString().slice(0, 8)}`;
    cliSays({ stdout: tokenJson('dapi0000000000000000000000000000dead', goTime) }, { stdout: tokenJson(db.token, soon.toISOString()) });
    const conn = await manager().current();
    assert.ok((await conn.clusters.list()).length >= 2);
    assert.deepEqual(calls(), [
      ['auth', 'token', '--profile', 'cli'],
      ['auth', 'token', '--profile', 'cli', '--force-refresh'],
    ]);
  });

  it('an older CLI without --force-refresh is asked again without it', async () => {
    const later = new Date(Date.now() + 3600_000).toISOString();
    cliSays({ stdout: tokenJson('dapi0000000000000000000000000000dead', later) }, { stderr: 'Error: unknown flag: --force-refresh\n', exitCode: 1 });
    const conn = await manager().current();
    // The first token is refused, --force-refresh is unknown, and the plain call gives the dead token again.
    await assert.rejects(
      conn.clusters.list(),
      (e: unknown) => e instanceof DatabricksError && e.errorCode === 'CLI_TOKEN_REFUSED' && /databricks auth login --profile cli/.test(e.message),
    );
    assert.deepEqual(calls(), [
      ['auth', 'token', '--profile', 'cli'],
      ['auth', 'token', '--profile', 'cli', '--force-refresh'],
      ['auth', 'token', '--profile', 'cli'],
    ]);
  });

  it('an expired token from the CLI gets a clear message', async () => {
    cliSays({ stdout: tokenJson(db.token, '2026-01-01T00:00:00Z') });
    await assert.rejects(
      (await manager().current()).clusters.list(),
      (e: unknown) =>
        e instanceof DatabricksError &&
        e.errorCode === 'CLI_TOKEN_EXPIRED' &&
        /expired token for profile "cli"/.test(e.message) &&
        /databricks auth login --profile cli/.test(e.message) &&
        !e.message.includes(db.token),
    );
  });

  it('an old CLI (no "auth token") gets a clear message naming the version Ferry needs', async () => {
    cliSays({ stderr: 'Usage: databricks [OPTIONS] COMMAND [ARGS]...\nTry "databricks -h" for help.\n\nError: No such command "auth".\n', exitCode: 2 });
    await assert.rejects(
      (await manager().current()).clusters.list(),
      (e: unknown) => e instanceof DatabricksError && e.errorCode === 'CLI_TOO_OLD' && /too old/.test(e.message) && /v0\.207\.1 or newer/.test(e.message),
    );
  });

  it('a CLI that answers something other than JSON is reported as possibly too old', async () => {
    cliSays({ stdout: 'Databricks CLI v0.17.3\n' });
    await assert.rejects(
      (await manager().current()).clusters.list(),
      (e: unknown) => e instanceof DatabricksError && e.errorCode === 'CLI_BAD_OUTPUT' && /may be too old/.test(e.message),
    );
  });

  it('a CLI that is not signed in says how to sign in, with what it printed redacted', async () => {
    cliSays({
      stderr: `Error: cannot get access token: refresh token is invalid (refresh_token=dsrtSECRET0123456789abc). Please run "databricks auth login --profile cli"\n`,
      exitCode: 1,
    });
    await assert.rejects(
      (await manager().current()).clusters.list(),
      (e: unknown) =>
        e instanceof DatabricksError &&
        e.errorCode === 'CLI_NOT_SIGNED_IN' &&
        /no usable sign-in for profile "cli"/.test(e.message) &&
        !e.message.includes('dsrtSECRET0123456789abc'),
    );
  });

  it("no CLI on PATH: a clear message, and Ferry's own browser sign-in for the host stands in once it exists", async () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty, { recursive: true });
    const stores = memoryStores();
    const mgr = manager({ ...cliEnv, PATH: empty }, stores);
    await assert.rejects(
      (await mgr.current()).clusters.list(),
      (e: unknown) =>
        e instanceof DatabricksError &&
        e.errorCode === 'CLI_NOT_FOUND' &&
        /Databricks CLI \("databricks"\) was not found/.test(e.message) &&
        /databricks_cli_path/.test(e.message),
    );
    await mgr.signInWithBrowser(db.url, async (url) => {
      // The stand-in's sign-in page, filled in with its password as a person would.
      const r = await fillSignInForm(url, db.signInPassword);
      await fetch(r.headers.get('location') ?? '');
    });
    assert.deepEqual(mgr.choice, { kind: 'config' }, 'the profile stays active');
    assert.ok(stores.secrets.data.has(oauthTokenKey(db.url)));
    assert.ok((await (await mgr.current()).clusters.list()).length >= 2);
  });

  it('databricks_cli_path in the profile points at the CLI', async () => {
    cliSays({ stdout: tokenJson(db.token, new Date(Date.now() + 3600_000).toISOString()) });
    const file = path.join(dir, 'withpath.cfg');
    const exe = path.join(bin, process.platform === 'win32' ? 'databricks.exe' : 'databricks');
    fs.writeFileSync(file, `[cli]\nhost = ${db.url}\nauth_type = databricks-cli\ndatabricks_cli_path = ${exe}\n`);
    const conn = await manager({ ...cliEnv, PATH: path.join(dir, 'empty'), DATABRICKS_CONFIG_FILE: file }).current();
    assert.ok((await conn.clusters.list()).length >= 2);
  });
});
