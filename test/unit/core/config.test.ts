import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readSettings, SETTING_DEFAULTS } from '../../../src/core/config';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8'));
const schema: Record<string, { default: unknown; description?: string }> = pkg.contributes.configuration.properties;

describe('settings', () => {
  it('package.json declares every typed setting with the same default, and nothing else', () => {
    const typed = Object.keys(SETTING_DEFAULTS)
      .map((k) => `ferry.${k}`)
      .sort();
    assert.deepEqual(Object.keys(schema).sort(), typed);
    for (const [key, value] of Object.entries(SETTING_DEFAULTS)) {
      assert.deepEqual(schema[`ferry.${key}`].default, value, key);
      assert.ok(schema[`ferry.${key}`].description, `${key} has no description`);
    }
  });
  it('no setting holds a secret', () => {
    for (const key of Object.keys(schema)) assert.doesNotMatch(key, /token|secret|password|accessKey/i);
  });
  it('falls back to defaults for missing or mistyped values', () => {
    const values: Record<string, unknown> = { 's3.pageSize': 'lots', 'aws.region': 'eu-west-1' };
    const s = readSettings({ get: <T>(k: string) => values[k] as T });
    assert.equal(s['s3.pageSize'], 1000);
    assert.equal(s['aws.region'], 'eu-west-1');
  });
});
