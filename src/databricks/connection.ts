// The active Databricks workspace. Several may be known (profiles in ~/.databrickscfg, the
// environment, and workspaces signed in with a host and token kept in the editor's secret
// storage, with a personal access token or through OAuth U2M in the browser); one is active. The
// editor hands in its stores, so this runs and is tested in Node.
import { Logger, silentLogger } from '../core/logger';
import type { HttpAgents } from '../core/network';
import { forgetSecret, registerSecret } from '../core/redact';
import { DatabricksClient, normalizeHost, RetryPolicy } from './client';
import { ClustersService } from './clusters';
import { configFilePath, DatabricksConfigError, Env, listProfiles, parseConfigFile, resolveConfig } from './config';
import { Emitter, Listener } from './emitter';
import { CHOOSE_PROFILE, DatabricksError, isInvalidToken } from './errors';
import { JobsService } from './jobs';
import { browserSignIn, callbackPorts, OAUTH_AUTH_TYPES, OAuthTokenSet, OAuthTokenSource, parseTokenSet, SIGN_IN_BROWSER } from './oauth';
import { DatabricksTransport } from './transport';
import { currentUser } from './workspace';

/** The editor's SecretStorage, structurally. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** The editor's globalState Memento, structurally. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface ConnectionEnvironment {
  env: Env;
  homedir: string;
  /** Reads a file; undefined when it does not exist. */
  readFile(path: string): Promise<string | undefined>;
  /** The ferry.databricks.profile setting. */
  profileSetting(): string;
  /** New proxy/CA agents for a client (the network module's); Node's defaults when absent. */
  agents?(): HttpAgents;
}

/** Which workspace is active: a profile (from the setting, env or file) or a signed-in host. */
export type ConnectionChoice = { kind: 'config' } | { kind: 'signedIn'; host: string } | { kind: 'oauth'; host: string };

/** Tuning of the OAuth U2M flow (tests pin the callback port to 0 and shorten the wait). */
export interface OAuthSettings {
  /** Loopback ports to try (default: DATABRICKS_OAUTH_CALLBACK_PORT, else 8020…8040). */
  ports?: number[];
  /** How long to wait for the browser (default 5 min). */
  timeoutMs?: number;
  /** Renew this long before expiry at most (default 60 s; a quarter of the lifetime for short tokens). */
  refreshMarginMs?: number;
}

export interface ConnectionOption {
  kind: 'profile' | 'env' | 'signedIn' | 'oauth';
  /** Profile name, or the host for env and signed-in workspaces. */
  name: string;
  host?: string;
  detail?: string;
  active: boolean;
}

/** A connected workspace: the transport plus the services built on it. */
export interface ActiveConnection extends DatabricksTransport {
  /** What to show: `profile sandbox (http://127.0.0.1:5000)`. */
  readonly label: string;
  readonly choice: ConnectionChoice;
  readonly profile?: string;
  /** cluster_id from the profile or DATABRICKS_CLUSTER_ID, used when no default cluster was chosen. */
  readonly clusterIdHint?: string;
  readonly clusters: ClustersService;
  readonly jobs: JobsService;
}

const CHOICE_KEY = 'ferry.databricks.activeConnection';
const SIGNED_IN_KEY = 'ferry.databricks.signedInHosts';
const OAUTH_HOSTS_KEY = 'ferry.databricks.oauthHosts';
export const tokenKey = (host: string): string => `ferry.databricks.token:${host}`;
/** The OAuth token set (JSON) of a host signed in with the browser, or of a databricks-cli profile's host. */
export const oauthTokenKey = (host: string): string => `ferry.databricks.oauth:${host}`;

export class ConnectionManager {
  private cached: Promise<ActiveConnection> | undefined;
  private readonly changed = new Emitter<void>();
  readonly onDidChange: (listener: Listener<void>) => { dispose(): void } = (l) => this.changed.event(l);

  constructor(
    private readonly secrets: SecretStore,
    private readonly state: StateStore,
    private readonly environment: ConnectionEnvironment,
    private readonly logger: Logger = silentLogger,
    private readonly retry?: Partial<RetryPolicy>,
    private readonly oauth: OAuthSettings = {},
  ) {}

  get choice(): ConnectionChoice {
    return this.state.get<ConnectionChoice>(CHOICE_KEY) ?? { kind: 'config' };
  }

  /** The active workspace, connected on first use (no network until a request is made). */
  current(): Promise<ActiveConnection> {
    if (!this.cached) {
      this.cached = this.connect();
      // A failure is not cached: the next call tries again (after the user fixed the file, say).
      this.cached.catch(() => (this.cached = undefined));
    }
    return this.cached;
  }

  /** Forget the connection (settings or files changed); listeners are told. */
  invalidate(): void {
    this.cached = undefined;
    this.changed.fire();
  }

  private async connect(): Promise<ActiveConnection> {
    const choice = this.choice;
    if (choice.kind === 'signedIn') {
      const token = await this.secrets.get(tokenKey(choice.host));
      if (!token) {
        throw new DatabricksError({ errorCode: 'NO_TOKEN', message: `No token is stored for ${choice.host}; sign in again`, status: 0, kind: 'auth' });
      }
      return this.build(choice.host, token, choice, `${choice.host}`);
    }
    if (choice.kind === 'oauth') {
      const source = await this.oauthSource(choice.host);
      if (!source) throw new DatabricksError({ errorCode: 'NO_TOKEN', message: `No OAuth sign-in is stored for ${choice.host}; use "Databricks: Sign In with Browser (OAuth)" again`, status: 0, kind: 'config', actions: [SIGN_IN_BROWSER, CHOOSE_PROFILE] });
      return this.build(choice.host, source, choice, 'OAuth');
    }
    const env = this.environment.env;
    const filePath = configFilePath(env, this.environment.homedir);
    const fileText = await this.environment.readFile(filePath);
    const resolved = resolveConfig({ env, profile: this.environment.profileSetting(), fileText, filePath });
    if (!resolved.token && resolved.authType && OAUTH_AUTH_TYPES.has(resolved.authType)) {
      const host = normalizeHost(resolved.host);
      const source = await this.oauthSource(host);
      const who = resolved.profile ? `Profile "${resolved.profile}"` : 'The configuration';
      if (!source) {
        throw new DatabricksError({
          errorCode: 'NO_TOKEN',
          message: `${who} uses OAuth (auth_type "${resolved.authType}") and Ferry has no sign-in for ${host} yet. Run "Databricks: Sign In with Browser (OAuth)" to sign in.`,
          status: 0,
          kind: 'config',
          actions: [SIGN_IN_BROWSER, CHOOSE_PROFILE],
        });
      }
      const label = resolved.profile ? `profile ${resolved.profile}` : 'environment';
      return this.build(host, source, choice, label, resolved.profile, resolved.clusterId);
    }
    if (!resolved.token) {
      const how = resolved.authType && resolved.authType !== 'pat' ? `uses auth_type "${resolved.authType}", which Ferry does not support yet` : 'has no token';
      throw new DatabricksConfigError(`${resolved.profile ? `Profile "${resolved.profile}"` : 'The configuration'} ${how}. Sign in with a personal access token, or choose another profile.`, filePath);
    }
    const label = resolved.profile ? `profile ${resolved.profile}` : 'environment';
    return this.build(resolved.host, resolved.token, choice, label, resolved.profile, resolved.clusterId);
  }

  /** The stored OAuth token set for a host as a refreshing token source; persists renewals. */
  private async oauthSource(host: string): Promise<OAuthTokenSource | undefined> {
    const tokens = parseTokenSet(await this.secrets.get(oauthTokenKey(host)));
    if (!tokens) return undefined;
    return new OAuthTokenSource(tokens, (next) => this.storeOAuth(host, next), this.logger.scoped('databricks'), this.oauth.refreshMarginMs, this.environment.agents?.());
  }

  private async storeOAuth(host: string, tokens: OAuthTokenSet): Promise<void> {
    await this.secrets.store(oauthTokenKey(host), JSON.stringify(tokens));
  }

  private build(host: string, token: string | OAuthTokenSource, choice: ConnectionChoice, label: string, profile?: string, clusterIdHint?: string): ActiveConnection {
    const source = typeof token === 'string' ? undefined : token;
    const client = new DatabricksClient({ host, token: source ? () => source.token() : (token as string), logger: this.logger.scoped('databricks'), retry: this.retry, agents: this.environment.agents?.() });
    const normalized = client.host;
    const request: ActiveConnection['request'] = async (method, path, opts) => {
      try {
        return await client.request(method, path, opts);
      } catch (err) {
        // An OAuth token the workspace no longer accepts (revoked early, clock skew): renew once and retry.
        if (!source || !(err instanceof DatabricksError) || !isInvalidToken(err.status, err.serverMessage)) throw err;
        this.logger.info(`${method} ${path}: the OAuth token was refused; renewing it once`);
        await source.refresh();
        try {
          return await client.request(method, path, opts);
        } catch (again) {
          if (!(again instanceof DatabricksError) || !isInvalidToken(again.status, again.serverMessage)) throw again;
          throw new DatabricksError({ errorCode: again.errorCode, message: `${normalized} refused the OAuth sign-in even after renewing it (${again.serverMessage}). Sign in with the browser again.`, status: again.status, kind: 'auth', actions: [SIGN_IN_BROWSER, CHOOSE_PROFILE], cause: again, verbatim: true });
        }
      }
    };
    const transport: DatabricksTransport = { host: normalized, request };
    return {
      host: normalized,
      request,
      label: label === normalized ? normalized : `${label} (${normalized})`,
      choice,
      profile,
      clusterIdHint,
      clusters: new ClustersService(transport),
      jobs: new JobsService(transport),
    };
  }

  /** Every workspace the user could make active. */
  async options(): Promise<ConnectionOption[]> {
    const env = this.environment.env;
    const choice = this.choice;
    const out: ConnectionOption[] = [];
    const filePath = configFilePath(env, this.environment.homedir);
    const text = await this.environment.readFile(filePath);
    const active = this.environment.profileSetting() || env.DATABRICKS_CONFIG_PROFILE || '';
    if (text !== undefined) {
      const cfg = parseConfigFile(text, filePath);
      for (const p of listProfiles(cfg)) {
        out.push({ kind: 'profile', name: p.name, host: p.host, detail: p.authType ? `auth: ${p.authType}` : undefined, active: choice.kind === 'config' && (active ? active === p.name : p.name === (cfg.defaultProfile ?? 'DEFAULT')) });
      }
    }
    if (env.DATABRICKS_HOST) out.push({ kind: 'env', name: env.DATABRICKS_HOST, host: env.DATABRICKS_HOST, detail: 'DATABRICKS_HOST / DATABRICKS_TOKEN', active: choice.kind === 'config' && !active });
    for (const host of this.oauthHosts()) out.push({ kind: 'oauth', name: host, host, detail: 'signed in with OAuth (tokens in secret storage)', active: choice.kind === 'oauth' && choice.host === host });
    for (const host of this.signedInHosts()) out.push({ kind: 'signedIn', name: host, host, detail: 'signed in (token in secret storage)', active: choice.kind === 'signedIn' && choice.host === host });
    return out;
  }

  signedInHosts(): string[] {
    return this.state.get<string[]>(SIGNED_IN_KEY) ?? [];
  }

  /** Hosts with an OAuth token set in secret storage (signed in with the browser). */
  oauthHosts(): string[] {
    return this.state.get<string[]>(OAUTH_HOSTS_KEY) ?? [];
  }

  /** The host of the active profile when it uses OAuth (auth_type databricks-cli), else undefined. */
  private async configOAuthHost(): Promise<string | undefined> {
    try {
      const env = this.environment.env;
      const filePath = configFilePath(env, this.environment.homedir);
      const resolved = resolveConfig({ env, profile: this.environment.profileSetting(), fileText: await this.environment.readFile(filePath), filePath });
      return !resolved.token && resolved.authType && OAUTH_AUTH_TYPES.has(resolved.authType) ? normalizeHost(resolved.host) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * OAuth U2M: opens the workspace's sign-in page through `openUrl`, waits for the loopback
   * redirect, exchanges the code, checks the user (SCIM Me) and keeps the token set in secret
   * storage. The host becomes active, unless the active profile is an OAuth profile for that
   * same host (it then simply starts working). Returns the user name.
   */
  async signInWithBrowser(hostInput: string, openUrl: (url: string) => Promise<void>, signal?: AbortSignal): Promise<string> {
    const host = normalizeHost(hostInput);
    const tokens = await browserSignIn(host, { openUrl, signal, ports: this.oauth.ports ?? callbackPorts(this.environment.env), timeoutMs: this.oauth.timeoutMs, logger: this.logger.scoped('databricks'), agents: this.environment.agents?.() });
    const probe = new DatabricksClient({ host, token: tokens.accessToken, logger: this.logger.scoped('databricks'), retry: { maxAttempts: 2, totalTimeoutMs: 15_000 }, timeoutMs: 15_000, agents: this.environment.agents?.() });
    const me = await currentUser(probe, signal);
    await this.storeOAuth(host, tokens);
    await this.state.update(OAUTH_HOSTS_KEY, [...this.oauthHosts().filter((h) => h !== host), host]);
    if (this.choice.kind === 'config' && (await this.configOAuthHost()) === host) this.invalidate();
    else await this.use({ kind: 'oauth', host });
    return me.userName;
  }

  /**
   * Checks host and token against the workspace (SCIM Me), then keeps the token in secret
   * storage and makes the workspace active. Returns the user name.
   */
  async signIn(hostInput: string, token: string, signal?: AbortSignal): Promise<string> {
    const host = normalizeHost(hostInput);
    const trimmed = token.trim();
    if (!trimmed) throw new DatabricksError({ errorCode: 'NO_TOKEN', message: 'The token is empty', status: 0, kind: 'invalidInput' });
    registerSecret(trimmed);
    const probe = new DatabricksClient({ host, token: trimmed, logger: this.logger.scoped('databricks'), retry: { maxAttempts: 2, totalTimeoutMs: 15_000 }, timeoutMs: 15_000, agents: this.environment.agents?.() });
    const me = await currentUser(probe, signal);
    await this.secrets.store(tokenKey(host), trimmed);
    const hosts = this.signedInHosts().filter((h) => h !== host);
    await this.state.update(SIGNED_IN_KEY, [...hosts, host]);
    await this.use({ kind: 'signedIn', host });
    return me.userName;
  }

  async signOut(host: string): Promise<void> {
    const old = await this.secrets.get(tokenKey(host));
    await this.secrets.delete(tokenKey(host));
    forgetSecret(old);
    await this.state.update(SIGNED_IN_KEY, this.signedInHosts().filter((h) => h !== host));
    const oauth = parseTokenSet(await this.secrets.get(oauthTokenKey(host)));
    await this.secrets.delete(oauthTokenKey(host));
    forgetSecret(oauth?.accessToken);
    forgetSecret(oauth?.refreshToken);
    await this.state.update(OAUTH_HOSTS_KEY, this.oauthHosts().filter((h) => h !== host));
    const choice = this.choice;
    if ((choice.kind === 'signedIn' || choice.kind === 'oauth') && choice.host === host) await this.use({ kind: 'config' });
    else this.invalidate();
  }

  async use(choice: ConnectionChoice): Promise<void> {
    await this.state.update(CHOICE_KEY, choice);
    this.invalidate();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
