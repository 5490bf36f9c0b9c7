// Where Ferry keeps what it signed in with: personal access tokens and OAuth token sets per host
// in the editor's SecretStorage (shared by every window of the editor), and the lists of hosts in
// globalState. Every secret read is registered with the redactor. Changes made by any window are
// reported through onDidChange, so each window can pick up tokens another one renewed.
import { Logger, silentLogger } from '../core/logger';
import { forgetSecret, registerSecret } from '../core/redact';
import { Emitter } from './emitter';
import { OAuthTokenSet, parseTokenSet, TokenSetStore } from './oauth';

/** The editor's SecretStorage, structurally (onDidChange fires for changes from any window). */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  onDidChange?(listener: (e: { key: string }) => unknown): { dispose(): unknown };
}

/** The editor's globalState Memento, structurally. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const tokenKey = (host: string): string => `ferry.databricks.token:${host}`;
/** The OAuth token set (JSON) of a host signed in with the browser. */
export const oauthTokenKey = (host: string): string => `ferry.databricks.oauth:${host}`;
const SIGNED_IN_KEY = 'ferry.databricks.signedInHosts';
const OAUTH_HOSTS_KEY = 'ferry.databricks.oauthHosts';

export interface CredentialChange {
  kind: 'pat' | 'oauth';
  host: string;
}

export class CredentialStore {
  private readonly changed = new Emitter<CredentialChange>();
  private readonly subscription: { dispose(): unknown } | undefined;
  readonly onDidChange = (listener: (c: CredentialChange) => void): { dispose(): void } => this.changed.event(listener);

  constructor(
    private readonly secrets: SecretStore,
    private readonly state: StateStore,
    private readonly logger: Logger = silentLogger,
  ) {
    this.subscription = secrets.onDidChange?.((e) => {
      const pat = e.key.startsWith(tokenKey('')) ? e.key.slice(tokenKey('').length) : undefined;
      const oauth = e.key.startsWith(oauthTokenKey('')) ? e.key.slice(oauthTokenKey('').length) : undefined;
      if (pat) this.changed.fire({ kind: 'pat', host: pat });
      else if (oauth) this.changed.fire({ kind: 'oauth', host: oauth });
    });
  }

  async pat(host: string): Promise<string | undefined> {
    const token = await this.secrets.get(tokenKey(host));
    registerSecret(token);
    return token;
  }

  async savePat(host: string, token: string): Promise<void> {
    registerSecret(token);
    await this.secrets.store(tokenKey(host), token);
    await this.state.update(SIGNED_IN_KEY, [...this.signedInHosts().filter((h) => h !== host), host]);
  }

  async tokenSet(host: string): Promise<OAuthTokenSet | undefined> {
    return parseTokenSet(await this.secrets.get(oauthTokenKey(host)));
  }

  async saveTokenSet(host: string, tokens: OAuthTokenSet): Promise<void> {
    await this.secrets.store(oauthTokenKey(host), JSON.stringify(tokens));
    if (!this.oauthHosts().includes(host)) await this.state.update(OAUTH_HOSTS_KEY, [...this.oauthHosts(), host]);
  }

  /** The token set of one host as an OAuthTokenSource reads and saves it. */
  tokenSetStore(host: string): TokenSetStore {
    return { load: () => this.tokenSet(host), save: (t) => this.saveTokenSet(host, t), watched: this.subscription !== undefined };
  }

  /** Forgets every credential of a host (PAT and OAuth); the redactor forgets them too. */
  async forget(host: string): Promise<void> {
    forgetSecret(await this.secrets.get(tokenKey(host)));
    await this.secrets.delete(tokenKey(host));
    await this.state.update(
      SIGNED_IN_KEY,
      this.signedInHosts().filter((h) => h !== host),
    );
    const oauth = await this.tokenSet(host);
    await this.secrets.delete(oauthTokenKey(host));
    forgetSecret(oauth?.accessToken);
    forgetSecret(oauth?.refreshToken);
    await this.state.update(
      OAUTH_HOSTS_KEY,
      this.oauthHosts().filter((h) => h !== host),
    );
    this.logger.info(`Forgot the stored sign-in for ${host}`);
  }

  signedInHosts(): string[] {
    return this.state.get<string[]>(SIGNED_IN_KEY) ?? [];
  }

  oauthHosts(): string[] {
    return this.state.get<string[]>(OAUTH_HOSTS_KEY) ?? [];
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }
}
