// The AWS connection shared by the S3 and Athena areas: which profile, region and endpoints are
// active, and the credentials for them. Implemented by the AWS area; consumed by S3 and Athena.
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface AwsConnection {
  /** The profile in use; undefined means the default credential chain. */
  profile?: string;
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** A custom S3 endpoint (S3-compatible storage or the sandbox). */
  s3Endpoint?: string;
  /** A custom Athena endpoint (the sandbox). */
  athenaEndpoint?: string;
  athenaRegion?: string;
}

export interface AwsConnectionSource {
  current(): AwsConnection;
  /** Fires after the profile, region or an endpoint changed; clients cached for the old one are dropped. */
  onDidChange(listener: () => void): { dispose(): void };
}
