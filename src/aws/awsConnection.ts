// The AWS connection built from Ferry's settings: profile, region and endpoints, with credentials
// from the standard chain. Implements AwsConnectionSource for the S3 and Athena areas.
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { AwsConnection, AwsConnectionSource } from './connection';
import { profileRegion } from './profiles';

/** The settings the connection depends on (plain values; the editor side reads them). */
export interface AwsConnectionSettings {
  profile: string;
  region: string;
  s3Endpoint: string;
  athenaEndpoint: string;
  athenaRegion: string;
}

export type CredentialsFactory = (profile: string | undefined) => AwsCredentialIdentityProvider;

/**
 * Credentials from the SDK's node chain: environment, shared config/credentials files (honouring
 * AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE), SSO, credential_process, role_arn/source_profile,
 * container and instance metadata. With a profile named, the chain reads that profile.
 */
export const defaultCredentials: CredentialsFactory = (profile) => fromNodeProviderChain(profile ? { profile, ignoreCache: false } : {});

function sameSettings(a: AwsConnectionSettings, b: AwsConnectionSettings): boolean {
  return a.profile === b.profile && a.region === b.region && a.s3Endpoint === b.s3Endpoint && a.athenaEndpoint === b.athenaEndpoint && a.athenaRegion === b.athenaRegion;
}

export class SettingsAwsConnectionSource implements AwsConnectionSource {
  private settings: AwsConnectionSettings;
  private connection: AwsConnection;
  private readonly listeners = new Set<() => void>();

  constructor(
    initial: AwsConnectionSettings,
    private readonly credentials: CredentialsFactory = defaultCredentials,
  ) {
    this.settings = { ...initial };
    this.connection = this.build();
  }

  current(): AwsConnection {
    return this.connection;
  }

  /** A short label for the status bar: the profile and region. */
  describe(): string {
    return `${this.connection.profile ?? 'default chain'} · ${this.connection.region}`;
  }

  /** Applies new settings; fires onDidChange only when something the connection uses changed. */
  update(next: AwsConnectionSettings): boolean {
    if (sameSettings(this.settings, next)) return false;
    this.settings = { ...next };
    this.connection = this.build();
    this.fire();
    return true;
  }

  /** Rebuilds credentials (e.g. after an SSO login or an edit of ~/.aws) and tells consumers. */
  refresh(): void {
    this.connection = this.build();
    this.fire();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private build(): AwsConnection {
    const s = this.settings;
    const profile = s.profile.trim() || undefined;
    // A profile's own region wins over the setting (the setting is "the region when the profile names none").
    const region = profileRegion(profile) ?? (s.region.trim() || 'us-east-1');
    return {
      profile,
      region,
      credentials: this.credentials(profile),
      s3Endpoint: s.s3Endpoint.trim() || undefined,
      athenaEndpoint: s.athenaEndpoint.trim() || undefined,
      athenaRegion: s.athenaRegion.trim() || undefined,
    };
  }
}
