// Starts the local stand-ins of the three services together, on free loopback ports, and writes
// credential files of their own (never the user's) that point Ferry at them. Used by the editor
// tests and by `npm run sandbox`. Each stand-in adds itself here as it lands.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startS3StandIn, S3StandIn } from './s3/standIn';
import { AthenaStandIn, startAthenaStandIn } from './athena/standIn';
import { startDatabricksStandIn, DatabricksStandIn } from './databricks/standIn';
import { clusterPythonEnv } from './launcher/clusterEnv';

export const SANDBOX_AWS_PROFILE = 'ferry-sandbox';
export const SANDBOX_REGION = 'us-east-1';
export const ATHENA_RESULTS_BUCKET = 'ferry-athena-results';
export const SANDBOX_DATABRICKS_PROFILE = 'sandbox';

export interface SandboxServices {
  s3: S3StandIn;
  /** The Athena stand-in (DuckDB over the S3 stand-in's objects). */
  athena: AthenaStandIn;
  /** The Databricks stand-in; the profile `sandbox` in root/databrickscfg points at it. */
  databricks: DatabricksStandIn;
  /** Where the credential files and data live. */
  root: string;
  /** Environment that points AWS and Databricks tooling at the sandbox's own credential files. */
  env: Record<string, string>;
  /** Ferry user settings for the sandbox. */
  settings: Record<string, unknown>;
  stop(): Promise<void>;
}

export interface SandboxOptions {
  root: string;
  buckets?: string[];
}

export async function startSandboxServices(opts: SandboxOptions): Promise<SandboxServices> {
  const root = opts.root;
  fs.mkdirSync(root, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const s3 = await startS3StandIn({ dataDir: path.join(root, 's3'), buckets: [ATHENA_RESULTS_BUCKET, ...(opts.buckets ?? [])] });
  stops.push(() => s3.stop());
  // Athena stand-in: reads tables from the S3 stand-in; results go to ATHENA_RESULTS_BUCKET.
  const athena = await startAthenaStandIn({
    dataDir: path.join(root, 'athena'),
    s3: { endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  stops.push(() => athena.stop());

  const awsDir = path.join(root, 'aws');
  fs.mkdirSync(awsDir, { recursive: true });
  const awsConfig = path.join(awsDir, 'config');
  const awsCredentials = path.join(awsDir, 'credentials');
  fs.writeFileSync(awsConfig, `[profile ${SANDBOX_AWS_PROFILE}]\nregion = ${SANDBOX_REGION}\n`);
  fs.writeFileSync(awsCredentials, `[${SANDBOX_AWS_PROFILE}]\naws_access_key_id = ${s3.accessKeyId}\naws_secret_access_key = ${s3.secretAccessKey}\n`);

  // Databricks stand-in: its own databrickscfg (profile [sandbox], also [DEFAULT]) in root.
  // The cluster's Python reaches the sandbox's S3 (train.py, notebooks) through these variables.
  const pythonEnv = clusterPythonEnv({ s3, settings: { 'ferry.aws.region': SANDBOX_REGION } });
  // A service principal for trying OAuth M2M: profile [sandbox-sp] (a new secret each start).
  const servicePrincipal = { clientId: 'ferry-sandbox-sp', clientSecret: `dose${crypto.randomBytes(16).toString('hex')}` };
  const databricks = await startDatabricksStandIn({ dataDir: path.join(root, 'databricks'), pythonEnv, oauth: { servicePrincipals: [servicePrincipal] } });
  stops.push(() => databricks.stop());
  const databricksCfg = path.join(root, 'databrickscfg');
  const dbProfile = `host = ${databricks.url}\ntoken = ${databricks.token}\n`;
  const spProfile = `[${SANDBOX_DATABRICKS_PROFILE}-sp]\nhost = ${databricks.url}\nauth_type = oauth-m2m\nclient_id = ${servicePrincipal.clientId}\nclient_secret = ${servicePrincipal.clientSecret}\n`;
  fs.writeFileSync(databricksCfg, `[DEFAULT]\n${dbProfile}\n[${SANDBOX_DATABRICKS_PROFILE}]\n${dbProfile}\n${spProfile}`, { mode: 0o600 });

  const env: Record<string, string> = {
    AWS_CONFIG_FILE: awsConfig,
    AWS_SHARED_CREDENTIALS_FILE: awsCredentials,
    DATABRICKS_CONFIG_FILE: databricksCfg,
  };
  const settings: Record<string, unknown> = {
    'ferry.aws.profile': SANDBOX_AWS_PROFILE,
    'ferry.aws.region': SANDBOX_REGION,
    'ferry.s3.endpoint': s3.endpoint,
    'ferry.s3.forcePathStyle': true,
    'ferry.athena.endpoint': athena.endpoint,
    'ferry.athena.outputLocation': `s3://${ATHENA_RESULTS_BUCKET}/results/`,
    'ferry.databricks.profile': SANDBOX_DATABRICKS_PROFILE,
  };

  return {
    s3,
    athena,
    databricks,
    root,
    env,
    settings,
    stop: async () => {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
}
