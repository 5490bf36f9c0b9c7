// Issue 14 hole 5: secret shapes the redactor missed. One test per pattern; each checks that the
// secret is gone and that the text around it (what the user needs to read) is still there.
import assert from 'node:assert/strict';
import { redact } from '../../../src/core/redact';

const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJzdWIiOiJzcC0xMjMiLCJleHAiOjE3OTk5OTk5OTl9.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtMTIzNDU2Nzg5MA';

function masked(text: string, secret: string, keep: RegExp): void {
  const out = redact(text);
  assert.ok(!out.includes(secret), `"${secret}" survived in: ${out}`);
  assert.match(out, keep, `the surrounding text is gone: ${out}`);
}

describe('redact: shapes the review found unmasked (issue 14 hole 5)', () => {
  it('camelCase accessToken and refreshToken in JSON', () => {
    masked(
      'stored {"accessToken":"dsatQm9ndXMtYWNjZXNzLXRva2VuLTEyMzQ1","tokenType":"Bearer"}',
      'dsatQm9ndXMtYWNjZXNzLXRva2VuLTEyMzQ1',
      /"tokenType":"Bearer"/,
    );
    masked('{"refreshToken": "dsrtUmVmcmVzaC10b2tlbi1zZWNyZXQtOTg3"}', 'dsrtUmVmcmVzaC10b2tlbi1zZWNyZXQtOTg3', /refreshToken/);
  });
  it('camelCase accessToken / refreshToken / clientSecret as key=value and key: value', () => {
    masked('accessToken=abc123SECRETxyz&next=1', 'abc123SECRETxyz', /next=1/);
    masked('refreshToken: r3fr3sh-SECRET-value', 'r3fr3sh-SECRET-value', /refreshToken/);
    masked('clientSecret=c1ient-SECRET-value', 'c1ient-SECRET-value', /clientSecret/);
  });
  it('a bare JWT (eyJ…), on its own or after "token"', () => {
    masked(`The workspace answered with ${JWT} (expired)`, JWT.split('.')[2], /\(expired\)/);
    masked(`got ${JWT}`, JWT.split('.')[1], /^got /);
  });
  it('client_secret and password without a separator', () => {
    masked('client_secret dose0123456789abcdef0123456789abcdef', 'dose0123456789abcdef0123456789abcdef', /client_secret/);
    masked('line 4: password hunter2-Secret! is not valid', 'hunter2-Secret!', /line 4: password/);
    masked('client_secret  S3cr3t_Value_42', 'S3cr3t_Value_42', /client_secret/);
  });
  it('a Databricks OAuth secret (dose…) anywhere', () => {
    masked('secret was dose0123456789abcdef0123456789abcdef.', 'dose0123456789abcdef0123456789abcdef', /secret was/);
  });
  it('a URL-encoded presigned signature (X-Amz-Signature%3D…) inside another URL', () => {
    const inner = encodeURIComponent(
      'https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIAABCDEFGHIJKLMNOP/x&X-Amz-Signature=feedface0123456789&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE',
    );
    const out = redact(`open https://console.example/?next=${inner}&tab=2`);
    for (const s of ['feedface0123456789', 'IQoJb3JpZ2luX2VjEXAMPLE', 'AKIAABCDEFGHIJKLMNOP']) assert.ok(!out.includes(s), `${s} survived in ${out}`);
    assert.match(out, /&tab=2$/);
  });
  it('a .databrickscfg "token dapi…" line without "="', () => {
    masked('line 3: token dapi0123456789abcdef0123456789abcdef', 'dapi0123456789abcdef0123456789abcdef', /line 3: token/);
  });
  it('still leaves prose about passwords and tokens alone', () => {
    for (const text of [
      'Check the password in profile dev',
      'The token has expired; sign in again',
      'client_secret is missing from profile "sp"',
      'Listed 1000 keys under s3://bucket/raw/',
    ])
      assert.equal(redact(text), text);
  });
});
