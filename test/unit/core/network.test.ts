// The network module without servers: which proxy a host goes through (VS Code's precedence),
// the CA list built from ferry.network.caFile / NODE_EXTRA_CA_CERTS, and failures in the user's
// words. Runs under Windows Node too (npm run test:windows): nothing here starts a process.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { classifyError } from '../../../src/core/errors';
import {
  bypassesProxy,
  DEFAULT_NETWORK_SETTINGS,
  describeNetworkFailure,
  NetworkProfile,
  NetworkSettings,
  ProxyError,
  ProxyResolver,
} from '../../../src/core/network';
import { redact } from '../../../src/core/redact';
import { createTestCa } from '../../../sandbox/proxy/certs';

const settings = (s: Partial<NetworkSettings>): NetworkSettings => ({ ...DEFAULT_NETWORK_SETTINGS, ...s });
const target = (url: string) => {
  const u = new URL(url);
  return { hostname: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) || (u.protocol === 'https:' ? 443 : 80) };
};

describe('network: proxy choice', () => {
  it('http.proxy wins over the environment; HTTPS_PROXY, then HTTP_PROXY (lower case first) otherwise', () => {
    assert.equal(
      new ProxyResolver({ proxy: 'http://set:1', noProxy: [] }, { HTTPS_PROXY: 'http://env:2' }).choose(target('https://h.example.com')).proxy?.host,
      'set:1',
    );
    assert.equal(
      new ProxyResolver({ proxy: '', noProxy: [] }, { https_proxy: 'http://lower:3', HTTPS_PROXY: 'http://upper:4' }).choose(target('https://h.example.com'))
        .proxy?.host,
      'lower:3',
    );
    assert.equal(
      new ProxyResolver({ proxy: '', noProxy: [] }, { HTTP_PROXY: 'proxy.corp:3128' }).choose(target('https://h.example.com')).proxy?.href,
      'http://proxy.corp:3128/',
    );
    assert.equal(new ProxyResolver({ proxy: '', noProxy: [] }, {}).choose(target('https://h.example.com')).reason, 'none');
  });

  it('no-proxy entries: domains match their hosts, a port only that port, * everything; http.noProxy replaces NO_PROXY', () => {
    assert.ok(bypassesProxy('adb-1.azuredatabricks.net', 443, ['azuredatabricks.net']));
    assert.ok(bypassesProxy('adb-1.azuredatabricks.net', 443, ['.azuredatabricks.net']));
    assert.ok(bypassesProxy('s3.eu-west-1.amazonaws.com', 443, ['*.amazonaws.com']));
    assert.ok(!bypassesProxy('notazuredatabricks.net', 443, ['azuredatabricks.net']), 'a suffix that is not a domain does not match');
    assert.ok(bypassesProxy('h.corp', 8443, ['h.corp:8443']));
    assert.ok(!bypassesProxy('h.corp', 443, ['h.corp:8443']));
    assert.ok(bypassesProxy('anything', 1, ['*']));
    const r = new ProxyResolver({ proxy: 'http://p:1', noProxy: ['only.this'] }, { NO_PROXY: 'h.example.com' });
    assert.equal(r.choose(target('https://h.example.com')).reason, 'setting', 'NO_PROXY is ignored once http.noProxy lists something (as in VS Code)');
    assert.equal(r.choose(target('https://only.this')).reason, 'noProxy');
    assert.equal(
      new ProxyResolver({ proxy: 'http://p:1', noProxy: [] }, { no_proxy: 'h.example.com' }).choose(target('https://h.example.com')).reason,
      'noProxy',
    );
  });

  it('loopback goes direct unless the proxy is on this machine too', () => {
    const remote = new ProxyResolver({ proxy: 'http://proxy.corp:3128', noProxy: [] }, {});
    for (const url of ['http://127.0.0.1:9000', 'http://localhost:9000', 'http://[::1]:9000']) assert.equal(remote.choose(target(url)).reason, 'loopback', url);
    assert.equal(new ProxyResolver({ proxy: 'http://127.0.0.1:3128', noProxy: [] }, {}).choose(target('http://127.0.0.1:9000')).reason, 'setting');
  });

  it('a proxy setting that is no URL, or SOCKS, is a clear error and no request goes out direct', async () => {
    assert.throws(() => new ProxyResolver({ proxy: 'http://[bad', noProxy: [] }, {}), /http\.proxy "http:\/\/\[bad" is not a proxy URL/);
    assert.throws(() => new ProxyResolver({ proxy: 'socks5://p:1080', noProxy: [] }, {}), /socks5:\/\/, which Ferry does not support/);
    const bad = new NetworkProfile(settings({ proxy: 'http://[bad' }), {});
    assert.match(bad.describe(), /unusable proxy setting/);
    const https = await import('node:https');
    const failed = await new Promise<Error>((resolve) => https.get('https://example.invalid/', { agent: bad.createAgents().httpsAgent }).on('error', resolve));
    assert.match(failed.message, /is not a proxy URL/);
  });
});

describe('network: trusted authorities', () => {
  let dir: string;
  const ca = createTestCa();
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-trust-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('adds ferry.network.caFile and NODE_EXTRA_CA_CERTS to Node’s roots; nothing set leaves the defaults alone', () => {
    const file = path.join(dir, 'corp.pem');
    fs.writeFileSync(file, `# corporate bundle\n${ca.cert}${createTestCa().cert}`);
    const extra = path.join(dir, 'extra.pem');
    fs.writeFileSync(extra, createTestCa().cert);
    const p = new NetworkProfile(settings({ caFile: file, systemCertificates: false }), { NODE_EXTRA_CA_CERTS: extra });
    assert.ok(p.trust.ca, 'a CA list is set');
    assert.ok(p.trust.ca!.includes(ca.cert.trim()) || p.trust.ca!.some((c) => c.trim() === ca.cert.trim()));
    assert.equal(p.trust.ca!.length, tls.rootCertificates.length + 3);
    assert.deepEqual(p.trust.added, ['NODE_EXTRA_CA_CERTS: 1 certificate', 'ferry.network.caFile: 2 certificates']);
    assert.equal(new NetworkProfile(settings({}), {}).trust.ca, undefined);
  });

  it('reads a DER certificate too; a missing or damaged file is a warning that names it', () => {
    const der = path.join(dir, 'corp.cer');
    fs.writeFileSync(der, Buffer.from(ca.cert.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64'));
    assert.deepEqual(new NetworkProfile(settings({ caFile: der, systemCertificates: false }), {}).trust.added, ['ferry.network.caFile: 1 certificate']);
    const missing = new NetworkProfile(settings({ caFile: path.join(dir, 'nope.pem') }), {});
    assert.equal(missing.trust.ca, undefined);
    assert.match(missing.trust.warnings[0], /ferry\.network\.caFile names .*nope\.pem, which cannot be read \(no such file\)/);
    const junk = path.join(dir, 'junk.pem');
    fs.writeFileSync(junk, 'not a certificate');
    assert.match(new NetworkProfile(settings({ caFile: junk }), {}).trust.warnings[0], /holds no certificate/);
  });
});

describe('network: failures in the user’s words', () => {
  it('TLS codes become sentences with a way forward, through classifyError', () => {
    for (const code of ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT']) {
      const c = classifyError(
        Object.assign(
          new Error(code === 'SELF_SIGNED_CERT_IN_CHAIN' ? 'self-signed certificate in certificate chain' : 'unable to get local issuer certificate'),
          { code },
        ),
      );
      assert.match(
        c.message,
        /^Cannot connect securely: the server's certificate is signed by an authority this machine does not trust: set ferry\.network\.caFile/,
      );
      assert.deepEqual(
        c.actions.map((a) => a.title),
        ['Set CA File', 'Open Log'],
      );
    }
    assert.match(describeNetworkFailure({ code: 'CERT_HAS_EXPIRED' })!.message, /has expired/);
    assert.match(
      describeNetworkFailure({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'h:443')!.message,
      /^Cannot connect to h:443: the server's certificate is for another host name/,
    );
    // Wrapped, as axios wraps: the cause is found.
    assert.match(describeNetworkFailure({ message: 'x', cause: { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' } })!.message, /ferry\.network\.caFile/);
    assert.equal(describeNetworkFailure(Object.assign(new Error('x'), { code: 'ECONNRESET' })), undefined, 'other failures are left to their client');
  });

  it('proxy failures name the proxy without its password; a 407 from anywhere means the proxy', () => {
    const e = new ProxyError('badAuth', 'http://me:hunter22@proxy.corp:3128/', 'adb-1.azuredatabricks.net:443', 407);
    assert.match(
      e.message,
      /Cannot reach adb-1\.azuredatabricks\.net:443: the proxy did not accept the user name and password \(407\) \(proxy http:\/\/me:\*\*\*@proxy\.corp:3128\/\)/,
    );
    assert.doesNotMatch(e.message, /hunter22/);
    assert.match(classifyError(new ProxyError('refused', 'http://proxy.corp:3128', 'h:443')).message, /the proxy refused the connection/);
    assert.match(classifyError({ name: 'UnknownError', $metadata: { httpStatusCode: 407 } }).message, /the proxy needs a user name and password \(407\)/);
    assert.equal(classifyError({ name: 'UnknownError', $metadata: { httpStatusCode: 407 } }).kind, 'auth');
  });

  it('a proxy URL with a password is redacted wherever it is logged', () => {
    assert.equal(redact('using http://me:hunter22@proxy.corp:3128 now'), 'using http://me:***@proxy.corp:3128 now');
    const p = new NetworkProfile(settings({ proxy: 'http://me:hunter22@proxy.corp:3128', noProxy: ['.corp'] }), {});
    assert.equal(p.describe(), 'proxy http://me:***@proxy.corp:3128/; not for .corp');
  });
});
