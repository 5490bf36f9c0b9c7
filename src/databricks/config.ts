// Where the workspace host and token come from, resolved the way the Databricks SDKs do it:
// attributes set explicitly > environment (DATABRICKS_HOST, DATABRICKS_TOKEN) > the profile in
// ~/.databrickscfg. The profile is the one asked for (Ferry's setting, then
// DATABRICKS_CONFIG_PROFILE), else [__settings__] default_profile, else DEFAULT; and when no
// profile was asked for but the environment already gives a host or a token, the file is skipped.
// Pure functions: the caller reads the file and the environment and hands them in.
import path from 'node:path';
import { DatabricksError } from './errors';

export type Env = Record<string, string | undefined>;

export interface ConfigFile {
  /** Section name → key → value. `DEFAULT` holds keys written before any section too. */
  sections: Map<string, Record<string, string>>;
  /** [__settings__] default_profile, when present. */
  defaultProfile?: string;
}

export class DatabricksConfigError extends DatabricksError {
  constructor(message: string, readonly file?: string) {
    super({ errorCode: 'INVALID_CONFIG', message, status: 0, kind: 'config', actions: [{ title: 'Choose Profile', command: 'ferry.databricks.selectProfile' }, { title: 'Sign In', command: 'ferry.databricks.signIn' }] });
    this.name = 'DatabricksConfigError';
  }
}

/** The config file's path: DATABRICKS_CONFIG_FILE (with a leading ~ expanded), else ~/.databrickscfg. */
export function configFilePath(env: Env, homedir: string, pathApi: Pick<typeof path, 'join'> = path): string {
  const fromEnv = env.DATABRICKS_CONFIG_FILE?.trim();
  if (fromEnv) return fromEnv.startsWith('~') ? pathApi.join(homedir, fromEnv.slice(1).replace(/^[\\/]/, '')) : fromEnv;
  return pathApi.join(homedir, '.databrickscfg');
}

/** Parses the INI text of a .databrickscfg. Throws DatabricksConfigError with the line number of what it cannot read. */
export function parseConfigFile(text: string, file = '.databrickscfg'): ConfigFile {
  const sections = new Map<string, Record<string, string>>();
  let current = 'DEFAULT';
  sections.set(current, {});
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    if (line.startsWith('[')) {
      const m = /^\[([^\]]*)\]$/.exec(line);
      if (!m || !m[1].trim()) throw new DatabricksConfigError(`${file} line ${i + 1}: "${line}" is not a valid [section] header`, file);
      current = m[1].trim();
      if (!sections.has(current)) sections.set(current, {});
      return;
    }
    const eq = line.search(/[=:]/);
    if (eq <= 0) throw new DatabricksConfigError(`${file} line ${i + 1}: expected "key = value" but found "${line.length > 60 ? `${line.slice(0, 60)}…` : line}"`, file);
    const key = line.slice(0, eq).trim();
    // Inline comments need whitespace before them, so a bare # may appear inside a value.
    let value = line.slice(eq + 1).replace(/\s+[#;].*$/, '').trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    (sections.get(current) as Record<string, string>)[key] = value;
  });
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
  authType?: string;
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

  let fileValues: Record<string, string> = {};
  let profile: string | undefined;
  const skipFile = !requested && (envHost !== undefined || envToken !== undefined);
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
          throw new DatabricksConfigError(`Profile "${name}" is not in ${input.filePath}${names.length ? ` (profiles: ${names.join(', ')})` : ' (it has no profiles)'}`, input.filePath);
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
    throw new DatabricksConfigError(`No Databricks workspace is configured: ${where}. Sign in with a host and token, or choose a profile.`, input.filePath);
  }
  const token = envToken ?? (fileValues.token || undefined);
  return {
    host,
    token,
    authType: env.DATABRICKS_AUTH_TYPE?.trim() || fileValues.auth_type || (token ? 'pat' : undefined),
    profile,
    clusterId: envCluster ?? (fileValues.cluster_id || undefined),
    hostSource: envHost ? 'env' : 'file',
    tokenSource: envToken ? 'env' : token ? 'file' : undefined,
    filePath: input.filePath,
    attributes: fileValues,
  };
}
