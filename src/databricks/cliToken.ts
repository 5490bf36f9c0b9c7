// auth_type = databricks-cli: the token comes from the Databricks CLI, as the SDKs get it, by
// running `databricks auth token --profile P` (or `--host H`) and reading the JSON it prints,
// `{access_token, token_type, expiry}`. The CLI keeps its tokens in the OS keyring (since mid-2026)
// and renews them itself, so Ferry never reads its cache. The CLI runs without a shell (execFile;
// on Windows `databricks` finds `databricks.exe`), with a timeout, and what it prints on failure is
// redacted before it is shown. Wire facts: docs/reference/services-2026.md section 5.
import { execFile, ExecFileException } from 'node:child_process';
import { Logger, silentLogger } from '../core/logger';
import { redact, registerSecret } from '../core/redact';
import { Env } from './config';
import { TokenSource } from './credentials';
import { CHOOSE_PROFILE, DatabricksError, OPEN_LOG, SIGN_IN_BROWSER } from './errors';

/** The first CLI release with `auth token --profile` (GO config/cli_token_source.go). */
export const MIN_CLI_VERSION = '0.207.1';

export interface CliTokenOptions {
  host: string;
  profile?: string;
  accountId?: string;
  /** databricks_cli_path / DATABRICKS_CLI_PATH; `databricks` on PATH by default. */
  cliPath?: string;
  /** The environment the CLI runs with (its PATH finds the CLI). */
  env: Env;
  logger?: Logger;
  timeoutMs?: number;
}

/** The codes of a CLI failure that Ferry's own browser sign-in can stand in for. */
export const CLI_UNAVAILABLE = new Set(['CLI_NOT_FOUND', 'CLI_TOO_OLD', 'CLI_NOT_SIGNED_IN', 'CLI_TOKEN_EXPIRED', 'CLI_BAD_OUTPUT', 'CLI_TIMEOUT']);

export class CliTokenError extends DatabricksError {
  constructor(errorCode: string, message: string) {
    super({ errorCode, message, status: 0, kind: 'config', actions: [SIGN_IN_BROWSER, CHOOSE_PROFILE, OPEN_LOG], verbatim: true });
    this.name = 'CliTokenError';
  }
}

/**
 * An `expiry` as the CLI prints it: RFC 3339 (`2026-12-01T10:00:00.123456789+01:00`) or Go's
 * `2006-01-02 15:04:05` (local time, maybe with a fraction, an offset and a zone name). Epoch ms.
 */
export function parseCliExpiry(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?\s?(Z|[+-]\d{2}:?\d{2})?(?:\s+[A-Z]{2,5})?(?:\s+m=[+-][\d.]+)?$/i.exec(text.trim());
  if (!m) return undefined;
  const fraction = m[3] ? `.${m[3].slice(0, 3).padEnd(3, '0')}` : '';
  const zone = m[4] ? (m[4].toUpperCase() === 'Z' ? 'Z' : m[4].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : '';
  const ms = Date.parse(`${m[1]}T${m[2]}${fraction}${zone}`);
  return Number.isFinite(ms) ? ms : undefined;
}

interface RunResult {
  stdout: string;
  stderr: string;
  error?: ExecFileException;
}

function run(file: string, args: string[], env: Env, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: env as NodeJS.ProcessEnv, timeout: timeoutMs, windowsHide: true, maxBuffer: 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        resolve({ stdout: String(stdout ?? ''), stderr: String(stderr ?? ''), error: error ?? undefined });
      },
    );
  });
}

const firstLine = (text: string): string =>
  redact(
    text
      .trim()
      .split(/\r?\n/)
      .find((l) => l.trim()) ?? '',
  ).slice(0, 300);

export class CliTokenSource implements TokenSource {
  private cached: { token: string; expiresAt: number } | undefined;
  private inFlight: Promise<string> | undefined;
  /** Old CLIs do not know --force-refresh (it came with v0.296.0): asked once, then left out. */
  private forceRefreshKnown = true;
  private readonly cli: string;
  private readonly who: string;
  private readonly login: string;

  constructor(private readonly opts: CliTokenOptions) {
    this.cli = opts.cliPath?.trim() || 'databricks';
    this.who = opts.profile ? `profile "${opts.profile}"` : opts.host;
    this.login = opts.profile ? `databricks auth login --profile ${opts.profile}` : `databricks auth login --host ${opts.host}`;
  }

  private get logger(): Logger {
    return this.opts.logger ?? silentLogger;
  }

  async token(): Promise<string> {
    // The CLI renews its own tokens; ask it again a minute before the one it gave expires.
    if (this.cached && Date.now() < this.cached.expiresAt - 60_000) return this.cached.token;
    return this.fetch(false);
  }

  async renew(): Promise<void> {
    await this.fetch(true);
  }

  refusedAfterRenewal(again: DatabricksError, host: string): DatabricksError {
    return new CliTokenError(
      'CLI_TOKEN_REFUSED',
      `${host} refused the token the Databricks CLI gave for ${this.who} (${again.serverMessage}). Run "${this.login}" in a terminal, or sign in with Ferry's browser sign-in.`,
    );
  }

  private args(force: boolean): string[] {
    const args = ['auth', 'token'];
    if (this.opts.profile) args.push('--profile', this.opts.profile);
    else {
      args.push('--host', this.opts.host);
      if (this.opts.accountId) args.push('--account-id', this.opts.accountId);
    }
    if (force && this.forceRefreshKnown) args.push('--force-refresh');
    return args;
  }

  private fetch(force: boolean): Promise<string> {
    this.inFlight ??= this.runCli(force).finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async runCli(force: boolean): Promise<string> {
    const timeoutMs = this.opts.timeoutMs ?? 60_000;
    const args = this.args(force);
    this.logger.debug(`running ${this.cli} ${args.join(' ')}`);
    let r = await run(this.cli, args, this.opts.env, timeoutMs);
    if (r.error && args.includes('--force-refresh') && /unknown flag: --force-refresh/i.test(r.stderr)) {
      this.forceRefreshKnown = false;
      r = await run(this.cli, this.args(false), this.opts.env, timeoutMs);
    }
    const needs = `Ferry needs the Databricks CLI v${MIN_CLI_VERSION} or newer for profiles with auth_type = databricks-cli`;
    if (r.error) {
      const code = r.error.code;
      if (code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR') {
        throw new CliTokenError(
          'CLI_NOT_FOUND',
          `The Databricks CLI ("${this.cli}") was not found${code === 'EACCES' ? ' or cannot be run' : ''}, and ${this.who} uses auth_type = databricks-cli. Install the Databricks CLI (v${MIN_CLI_VERSION} or newer) and run "${this.login}", set databricks_cli_path in the profile, or sign in with Ferry's browser sign-in.`,
        );
      }
      if (r.error.killed)
        throw new CliTokenError(
          'CLI_TIMEOUT',
          `The Databricks CLI did not answer within ${Math.round(timeoutMs / 1000)} s for ${this.who}. Run "${this.cli} auth token${this.opts.profile ? ` --profile ${this.opts.profile}` : ''}" in a terminal to see why.`,
        );
      const said = firstLine(r.stderr) || firstLine(r.stdout);
      this.logger.warn(`${this.cli} auth token failed (exit ${String(code)}): ${redact(r.stderr.slice(0, 2000))}`);
      if (/unknown (command|flag|shorthand flag)|no such (command|option)|usage:/i.test(`${r.stderr}\n${r.stdout}`)) {
        throw new CliTokenError(
          'CLI_TOO_OLD',
          `The Databricks CLI ("${this.cli}") is too old: it does not know "auth token${this.opts.profile ? ' --profile' : ' --host'}" (it said: ${said}). ${needs}; update it, or sign in with Ferry's browser sign-in.`,
        );
      }
      throw new CliTokenError(
        'CLI_NOT_SIGNED_IN',
        `The Databricks CLI has no usable sign-in for ${this.who} (it said: ${said || `exit code ${String(code)}`}). Run "${this.login}" in a terminal and try again, or sign in with Ferry's browser sign-in.`,
      );
    }
    let parsed: { access_token?: unknown; token_type?: unknown; expiry?: unknown } | undefined;
    try {
      parsed = JSON.parse(r.stdout) as typeof parsed;
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed.access_token !== 'string' || !parsed.access_token) {
      throw new CliTokenError(
        'CLI_BAD_OUTPUT',
        `The Databricks CLI ("${this.cli}") did not print a token as JSON for ${this.who}; it may be too old. ${needs}.`,
      );
    }
    const token = parsed.access_token;
    registerSecret(token);
    const expiresAt = typeof parsed.expiry === 'string' ? parseCliExpiry(parsed.expiry) : undefined;
    if (expiresAt !== undefined && expiresAt <= Date.now()) {
      throw new CliTokenError(
        'CLI_TOKEN_EXPIRED',
        `The Databricks CLI gave an expired token for ${this.who} (it expired ${new Date(expiresAt).toISOString()}). Run "${this.login}" in a terminal and try again, or sign in with Ferry's browser sign-in.`,
      );
    }
    // No expiry (or one Ferry cannot read): ask the CLI again for each minute of use.
    this.cached = { token, expiresAt: expiresAt ?? Date.now() + 2 * 60_000 };
    this.logger.info(`Databricks CLI: token for ${this.who} received${expiresAt ? ` (expires in ${Math.round((expiresAt - Date.now()) / 1000)} s)` : ''}`);
    return token;
  }
}
