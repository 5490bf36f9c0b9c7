// The AWS connection built from Ferry's settings: profile, region and endpoints, with credentials
// from the standard chain. Implements AwsConnectionSource for the S3 and Athena areas.
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { AwsConnection, AwsConnectionSource } from './connection';
import { AwsFiles, loadAwsFiles, regionOf } from './profiles';

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
  return (
    a.profile === b.profile &&
    a.region === b.region &&
    a.s3Endpoint === b.s3Endpoint &&
    a.athenaEndpoint === b.athenaEndpoint &&
    a.athenaRegion === b.athenaRegion
  );
}

export class SettingsAwsConnectionSource implements AwsConnectionSource {
  private settings: AwsConnectionSettings;
  private connection: AwsConnection;
  private readonly listeners = new Set<() => void>();
  /** The AWS files as last read (read asynchronously; until then the region comes from AWS_REGION or the setting). */
  private files: AwsFiles | undefined;
  private loading: Promise<void> = Promise.resolve();

  constructor(
    initial: AwsConnectionSettings,
    private readonly credentials: CredentialsFactory = defaultCredentials,
  ) {
    this.settings = { ...initial };
    this.connection = this.build();
    this.reload();
  }

  /** Resolves once the AWS files have been read and the region follows them. */
  ready(): Promise<void> {
    return this.loading;
  }

  /** Reads the AWS files again; when the region they give differs, the connection changes. */
  private reload(): void {
    this.loading = loadAwsFiles()
      .catch(() => ({ config: {}, credentials: {} }))
      .then((files) => {
        this.files = files;
        const region = this.region();
        if (region !== this.connection.region) {
          // Only the region moved: the credentials (which follow the profile) stay.
          this.connection = { ...this.connection, region };
          this.fire();
        }
      });
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
    this.reload();
    return true;
  }

  /** Rebuilds credentials (e.g. after an SSO login or an edit of ~/.aws) and tells consumers. */
  refresh(): void {
    this.connection = this.build();
    this.fire();
    this.reload();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** As the SDK: AWS_REGION, then the profile's own region; the setting is "the region when neither names one". */
  private region(): string {
    return regionOf(this.files, this.settings.profile.trim() || undefined) ?? (this.settings.region.trim() || 'us-east-1');
  }

  private build(): AwsConnection {
    const s = this.settings;
    const profile = s.profile.trim() || undefined;
    return {
      profile,
      region: this.region(),
      credentials: this.credentials(profile),
      s3Endpoint: s.s3Endpoint.trim() || undefined,
      athenaEndpoint: s.athenaEndpoint.trim() || undefined,
      athenaRegion: s.athenaRegion.trim() || undefined,
    };
  }
}
