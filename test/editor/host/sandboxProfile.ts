// The sandbox's Databricks profile, read from the databrickscfg the editor tests start it with.
import assert from 'node:assert/strict';
import fs from 'node:fs';

export function sandboxProfile(): { host: string; token: string } {
  const file = process.env.DATABRICKS_CONFIG_FILE;
  assert.ok(file && fs.existsSync(file), 'DATABRICKS_CONFIG_FILE points at the sandbox config');
  const text = fs.readFileSync(file, 'utf8');
  const host = /host\s*=\s*(\S+)/.exec(text)?.[1];
  const token = /token\s*=\s*(\S+)/.exec(text)?.[1];
  assert.ok(host && token, 'the sandbox config names a host and a token');
  return { host, token };
}
