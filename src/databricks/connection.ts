// The active Databricks workspace. Several may be known (profiles in ~/.databrickscfg, the
// environment, and workspaces signed in with a host and token kept in the editor's secret
// storage); one is active. The editor hands in its stores, so this runs and is tested in Node.
import { Logger, silentLogger } from '../core/logger';
import { forgetSecret, registerSecret } from '../core/redact';
import { DatabricksClient, normalizeHost, RetryPolicy } from './client';
import { ClustersService } from './clusters';
import { configFilePath, DatabricksConfigError, Env, listProfiles, parseConfigFile, resolveConfig } from './config';
import { Emitter, Listener } from './emitter';
import { DatabricksError } from './errors';
import { JobsService } from './jobs';
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
}

/** Which workspace is active: a profile (from the setting, env or file) or a signed-in host. */
export type ConnectionChoice = { kind: 'config' } | { kind: 'signedIn'; host: string };

export interface ConnectionOption {
  kind: 'profile' | 'env' | 'signedIn';
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
export const tokenKey = (host: string): string => `ferry.databricks.token:${host}`;

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
    const env = this.environment.env;
    const filePath = configFilePath(env, this.environment.homedir);
    const fileText = await this.environment.readFile(filePath);
    const resolved = resolveConfig({ env, profile: this.environment.profileSetting(), fileText, filePath });
    if (!resolved.token) {
      const how = resolved.authType && resolved.authType !== 'pat' ? `uses auth_type "${resolved.authType}", which Ferry does not support yet` : 'has no token';
      throw new DatabricksConfigError(`${resolved.profile ? `Profile "${resolved.profile}"` : 'The configuration'} ${how}. Sign in with a personal access token, or choose another profile.`, filePath);
    }
    const label = resolved.profile ? `profile ${resolved.profile}` : 'environment';
    return this.build(resolved.host, resolved.token, choice, label, resolved.profile, resolved.clusterId);
  }

  private build(host: string, token: string, choice: ConnectionChoice, label: string, profile?: string, clusterIdHint?: string): ActiveConnection {
    const client = new DatabricksClient({ host, token, logger: this.logger.scoped('databricks'), retry: this.retry });
    const normalized = client.host;
    return {
      host: normalized,
      request: (method, path, opts) => client.request(method, path, opts),
      label: label === normalized ? normalized : `${label} (${normalized})`,
      choice,
      profile,
      clusterIdHint,
      clusters: new ClustersService(client),
      jobs: new JobsService(client),
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
    for (const host of this.signedInHosts()) out.push({ kind: 'signedIn', name: host, host, detail: 'signed in (token in secret storage)', active: choice.kind === 'signedIn' && choice.host === host });
    return out;
  }

  signedInHosts(): string[] {
    return this.state.get<string[]>(SIGNED_IN_KEY) ?? [];
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
    const probe = new DatabricksClient({ host, token: trimmed, logger: this.logger.scoped('databricks'), retry: { maxAttempts: 2, totalTimeoutMs: 15_000 }, timeoutMs: 15_000 });
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
    const choice = this.choice;
    if (choice.kind === 'signedIn' && choice.host === host) await this.use({ kind: 'config' });
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
