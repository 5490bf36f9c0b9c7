// Reads the profile names and their regions from the user's own AWS files (never writes them),
// with the SDK's own loader (@smithy/shared-ini-file-loader), so Ferry sees exactly what the SDK
// it hands the profile to sees: indented keys, `[profile x]` / `[default]` sections, sub-sections,
// comments, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, and the home folder on Windows.
import path from 'node:path';
import { getHomeDir, loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';

export type IniSections = Record<string, Record<string, string | undefined>>;

export interface AwsFilePaths {
  config: string;
  credentials: string;
}

export function awsFilePaths(env: NodeJS.ProcessEnv = process.env): AwsFilePaths {
  const home = getHomeDir();
  return {
    config: env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials'),
  };
}

export interface AwsFiles {
  /** Profiles of the config file, by name (`[profile x]` is `x`, `[default]` is `default`). */
  config: IniSections;
  credentials: IniSections;
}

/** Both files, parsed by the SDK's loader (read fresh each time: the user may have edited them). */
export async function loadAwsFiles(paths: AwsFilePaths = awsFilePaths()): Promise<AwsFiles> {
  const files = await loadSharedConfigFiles({ filepath: paths.credentials, configFilepath: paths.config, ignoreCache: true });
  return { config: files.configFile as IniSections, credentials: files.credentialsFile as IniSections };
}

export interface AwsProfileInfo {
  name: string;
  region?: string;
  /** Where it is defined: config, credentials or both. */
  source: 'config' | 'credentials' | 'both';
  kind: 'keys' | 'sso' | 'process' | 'role' | 'other';
}

// The loader keeps other sections (sso-session, services) under "<type>.<name>"; they are no profiles.
const isProfile = (name: string): boolean => !name.includes('.');

/** Profiles from both files, sorted, `default` first. */
export async function listProfiles(paths: AwsFilePaths = awsFilePaths()): Promise<AwsProfileInfo[]> {
  return profilesOf(await loadAwsFiles(paths));
}

export function profilesOf(files: AwsFiles): AwsProfileInfo[] {
  const found = new Map<string, AwsProfileInfo>();
  for (const [name, values] of Object.entries(files.config)) {
    if (isProfile(name)) found.set(name, { name, region: values.region || undefined, source: 'config', kind: profileKind(values) });
  }
  for (const [name, values] of Object.entries(files.credentials)) {
    if (!isProfile(name)) continue;
    const existing = found.get(name);
    if (existing) {
      existing.source = 'both';
      if (existing.kind === 'other') existing.kind = profileKind(values);
    } else found.set(name, { name, source: 'credentials', kind: profileKind(values) });
  }
  return [...found.values()].sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

function profileKind(values: Record<string, string | undefined>): AwsProfileInfo['kind'] {
  if (values.aws_access_key_id) return 'keys';
  if (values.sso_session || values.sso_start_url) return 'sso';
  if (values.credential_process) return 'process';
  if (values.role_arn) return 'role';
  return 'other';
}

/** The name the SDK uses for `profile`: the one given, else AWS_PROFILE, else `default`. */
export function effectiveProfile(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return profile || env.AWS_PROFILE || 'default';
}

/**
 * The region as the SDK resolves it for a profile: AWS_REGION first, then the profile's region
 * in the config file; undefined when neither names one.
 */
export function regionOf(files: AwsFiles | undefined, profile: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.AWS_REGION?.trim();
  if (fromEnv) return fromEnv;
  return files?.config[effectiveProfile(profile, env)]?.region || undefined;
}

/** The region of a profile (AWS_REGION first, as the SDK). */
export async function profileRegion(profile: string | undefined, paths: AwsFilePaths = awsFilePaths()): Promise<string | undefined> {
  return regionOf(await loadAwsFiles(paths), profile);
}
