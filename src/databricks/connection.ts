// The active Databricks workspace. Several may be known (profiles in ~/.databrickscfg, the
// environment, and workspaces signed in with a personal access token or through OAuth U2M in the
// browser, kept in the editor's secret storage); one is active. The pieces: the credential store
// (credentialStore.ts) keeps what Ferry signed in with, the resolver (resolver.ts) decides once per
// connection how to sign in, a token source per way of signing in yields tokens, and one REST
// client (client.ts, over http.ts) sends every request and renews once on a refused token.
// The editor hands in its stores, so this runs and is tested in Node.
import { Logger, silentLogger } from '../core/logger';
import { registerSecret } from '../core/redact';
import { DatabricksClient, normalizeHost, RetryPolicy } from './client';
import { CLI_UNAVAILABLE, CliTokenError, CliTokenSource } from './cliToken';
import { ClustersService } from './clusters';
import { configFilePath, listProfiles, parseConfigFile } from './config';
import { CredentialStore, SecretStore, StateStore } from './credentialStore';
import { staticToken, TokenSource } from './credentials';
import { Emitter, Listener } from './emitter';
import { DatabricksError } from './errors';
import { DatabricksHttpOptions } from './http';
import { JobsService } from './jobs';
import { M2MTokenSource } from './m2m';
import { browserSignIn, callbackPorts, OAUTH_AUTH_TYPES, OAuthTokenSource } from './oauth';
import { ConnectionChoice, ConnectionEnvironment, readConfig, resolveConnection, ResolvedConnection } from './resolver';
import { DatabricksTransport } from './transport';
import { currentUser } from './workspace';

export type { SecretStore, StateStore } from './credentialStore';
export { oauthTokenKey, tokenKey } from './credentialStore';
export type { ConnectionChoice, ConnectionEnvironment } from './resolver';

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

/**
 * The Databricks CLI's token, with Ferry's own browser sign-in for the same host standing in
 * when the CLI is missing, too old or not signed in (looked up at that moment, so a browser
 * sign-in made after the failure is used too).
 */
class CliOrBrowserSignIn implements TokenSource {
  private active: TokenSource;

  constructor(
    private readonly cli: CliTokenSource,
    private readonly fallback: () => Promise<OAuthTokenSource | undefined>,
    private readonly logger: Logger,
  ) {
    this.active = cli;
  }

  async token(signal?: AbortSignal): Promise<string> {
    try {
      return await this.active.token(signal);
    } catch (err) {
      if (this.active !== this.cli || !(err instanceof CliTokenError) || !CLI_UNAVAILABLE.has(err.errorCode)) throw err;
      const own = await this.fallback();
      if (!own) throw err;
      this.logger.info(`${err.errorCode}: using Ferry's own browser sign-in for this host instead of the Databricks CLI`);
      this.active = own;
      return own.token(signal);
    }
  }

  async renew(signal?: AbortSignal): Promise<void> {
    await this.active.renew?.(signal);
  }

  refusedAfterRenewal(err: DatabricksError, host: string): DatabricksError {
    return this.active.refusedAfterRenewal?.(err, host) ?? err;
  }
}

export class ConnectionManager {
  private cached: Promise<ActiveConnection> | undefined;
  private readonly changed = new Emitter<void>();
  private readonly store: CredentialStore;
  /** The OAuth U2M token sources in use, by host, so renewals saved by another window reach them. */
  private readonly liveOAuth = new Map<string, OAuthTokenSource>();
  private readonly storeWatch: { dispose(): void };
  readonly onDidChange: (listener: Listener<void>) => { dispose(): void } = (l) => this.changed.event(l);

  constructor(
    secrets: SecretStore,
    private readonly state: StateStore,
    private readonly environment: ConnectionEnvironment,
    private readonly logger: Logger = silentLogger,
    private readonly retry?: Partial<RetryPolicy>,
    private readonly oauth: OAuthSettings = {},
    /** Connection settings for every request to a workspace (REST, OAuth, M2M): proxy and CA agents, asked for each client built (they change with the network settings). */
    private readonly httpOptions: DatabricksHttpOptions | (() => DatabricksHttpOptions) = {},
  ) {
    this.store = new CredentialStore(secrets, state, logger.scoped('databricks'));
    this.storeWatch = this.store.onDidChange((c) => void this.onStoreChange(c.kind, c.host));
  }

  private get http(): DatabricksHttpOptions {
    return typeof this.httpOptions === 'function' ? this.httpOptions() : this.httpOptions;
  }

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
    this.liveOAuth.clear();
    this.changed.fire();
  }

  /** Another window (or this one) changed a stored credential. */
  private async onStoreChange(kind: 'pat' | 'oauth', host: string): Promise<void> {
    try {
      if (kind === 'oauth') {
        const live = this.liveOAuth.get(host);
        if (!live) return;
        // A renewal is adopted in place; a sign-out elsewhere ends this connection.
        if (!(await this.store.tokenSet(host))) this.invalidate();
        else await live.reload();
        return;
      }
      const choice = this.choice;
      if (choice.kind === 'signedIn' && choice.host === host && this.cached) this.invalidate();
    } catch (err) {
      this.logger.warn('Could not read a credential another window changed', err);
    }
  }

  private async connect(): Promise<ActiveConnection> {
    return this.build(await resolveConnection(this.choice, this.environment, this.store));
  }

  /** Ferry's own browser sign-in for a host, as a token source that follows other windows' renewals. */
  private async oauthSource(host: string): Promise<OAuthTokenSource | undefined> {
    const tokens = await this.store.tokenSet(host);
    if (!tokens) return undefined;
    const source = new OAuthTokenSource(tokens, this.store.tokenSetStore(host), this.logger.scoped('databricks'), this.oauth.refreshMarginMs, this.http);
    this.liveOAuth.set(host, source);
    return source;
  }

  private async tokenSource(r: ResolvedConnection): Promise<TokenSource> {
    const logger = this.logger.scoped('databricks');
    switch (r.plan.kind) {
      case 'pat':
        return staticToken(r.plan.token);
      case 'm2m':
        return new M2MTokenSource(r.plan.servicePrincipal, logger, this.http, this.oauth.refreshMarginMs);
      case 'cli': {
        const cli = new CliTokenSource({
          host: r.host,
          profile: r.plan.profile,
          cliPath: r.plan.cliPath,
          accountId: r.plan.accountId,
          env: this.environment.env,
          logger,
        });
        return new CliOrBrowserSignIn(cli, () => this.oauthSource(r.host), logger);
      }
      case 'u2m': {
        const source = await this.oauthSource(r.host);
        if (!source)
          throw new DatabricksError({
            errorCode: 'NO_TOKEN',
            message: `No OAuth sign-in is stored for ${r.host}; sign in with the browser again`,
            status: 0,
            kind: 'config',
          });
        return source;
      }
    }
  }

  private async build(r: ResolvedConnection): Promise<ActiveConnection> {
    const client = new DatabricksClient({
      ...this.http,
      host: r.host,
      token: await this.tokenSource(r),
      logger: this.logger.scoped('databricks'),
      retry: this.retry,
    });
    const transport: DatabricksTransport = { host: client.host, request: (method, path, opts) => client.request(method, path, opts) };
    return {
      ...transport,
      label: r.label === client.host ? client.host : `${r.label} (${client.host})`,
      choice: r.choice,
      profile: r.profile,
      clusterIdHint: r.clusterIdHint,
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
        out.push({
          kind: 'profile',
          name: p.name,
          host: p.host,
          detail: p.authType ? `auth: ${p.authType}` : undefined,
          active: choice.kind === 'config' && (active ? active === p.name : p.name === (cfg.defaultProfile ?? 'DEFAULT')),
        });
      }
    }
    if (env.DATABRICKS_HOST) {
      const how = env.DATABRICKS_CLIENT_ID ? 'DATABRICKS_HOST / DATABRICKS_CLIENT_ID (service principal)' : 'DATABRICKS_HOST / DATABRICKS_TOKEN';
      out.push({ kind: 'env', name: env.DATABRICKS_HOST, host: env.DATABRICKS_HOST, detail: how, active: choice.kind === 'config' && !active });
    }
    for (const host of this.oauthHosts())
      out.push({
        kind: 'oauth',
        name: host,
        host,
        detail: 'signed in with OAuth (tokens in secret storage)',
        active: choice.kind === 'oauth' && choice.host === host,
      });
    for (const host of this.signedInHosts())
      out.push({
        kind: 'signedIn',
        name: host,
        host,
        detail: 'signed in (token in secret storage)',
        active: choice.kind === 'signedIn' && choice.host === host,
      });
    return out;
  }

  signedInHosts(): string[] {
    return this.store.signedInHosts();
  }

  /** Hosts with an OAuth token set in secret storage (signed in with the browser). */
  oauthHosts(): string[] {
    return this.store.oauthHosts();
  }

  /** Whether the active configuration (a profile or the environment) is for `host` and signs in through OAuth U2M (Ferry's or the CLI's). */
  private async configUsesBrowserSignInFor(host: string): Promise<boolean> {
    if (this.choice.kind !== 'config') return false;
    try {
      const cfg = await readConfig(this.environment);
      const type = cfg.authType ?? '';
      return normalizeHost(cfg.host) === host && (type === 'databricks-cli' || OAUTH_AUTH_TYPES.has(type));
    } catch {
      return false;
    }
  }

  /**
   * OAuth U2M: opens the workspace's sign-in page through `openUrl`, waits for the loopback
   * redirect, exchanges the code, checks the user (SCIM Me) and keeps the token set in secret
   * storage. The host becomes active, unless the active profile is for that same host and signs
   * in through OAuth (it then simply starts working). Returns the user name.
   */
  async signInWithBrowser(hostInput: string, openUrl: (url: string) => Promise<void>, signal?: AbortSignal): Promise<string> {
    const host = normalizeHost(hostInput);
    const tokens = await browserSignIn(host, {
      openUrl,
      signal,
      ports: this.oauth.ports ?? callbackPorts(this.environment.env),
      timeoutMs: this.oauth.timeoutMs,
      logger: this.logger.scoped('databricks'),
      http: this.http,
    });
    const probe = new DatabricksClient({
      ...this.http,
      host,
      token: tokens.accessToken,
      logger: this.logger.scoped('databricks'),
      retry: { maxAttempts: 2, totalTimeoutMs: 15_000 },
      timeoutMs: 15_000,
    });
    const me = await currentUser(probe, signal);
    await this.store.saveTokenSet(host, tokens);
    if (await this.configUsesBrowserSignInFor(host)) this.invalidate();
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
    const probe = new DatabricksClient({
      ...this.http,
      host,
      token: trimmed,
      logger: this.logger.scoped('databricks'),
      retry: { maxAttempts: 2, totalTimeoutMs: 15_000 },
      timeoutMs: 15_000,
    });
    const me = await currentUser(probe, signal);
    await this.store.savePat(host, trimmed);
    await this.use({ kind: 'signedIn', host });
    return me.userName;
  }

  async signOut(host: string): Promise<void> {
    await this.store.forget(host);
    const choice = this.choice;
    if ((choice.kind === 'signedIn' || choice.kind === 'oauth') && choice.host === host) await this.use({ kind: 'config' });
    else this.invalidate();
  }

  async use(choice: ConnectionChoice): Promise<void> {
    await this.state.update(CHOICE_KEY, choice);
    this.invalidate();
  }

  dispose(): void {
    this.storeWatch.dispose();
    this.store.dispose();
    this.changed.dispose();
  }
}
