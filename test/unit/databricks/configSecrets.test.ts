// Issue 14 hole 5: a malformed .databrickscfg line must not put the secret on it into the error.
import assert from 'node:assert/strict';
import { DatabricksConfigError, parseConfigFile } from '../../../src/databricks/config';

describe('.databrickscfg errors never quote a secret (issue 14 hole 5)', () => {
  const TOKEN = 'dapi0123456789abcdef0123456789abcdef';
  it('a "token dapi…" line without "=" is named by line and key only', () => {
    assert.throws(
      () => parseConfigFile(`[DEFAULT]\nhost = https://x.cloud.databricks.com\ntoken ${TOKEN}\n`, '/home/u/.databrickscfg'),
      (e: unknown) =>
        e instanceof DatabricksConfigError &&
        /line 3/.test(e.message) &&
        /"token"/.test(e.message) &&
        !e.message.includes('dapi0123') &&
        !e.message.includes('abcdef'),
    );
  });
  it('a secret-looking line without a key is not quoted either', () => {
    assert.throws(
      () => parseConfigFile(`[sp]\nhost = https://x\ndose0123456789abcdef0123456789abcdef\n`),
      (e: unknown) => e instanceof DatabricksConfigError && /line 3/.test(e.message) && !e.message.includes('dose0123'),
    );
  });
});
