// Reads what the seeding needs out of the running sandbox services: the S3 stand-in's endpoint
// and keys, the Athena endpoint from the settings, and the Databricks host and token from the
// sandbox's own databrickscfg (the file named by DATABRICKS_CONFIG_FILE in the sandbox's env).
import fs from 'node:fs';
import type { SandboxServices } from '../services';
import type { SeedTarget } from '../demo/seed';

/** Parses an INI file (databrickscfg, AWS config) into sections of key/value pairs. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = out[header[1].trim()] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (section && eq > 0) section[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
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
  const output = typeof settings['ferry.athena.outputLocation'] === 'string' && settings['ferry.athena.outputLocation'] ? settings['ferry.athena.outputLocation'] : 's3://ferry-athena-results/';
  return {
    region: typeof settings['ferry.aws.region'] === 'string' ? settings['ferry.aws.region'] : 'us-east-1',
    s3: { endpoint: services.s3.endpoint, accessKeyId: services.s3.accessKeyId, secretAccessKey: services.s3.secretAccessKey },
    athena: athenaEndpoint ? { endpoint: athenaEndpoint, outputLocation: output } : undefined,
    databricks: databricksFromEnv(services.env),
    workspaceDir,
  };
}
