// A throwaway certificate authority and server certificates, made with Node's crypto alone (no
// openssl binary, so it runs the same under Windows Node): P-256 keys, X.509 v3 certificates in
// DER built by hand from RFC 5280's structures, signed with ECDSA-SHA256. Only for the tests and
// the sandbox's TLS fronts; nothing in src/ uses it.
import crypto from 'node:crypto';
import net from 'node:net';

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, content: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));
const explicit = (n: number, content: Buffer): Buffer => tlv(0xa0 + n, content);
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const bits = (b: Buffer, unused = 0): Buffer => tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));

function integer(b: Buffer): Buffer {
  let v = b;
  while (v.length > 1 && v[0] === 0 && !(v[1] & 0x80)) v = v.subarray(1);
  return tlv(0x02, v[0] & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk: number[] = [];
    let v = n;
    do {
      chunk.unshift(v & 0x7f);
      v >>= 7;
    } while (v > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] |= 0x80;
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const s = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  // UTCTime for years before 2050, GeneralizedTime after (RFC 5280 4.1.2.5).
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${s.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${s}Z`));
}

const name = (cn: string): Buffer => seq(set(seq(oid('2.5.4.3'), utf8(cn))), set(seq(oid('2.5.4.10'), utf8('Ferry test CA'))));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const extension = (id: string, critical: boolean, value: Buffer): Buffer => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

function keyId(publicKey: crypto.KeyObject): Buffer {
  return crypto
    .createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest();
}

function toPem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

export interface KeyPairPem {
  /** PEM certificate. */
  cert: string;
  /** PEM private key (PKCS#8). */
  key: string;
}

export interface TestCa extends KeyPairPem {
  /** A server certificate for these host names and IP addresses, signed by this CA. */
  issue(hosts: string[], opts?: { days?: number; notBefore?: Date }): KeyPairPem;
}

interface Signer {
  name: Buffer;
  privateKey: crypto.KeyObject;
  keyId: Buffer;
}

function certificate(subject: Buffer, publicKey: crypto.KeyObject, issuer: Signer, extensions: Buffer[], notBefore: Date, notAfter: Date): Buffer {
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(crypto.randomBytes(16)),
    ECDSA_SHA256,
    issuer.name,
    seq(time(notBefore), time(notAfter)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...extensions, extension('2.5.29.35', false, seq(tlv(0x80, issuer.keyId))))),
  );
  const signature = crypto.sign('sha256', tbs, issuer.privateKey);
  return seq(tbs, ECDSA_SHA256, bits(signature));
}

function altNames(hosts: string[]): Buffer {
  return seq(
    ...hosts.map((h) => {
      if (net.isIPv4(h)) return tlv(0x87, Buffer.from(h.split('.').map(Number)));
      return tlv(0x82, Buffer.from(h, 'ascii'));
    }),
  );
}

/** A new CA (valid from an hour ago for `days`, 2 by default). */
export function createTestCa(commonName = `Ferry throwaway CA ${crypto.randomBytes(4).toString('hex')}`, days = 2): TestCa {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const subject = name(commonName);
  const self: Signer = { name: subject, privateKey, keyId: keyId(publicKey) };
  const from = new Date(Date.now() - 3600_000);
  const der = certificate(
    subject,
    publicKey,
    self,
    [
      extension('2.5.29.19', true, seq(bool(true))),
      extension('2.5.29.15', true, bits(Buffer.from([0x06]), 1)),
      extension('2.5.29.14', false, octets(self.keyId)),
    ],
    from,
    new Date(from.getTime() + days * 86400_000),
  );
  return {
    cert: toPem(der),
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    issue(hosts, opts = {}) {
      const leaf = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const start = opts.notBefore ?? new Date(Date.now() - 3600_000);
      const leafDer = certificate(
        name(hosts[0] ?? 'localhost'),
        leaf.publicKey,
        self,
        [
          extension('2.5.29.19', true, seq()),
          extension('2.5.29.15', true, bits(Buffer.from([0x80]), 7)),
          extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))),
          extension('2.5.29.17', false, altNames(hosts)),
          extension('2.5.29.14', false, octets(keyId(leaf.publicKey))),
        ],
        start,
        new Date(start.getTime() + (opts.days ?? 2) * 86400_000),
      );
      return { cert: toPem(leafDer), key: leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
    },
  };
}
