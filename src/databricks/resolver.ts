// Decides, once per connection, which workspace is active and how Ferry signs in to it: a
// personal access token, Ferry's own browser sign-in (OAuth U2M), a service principal (OAuth
// M2M) or the Databricks CLI. Any other auth_type gets a clear error that names it and says what
// Ferry supports. No network and no process here: only the choice, the environment and the file.
import { normalizeHost } from './client';
import { configFilePath, DatabricksConfigError, Env, resolveConfig, ResolvedConfig } from './config';
import { CredentialStore } from './credentialStore';
import { CHOOSE_PROFILE, DatabricksError } from './errors';
import { ServicePrincipal } from './m2m';
import { OAUTH_AUTH_TYPES, SIGN_IN_BROWSER } from './oauth';

/** Which workspace is active: a profile (from the setting, env or file) or a signed-in host. */
export type ConnectionChoice = { kind: 'config' } | { kind: 'signedIn'; host: string } | { kind: 'oauth'; host: string };

export interface ConnectionEnvironment {
  env: Env;
  homedir: string;
  /** Reads a file; undefined when it does not exist. */
  readFile(path: string): Promise<string | undefined>;
  /** The ferry.databricks.profile setting. */
  profileSetting(): string;
}

export type AuthPlan =
  | { kind: 'pat'; token: string }
  /** Ferry's own browser sign-in: the token set stored for the host. */
  | { kind: 'u2m' }
  | { kind: 'm2m'; servicePrincipal: ServicePrincipal }
  /** `databricks auth token`; Ferry's own browser sign-in for the host stands in when the CLI cannot. */
  | { kind: 'cli'; profile?: string; cliPath?: string; accountId?: string };

export interface ResolvedConnection {
  host: string;
  plan: AuthPlan;
  choice: ConnectionChoice;
  /** What to show: `profile sandbox`, `environment`, `OAuth` or the host. */
  label: string;
  profile?: string;
  clusterIdHint?: string;
}

/** What Ferry signs in with, for the message about an auth_type it does not support. */
export const SUPPORTED_AUTH =
  'Ferry supports a personal access token (auth_type = pat, or a token in the profile), a service principal (auth_type = oauth-m2m with client_id and client_secret), the Databricks CLI (auth_type = databricks-cli) and its own browser sign-in ("Databricks: Sign In with Browser (OAuth)")';

/** Reads the profile the configuration points at (no network). */
export async function readConfig(environment: ConnectionEnvironment): Promise<ResolvedConfig> {
  const env = environment.env;
  const filePath = configFilePath(env, environment.homedir);
  return resolveConfig({ env, profile: environment.profileSetting(), fileText: await environment.readFile(filePath), filePath });
}

export async function resolveConnection(choice: ConnectionChoice, environment: ConnectionEnvironment, store: CredentialStore): Promise<ResolvedConnection> {
  if (choice.kind === 'signedIn') {
    const token = await store.pat(choice.host);
    if (!token) throw new DatabricksError({ errorCode: 'NO_TOKEN', message: `No token is stored for ${choice.host}; sign in again`, status: 0, kind: 'auth' });
    return { host: choice.host, plan: { kind: 'pat', token }, choice, label: choice.host };
  }
  if (choice.kind === 'oauth') {
    if (!(await store.tokenSet(choice.host)))
      throw noBrowserSignIn(`No OAuth sign-in is stored for ${choice.host}; use "Databricks: Sign In with Browser (OAuth)" again`);
    return { host: choice.host, plan: { kind: 'u2m' }, choice, label: 'OAuth' };
  }
  const cfg = await readConfig(environment);
  const host = normalizeHost(cfg.host);
  const label = cfg.profile ? `profile ${cfg.profile}` : 'environment';
  const who = cfg.profile ? `Profile "${cfg.profile}"` : 'The configuration';
  const base = { host, choice, label, profile: cfg.profile, clusterIdHint: cfg.clusterId };
  const type = cfg.authType;
  if (type === 'pat' || (!type && cfg.token)) {
    if (!cfg.token)
      throw new DatabricksConfigError(
        `${who} has auth_type = pat but no token. Add "token = dapi…" to it, or sign in with a personal access token.`,
        cfg.filePath,
      );
    return { ...base, plan: { kind: 'pat', token: cfg.token } };
  }
  if (type === 'oauth-m2m') {
    const where =
      cfg.clientSource === 'env'
        ? 'DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET'
        : cfg.profile
          ? `profile "${cfg.profile}" in ${cfg.filePath}`
          : cfg.filePath;
    const missing = [!cfg.clientId && 'client_id', !cfg.clientSecret && 'client_secret'].filter(Boolean);
    if (missing.length)
      throw new DatabricksConfigError(
        `${who} uses OAuth M2M (a service principal) but has no ${missing.join(' and ')}. Add it to the profile, or set DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET.`,
        cfg.filePath,
      );
    return {
      ...base,
      plan: { kind: 'm2m', servicePrincipal: { host, clientId: cfg.clientId as string, clientSecret: cfg.clientSecret as string, origin: where } },
    };
  }
  if (type === 'databricks-cli') return { ...base, plan: { kind: 'cli', profile: cfg.profile, cliPath: cfg.cliPath, accountId: cfg.accountId } };
  if (type && OAUTH_AUTH_TYPES.has(type)) {
    if (!(await store.tokenSet(host)))
      throw noBrowserSignIn(
        `${who} uses OAuth (auth_type "${type}") and Ferry has no sign-in for ${host} yet. Run "Databricks: Sign In with Browser (OAuth)" to sign in.`,
      );
    return { ...base, plan: { kind: 'u2m' } };
  }
  if (type) {
    const implied = cfg.authTypeImplied ? ' (implied by its attributes)' : '';
    throw new DatabricksConfigError(
      `${who} uses auth_type "${type}"${implied}, which Ferry does not support. ${SUPPORTED_AUTH}. Choose another profile, or sign in.`,
      cfg.filePath,
    );
  }
  throw new DatabricksConfigError(
    `${who} has no token and no auth_type. Add a token, client_id and client_secret (OAuth M2M) or auth_type = databricks-cli, choose another profile, or sign in.`,
    cfg.filePath,
  );
}

function noBrowserSignIn(message: string): DatabricksError {
  return new DatabricksError({ errorCode: 'NO_TOKEN', message, status: 0, kind: 'config', actions: [SIGN_IN_BROWSER, CHOOSE_PROFILE] });
}
