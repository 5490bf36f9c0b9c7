import assert from 'node:assert/strict';
import { redact, registerSecret, forgetSecret } from '../../../src/core/redact';

describe('redact', () => {
  it('masks bearer tokens and Authorization headers', () => {
    const out = redact('GET /api headers={"Authorization":"Bearer dapi0123456789abcdef0123456789abcdef"}');
    assert.ok(!out.includes('dapi0123456789abcdef'), out);
    assert.ok(!redact('Authorization: Bearer abc.def-ghi').includes('abc.def-ghi'));
  });
  it('masks presigned URL signatures and credentials but keeps the rest of the URL', () => {
    const url =
      'https://b.s3.amazonaws.com/k.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAABCDEFGHIJKLMNOP%2F20260101&X-Amz-Signature=deadbeefcafe';
    const out = redact(url);
    assert.ok(!out.includes('deadbeefcafe'));
    assert.ok(!out.includes('AKIAABCDEFGHIJKLMNOP'));
    assert.ok(out.includes('X-Amz-Algorithm=AWS4-HMAC-SHA256'));
  });
  it('masks secret keys in key=value and JSON form', () => {
    assert.ok(!redact('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG').includes('wJalrXUtnFEMI'));
    assert.ok(!redact('{"token":"s3cr3t-value"}').includes('s3cr3t-value'));
  });
  it('masks a registered live secret anywhere, and stops after it is forgotten', () => {
    registerSecret('my-very-private-value');
    assert.equal(redact('echo my-very-private-value here'), 'echo *** here');
    forgetSecret('my-very-private-value');
    assert.equal(redact('echo my-very-private-value here'), 'echo my-very-private-value here');
  });
  it('leaves ordinary text alone', () => {
    assert.equal(redact('Listed 1000 keys under s3://bucket/raw/'), 'Listed 1000 keys under s3://bucket/raw/');
  });
});
