// Reads the profile names and their regions from the user's own AWS files (never writes them).
// Honours AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE like the SDK and the CLI do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type IniSections = Record<string, Record<string, string>>;

/** A small INI reader for ~/.aws files: `[section]` headers, `key = value`, `#`/`;` comments. */
export function parseIni(text: string): IniSections {
  const out: IniSections = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      const name = header[1].trim();
      current = out[name] ?? (out[name] = {});
      continue;
    }
    const eq = line.indexOf('=');
    if (current && eq > 0 && !/^\s/.test(raw)) current[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return out;
}

export interface AwsFilePaths {
  config: string;
  credentials: string;
}

export function awsFilePaths(env: NodeJS.ProcessEnv = process.env): AwsFilePaths {
  const home = env.HOME || env.USERPROFILE || os.homedir();
  return {
    config: env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials'),
  };
}

function readIni(file: string): IniSections {
  try {
    return parseIni(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

export interface AwsProfileInfo {
  name: string;
  region?: string;
  /** Where it is defined: config, credentials or both. */
  source: 'config' | 'credentials' | 'both';
  kind: 'keys' | 'sso' | 'process' | 'role' | 'other';
}

/** Profiles from both files, sorted, `default` first. */
export function listProfiles(paths: AwsFilePaths = awsFilePaths()): AwsProfileInfo[] {
  const config = readIni(paths.config);
  const credentials = readIni(paths.credentials);
  const found = new Map<string, AwsProfileInfo>();
  for (const [section, values] of Object.entries(config)) {
    let name: string | undefined;
    if (section === 'default') name = 'default';
    else if (section.startsWith('profile ')) name = section.slice('profile '.length).trim();
    if (!name) continue;
    found.set(name, { name, region: values.region, source: 'config', kind: profileKind(values) });
  }
  for (const [name, values] of Object.entries(credentials)) {
    const existing = found.get(name);
    if (existing) {
      existing.source = 'both';
      if (existing.kind === 'other') existing.kind = profileKind(values);
    } else found.set(name, { name, source: 'credentials', kind: profileKind(values) });
  }
  return [...found.values()].sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

function profileKind(values: Record<string, string>): AwsProfileInfo['kind'] {
  if (values.aws_access_key_id) return 'keys';
  if (values.sso_session || values.sso_start_url) return 'sso';
  if (values.credential_process) return 'process';
  if (values.role_arn) return 'role';
  return 'other';
}

/** The region the profile's config section names, if any. */
export function profileRegion(profile: string | undefined, paths: AwsFilePaths = awsFilePaths()): string | undefined {
  const config = readIni(paths.config);
  const name = profile || process.env.AWS_PROFILE || 'default';
  const section = name === 'default' ? config.default : config[`profile ${name}`];
  return section?.region || undefined;
}
