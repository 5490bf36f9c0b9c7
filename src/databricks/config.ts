// Where the workspace host and token come from, resolved the way the Databricks SDKs do it:
// attributes set explicitly > environment (DATABRICKS_HOST, DATABRICKS_TOKEN) > the profile in
// ~/.databrickscfg. The profile is the one asked for (Ferry's setting, then
// DATABRICKS_CONFIG_PROFILE), else [__settings__] default_profile, else DEFAULT; and when no
// profile was asked for but the environment already gives a host or a token, the file is skipped.
// Pure functions: the caller reads the file and the environment and hands them in.
import path from 'node:path';
import { decode as decodeIni } from 'ini';
import type { FailureCode } from '../core/errors';
import { redact } from '../core/redact';
import { DatabricksError } from './errors';

export type Env = Record<string, string | undefined>;

export interface ConfigFile {
  /** Section name → key → value. `DEFAULT` holds keys written before any section too. */
  sections: Map<string, Record<string, string>>;
  /** [__settings__] default_profile, when present. */
  defaultProfile?: string;
}

export class DatabricksConfigError extends DatabricksError {
  constructor(
    message: string,
    readonly file?: string,
    code?: FailureCode,
  ) {
    super({
      errorCode: 'INVALID_CONFIG',
      failureCode: code,
      message,
      status: 0,
      kind: 'config',
      actions: [
        { title: 'Choose Profile', command: 'ferry.databricks.selectProfile' },
        { title: 'Sign In', command: 'ferry.databricks.signIn' },
      ],
    });
    this.name = 'DatabricksConfigError';
  }
}

/** The config file's path: DATABRICKS_CONFIG_FILE (with a leading ~ expanded), else ~/.databrickscfg. */
export function configFilePath(env: Env, homedir: string, pathApi: Pick<typeof path, 'join'> = path): string {
  const fromEnv = env.DATABRICKS_CONFIG_FILE?.trim();
  if (fromEnv) return fromEnv.startsWith('~') ? pathApi.join(homedir, fromEnv.slice(1).replace(/^[\\/]/, '')) : fromEnv;
  return pathApi.join(homedir, '.databrickscfg');
}

/**
 * Parses the INI text of a .databrickscfg with `ini` (npm's own INI parser). Where `ini` reads a
 * line differently from the Databricks SDKs, the line is first rewritten so that it reads it as
 * they do:
 * - a comment starts only at `#` or `;` after whitespace (a bare `#` may sit inside a value), so
 *   the other `#`, `;` and `\` are escaped for `ini`;
 * - section names are taken verbatim (`ini` would nest `[a.b]` under `a`), so dots are escaped;
 * - a line without `=` is an error (`ini` would make it a key with the value true), reported by
 *   line number and key name only, never its value (it is usually a token);
 * - values stay strings (`ini` turns true/false/null into JSON values) and the last repeat wins.
 * Throws DatabricksConfigError with the line number of what it cannot read.
 */
export function parseConfigFile(text: string, file = '.databrickscfg'): ConfigFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const escape = (s: string, chars: RegExp): string => s.replace(chars, '\\$&');
  const prepared = lines.map((rawLine, i) => {
    const line = rawLine.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return '';
    if (line.startsWith('[')) {
      const m = /^\[([^\]]*)\]$/.exec(line);
      const shown = redact(line.length > 40 ? `${line.slice(0, 40)}…` : line);
      if (!m || !m[1].trim()) throw new DatabricksConfigError(`${file} line ${i + 1}: "${shown}" is not a valid [section] header`, file);
      return `[${escape(m[1].trim(), /[\\.;#]/g)}]`;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) {
      // Name the key (a first word followed by more, like `token dapi…`) but never the rest.
      const key = /^[A-Za-z_][\w.-]{0,40}(?=\s)/.exec(line)?.[0];
      const named = key && redact(key) === key ? `, but "${key}" has no "="` : '';
      throw new DatabricksConfigError(`${file} line ${i + 1}: expected "key = value"${named} (the line is not shown: it may hold a secret)`, file);
    }
    let value = line
      .slice(eq + 1)
      .replace(/\s[#;].*$/, '')
      .trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    return `${escape(line.slice(0, eq).trim(), /[\\;#[\]]/g)} = ${escape(value, /[\\;#]/g)}`;
  });
  const decoded = decodeIni(prepared.join('\n'), { bracketedArray: false }) as Record<string, unknown>;
  const asStrings = (values: Record<string, unknown>): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) continue;
      out[k] = String(Array.isArray(v) ? v[v.length - 1] : v);
    }
    return out;
  };
  const sections = new Map<string, Record<string, string>>();
  // Keys written before any section belong to DEFAULT, as in the SDKs.
  sections.set('DEFAULT', asStrings(decoded));
  for (const [name, values] of Object.entries(decoded)) {
    if (values === null || typeof values !== 'object' || Array.isArray(values)) continue;
    sections.set(name, { ...sections.get(name), ...asStrings(values as Record<string, unknown>) });
  }
  const settings = sections.get('__settings__');
  sections.delete('__settings__');
  return { sections, defaultProfile: settings?.default_profile || undefined };
}

/** The profiles a picker offers: every section with a host (DEFAULT only when it has one). */
export function listProfiles(cfg: ConfigFile): Array<{ name: string; host?: string; authType?: string }> {
  return [...cfg.sections.entries()]
    .filter(([name, values]) => name !== 'DEFAULT' || Object.keys(values).length > 0)
    .map(([name, values]) => ({ name, host: values.host, authType: values.auth_type }));
}

export interface ResolveInput {
  env: Env;
  /** The profile the user chose in Ferry (the ferry.databricks.profile setting); empty for none. */
  profile?: string;
  /** The config file's text; undefined when the file does not exist. */
  fileText?: string;
  filePath: string;
}

export type AttributeSource = 'env' | 'file';

export interface ResolvedConfig {
  host: string;
  token?: string;
  /** Explicit (DATABRICKS_AUTH_TYPE, auth_type), else implied by the attributes present. */
  authType?: string;
  /** Whether authType was given (DATABRICKS_AUTH_TYPE, auth_type) or implied by the attributes. */
  authTypeImplied?: boolean;
  /** OAuth M2M: the service principal's client id and secret. */
  clientId?: string;
  clientSecret?: string;
  /** Where the client id and secret came from. */
  clientSource?: AttributeSource;
  /** databricks_cli_path / DATABRICKS_CLI_PATH. */
  cliPath?: string;
  accountId?: string;
  /** The profile read from the file, if the file was used. */
  profile?: string;
  clusterId?: string;
  hostSource: AttributeSource;
  tokenSource?: AttributeSource;
  filePath: string;
  /** Every attribute the profile held (for the JSON view and for auth types Ferry does not handle). */
  attributes: Record<string, string>;
}

/** Resolves host and token from the environment and the config file; throws DatabricksConfigError with a way forward. */
export function resolveConfig(input: ResolveInput): ResolvedConfig {
  const env = input.env;
  const requested = input.profile?.trim() || env.DATABRICKS_CONFIG_PROFILE?.trim() || undefined;
  const envHost = env.DATABRICKS_HOST?.trim() || undefined;
  const envToken = env.DATABRICKS_TOKEN?.trim() || undefined;
  const envCluster = env.DATABRICKS_CLUSTER_ID?.trim() || undefined;
  const envClientId = env.DATABRICKS_CLIENT_ID?.trim() || undefined;
  const envClientSecret = env.DATABRICKS_CLIENT_SECRET?.trim() || undefined;

  let fileValues: Record<string, string> = {};
  let profile: string | undefined;
  // The SDKs skip the file when nothing asked for a profile and the environment already has a
  // host or credentials.
  const skipFile = !requested && [envHost, envToken, envClientId, envClientSecret].some((v) => v !== undefined);
  if (!skipFile) {
    if (input.fileText === undefined) {
      if (requested) throw new DatabricksConfigError(`Profile "${requested}" was asked for, but ${input.filePath} does not exist`, input.filePath);
    } else {
      const cfg = parseConfigFile(input.fileText, input.filePath);
      const name = requested ?? cfg.defaultProfile ?? 'DEFAULT';
      const values = cfg.sections.get(name);
      if (!values || (name === 'DEFAULT' && !requested && Object.keys(values).length === 0)) {
        if (requested || cfg.defaultProfile) {
          const names = listProfiles(cfg).map((p) => p.name);
          throw new DatabricksConfigError(
            `Profile "${name}" is not in ${input.filePath}${names.length ? ` (profiles: ${names.join(', ')})` : ' (it has no profiles)'}`,
            input.filePath,
          );
        }
      } else {
        fileValues = values;
        profile = name;
      }
    }
  }

  const host = envHost ?? fileValues.host?.trim();
  if (!host) {
    const where = profile ? `profile "${profile}" in ${input.filePath} has no host` : `no DATABRICKS_HOST and no usable profile in ${input.filePath}`;
    throw new DatabricksConfigError(
      `No Databricks workspace is configured: ${where}. Sign in with a host and token, or choose a profile.`,
      input.filePath,
      'NOT_CONFIGURED',
    );
  }
  const token = envToken ?? (fileValues.token || undefined);
  const clientId = envClientId ?? (fileValues.client_id || undefined);
  const clientSecret = envClientSecret ?? (fileValues.client_secret || undefined);
  const explicit = env.DATABRICKS_AUTH_TYPE?.trim() || fileValues.auth_type?.trim() || undefined;
  return {
    host,
    token,
    authType: explicit ?? impliedAuthType(token, clientId, clientSecret, fileValues),
    authTypeImplied: !explicit,
    clientId,
    clientSecret,
    clientSource: envClientId || envClientSecret ? 'env' : clientId || clientSecret ? 'file' : undefined,
    cliPath: env.DATABRICKS_CLI_PATH?.trim() || fileValues.databricks_cli_path || undefined,
    accountId: env.DATABRICKS_ACCOUNT_ID?.trim() || fileValues.account_id || undefined,
    profile,
    clusterId: envCluster ?? (fileValues.cluster_id || undefined),
    hostSource: envHost ? 'env' : 'file',
    tokenSource: envToken ? 'env' : token ? 'file' : undefined,
    filePath: input.filePath,
    attributes: fileValues,
  };
}

/** The auth type the SDKs' default chain would pick from the attributes, roughly in its order. */
function impliedAuthType(
  token: string | undefined,
  clientId: string | undefined,
  clientSecret: string | undefined,
  values: Record<string, string>,
): string | undefined {
  if (token) return 'pat';
  if (values.username && values.password) return 'basic';
  if (clientId && clientSecret) return 'oauth-m2m';
  if (values.metadata_service_url) return 'metadata-service';
  if (values.azure_client_secret) return 'azure-client-secret';
  if (values.azure_use_msi === 'true') return 'azure-msi';
  if (values.google_credentials) return 'google-credentials';
  if (values.google_service_account) return 'google-id';
  return undefined;
}
