// Reads what the seeding needs out of the running sandbox services: the S3 stand-in's endpoint
// and keys, the Athena endpoint from the settings, and the Databricks host and token from the
// sandbox's own databrickscfg (the file named by DATABRICKS_CONFIG_FILE in the sandbox's env).
import fs from 'node:fs';
import { parseConfigFile } from '../../src/databricks/config';
import type { SandboxServices } from '../services';
import type { SeedTarget } from '../demo/seed';

/** Parses the sandbox's databrickscfg into sections of key/value pairs, with Ferry's own parser. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [name, values] of parseConfigFile(text).sections) if (name !== 'DEFAULT' || Object.keys(values).length) out[name] = values;
  return out;
}

export function databricksFromEnv(env: Record<string, string | undefined>): { host: string; token: string } | undefined {
  if (env.DATABRICKS_HOST && env.DATABRICKS_TOKEN) return { host: env.DATABRICKS_HOST, token: env.DATABRICKS_TOKEN };
  const file = env.DATABRICKS_CONFIG_FILE;
  if (!file || !fs.existsSync(file)) return undefined;
  const ini = parseIni(fs.readFileSync(file, 'utf8'));
  const profile = ini[env.DATABRICKS_CONFIG_PROFILE || 'DEFAULT'] ?? Object.values(ini)[0];
  if (!profile?.host || !profile.token) return undefined;
  return { host: profile.host, token: profile.token };
}

export function seedTargetFrom(services: SandboxServices, workspaceDir: string): SeedTarget {
  const settings = services.settings;
  const athenaEndpoint = typeof settings['ferry.athena.endpoint'] === 'string' ? settings['ferry.athena.endpoint'] : '';
  const output =
    typeof settings['ferry.athena.outputLocation'] === 'string' && settings['ferry.athena.outputLocation']
      ? settings['ferry.athena.outputLocation']
      : 's3://ferry-athena-results/';
  return {
    region: typeof settings['ferry.aws.region'] === 'string' ? settings['ferry.aws.region'] : 'us-east-1',
    s3: { endpoint: services.s3.endpoint, accessKeyId: services.s3.accessKeyId, secretAccessKey: services.s3.secretAccessKey },
    athena: athenaEndpoint ? { endpoint: athenaEndpoint, outputLocation: output } : undefined,
    databricks: databricksFromEnv(services.env),
    workspaceDir,
  };
}
